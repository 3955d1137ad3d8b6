// `spirii-contract fake`: the stateful fake API as a process, for consumers not written in
// JavaScript or for trying the API by hand. One line per request on stdout.
import { readFile } from "node:fs/promises";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { API_KEY_ENV_VAR } from "../client/auth.js";
import type { Evse } from "../contract.js";
import { contractVersion } from "../testing/contract-document.js";
import { exampleEvses } from "../testing/fake/contract-examples.js";
import { startFakeApi, type FakeApi, type FakeRequest } from "../testing/fake/server.js";
import { EVSE_PATH_TEMPLATE } from "../testing/verify/paths.js";
import { SetupError } from "../testing/verify/setup-error.js";
import { parseCommandArgs, wholeNumber } from "./args.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { untilStopped } from "./until-stopped.js";
import { FAKE_HELP } from "./help.js";
import { tryItCommand } from "./mock-command.js";

const COMMAND = "fake";

async function readEvses(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`--evses ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, COMMAND);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--evses ${file} is not JSON (${(error as Error).message}); it must hold a JSON array of EVSEs`, COMMAND);
  }
}

/** `120/60000`: 120 writes per 60 000 ms. */
function parseRateLimit(text: string) {
  const match = /^\s*([^/]+)\/([^/]+)$/.exec(text);
  if (!match) throw new UsageError(`--rate-limit takes N/WINDOW_MS, e.g. 120/60000 (120 writes a minute), got ${JSON.stringify(text)}`, COMMAND);
  return { limit: wholeNumber(COMMAND, "--rate-limit's N", match[1]!.trim(), 0, 2_147_483_647), windowMs: wholeNumber(COMMAND, "--rate-limit's WINDOW_MS", match[2]!.trim(), 1, 2_147_483_647) };
}

const logLine = (r: FakeRequest) => `${r.method} ${r.path} ${r.status ?? "dropped"} ${r.durationMs.toFixed(1)} ms\n`;

function describeState(fake: FakeApi, evses: readonly Evse[], keys: number, rate: { limit: number; windowMs: number } | undefined): string {
  const held = evses.map((e) => `${e.uid} (connector${e.connectors.length === 1 ? "" : "s"} ${e.connectors.map((c) => c.id).join(", ") || "none"})`).join(", ");
  return [
    `Holds ${evses.length} EVSE${evses.length === 1 ? "" : "s"}: ${held || "none"}; GET ${fake.url}${EVSE_PATH_TEMPLATE} reads one.`,
    `Accepts ${keys ? `the ${keys} key${keys === 1 ? "" : "s"} given with --api-key` : "any key"}; rate limit ${rate ? `${rate.limit} writes per ${rate.windowMs} ms` : "off"}.`,
  ].join("\n");
}

export async function fakeCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(COMMAND, args, {
    port: { type: "string" },
    host: { type: "string" },
    evses: { type: "string" },
    "api-key": { type: "string", multiple: true },
    "rate-limit": { type: "string" },
  });
  if (values.help) {
    process.stdout.write(FAKE_HELP);
    return EXIT.holds;
  }
  const port = values.port === undefined ? 0 : wholeNumber(COMMAND, "--port", values.port, 0, 65535);
  const rateLimit = values["rate-limit"] === undefined ? undefined : parseRateLimit(values["rate-limit"]);
  const apiKeys = values["api-key"];
  if (apiKeys?.some((key) => key.trim() === "")) throw new UsageError("--api-key takes a non-empty key", COMMAND);
  const evses = values.evses === undefined ? undefined : await readEvses(values.evses);

  let fake: FakeApi;
  try {
    fake = await startFakeApi({
      port,
      host: values.host ?? "127.0.0.1",
      ...(evses === undefined ? {} : { evses: evses as Evse[] }),
      ...(apiKeys ? { apiKeys } : {}),
      ...(rateLimit ? { rateLimit } : {}),
      clock: Date.now, // no test moves this clock: a spent window must refill by itself
      onRequest: (request) => process.stdout.write(logLine(request)),
    });
  } catch (error) {
    // Bad seeds name the file; a taken port is a set-up problem.
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new UsageError(values.evses === undefined ? error.message.replace(/^startFakeApi: /, "") : `--evses ${values.evses}: ${error.message.replace(/^startFakeApi: /, "")}`, COMMAND);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EADDRNOTAVAIL" || code === "EACCES" || code === "ENOTFOUND") {
      throw new SetupError(`cannot listen on ${values.host ?? "127.0.0.1"}:${port} (${code})`);
    }
    throw error;
  }
  const held = (evses as Evse[] | undefined) ?? exampleEvses();
  const first = held[0];
  const address = first && first.connectors[0] ? { uid: first.uid, connectorId: first.connectors[0].id } : undefined;
  process.stdout.write(
    [
      `Fake of ${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path} (contract ${contractVersion()}) listening on ${fake.url}`,
      describeState(fake, held, apiKeys?.length ?? 0, rateLimit),
      ...(address
        ? [
            `Try it${apiKeys ? ` (with ${API_KEY_ENV_VAR} set to one of the --api-key values)` : ""}:`,
            `  ${tryItCommand(fake.url, { address, ...(apiKeys ? { authorization: `"Authorization: Bearer $${API_KEY_ENV_VAR}"` } : {}) })}`,
          ]
        : []),
      `Logs one line per request (method, path, status, time). Stop with Ctrl-C.`,
      ``,
    ].join("\n"),
  );
  await untilStopped("the fake", () => fake.close());
  return EXIT.holds;
}
