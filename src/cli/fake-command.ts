// `spirii-contract fake`: the stateful fake API as a process, for consumers not written in
// JavaScript, a fake in a container, or trying the API by hand. One line per request on stdout;
// the controls a JavaScript test has (faults, clock, reset, state, log, coverage) over HTTP under
// /__admin (admin.ts), loopback only unless --admin-remote.
import { readFile } from "node:fs/promises";
import { MAX_WHOLE_MS } from "../client/operation.js";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { API_KEY_ENV_VAR } from "../client/auth.js";
import type { Evse } from "../contract.js";
import { contractVersion } from "../testing/contract-document.js";
import { exampleEvses } from "../testing/fake/contract-examples.js";
import { ADMIN_PREFIX, isLoopback } from "../testing/fake/admin.js";
import { checkFakeOptions, createEngine, type FakeRequest } from "../testing/fake/engine.js";
import { serveFake, type FakeApi } from "../testing/fake/server.js";
import { GET_EVSE, RATE_LIMIT_BUCKETS, type RateLimitBucket } from "../../generated/operations.js";
import { BUCKETS, DOCUMENTED_LIMITS, PLAIN_BUCKET, UNLIMITED, type RateLimit } from "../testing/fake/rate-limit.js";
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

const FORMS = `N/WINDOW_MS (the ${PLAIN_BUCKET} bucket, e.g. 120/60000), BUCKET=N/WINDOW_MS (BUCKET one of ${BUCKETS.join(", ")}) or documented`;

/** `120/60000`: 120 requests per 60 000 ms; `flag` names the value in messages. */
function parseWindow(text: string, flag: string): RateLimit {
  const match = /^\s*([^/]+)\/([^/]+)$/.exec(text);
  if (!match) throw new UsageError(`${flag} takes N/WINDOW_MS, e.g. 120/60000 (120 requests a minute), got ${JSON.stringify(text)}; the forms are ${FORMS}`, COMMAND);
  return { limit: wholeNumber(COMMAND, `${flag}'s N`, match[1]!.trim(), 0, UNLIMITED.limit), windowMs: wholeNumber(COMMAND, `${flag}'s WINDOW_MS`, match[2]!.trim(), 1, MAX_WHOLE_MS) };
}

/**
 * Every --rate-limit, as the fake's per-bucket limits: `documented` sets every bucket at the
 * contract's figure a minute (given with others, they replace it for their bucket); `N/WINDOW_MS`
 * is the write bucket's, as it always was; `BUCKET=N/WINDOW_MS` one bucket's. A bucket given twice
 * is refused: one of the two would be silently ignored.
 */
function parseRateLimits(texts: readonly string[]): { buckets: { [B in RateLimitBucket]?: RateLimit } } | undefined {
  if (texts.length === 0) return undefined;
  const documented = texts.some((text) => text.trim() === "documented");
  const given = new Map<RateLimitBucket, RateLimit>();
  for (const text of texts) {
    if (text.trim() === "documented") continue;
    const named = /^\s*([^=/]+)=(.*)$/.exec(text);
    const bucket = named ? named[1]!.trim() : PLAIN_BUCKET;
    if (!Object.hasOwn(RATE_LIMIT_BUCKETS, bucket)) {
      throw new UsageError(`--rate-limit ${text}: ${JSON.stringify(bucket)} is not a bucket of the contract; its buckets are ${BUCKETS.join(", ")}`, COMMAND);
    }
    const known = bucket as RateLimitBucket;
    if (given.has(known)) throw new UsageError(`--rate-limit gives the ${known} bucket twice (N/WINDOW_MS alone is the ${PLAIN_BUCKET} bucket's); give each bucket once`, COMMAND);
    given.set(known, parseWindow(named ? named[2]! : text, named ? `--rate-limit ${known}=` : "--rate-limit"));
  }
  const buckets: { [B in RateLimitBucket]?: RateLimit } = {};
  for (const bucket of BUCKETS) {
    const limit = given.get(bucket) ?? (documented ? DOCUMENTED_LIMITS[bucket] : undefined);
    if (limit) buckets[bucket] = limit;
  }
  return { buckets };
}

const logLine = (r: FakeRequest) => `${r.method} ${r.path} ${r.status ?? "dropped"} ${r.durationMs.toFixed(1)} ms\n`;

function describeLimits(rateLimit: { buckets: { [B in RateLimitBucket]?: RateLimit } } | undefined): string {
  if (!rateLimit) return "rate limits off";
  const each = BUCKETS.map((bucket) => {
    const limit = rateLimit.buckets[bucket];
    return `${bucket} ${limit ? `${limit.limit} per ${limit.windowMs} ms` : "off"}`;
  });
  return `rate limits ${each.join(", ")}, on real time plus what ${ADMIN_PREFIX}/clock advanced`;
}

function describeState(fake: FakeApi, evses: readonly Evse[], keys: number, rateLimit: Parameters<typeof describeLimits>[0]): string {
  const held = evses.map((e) => `${e.uid} (connector${e.connectors.length === 1 ? "" : "s"} ${e.connectors.map((c) => c.id).join(", ") || "none"})`).join(", ");
  return [
    `Holds ${evses.length} EVSE${evses.length === 1 ? "" : "s"}: ${held || "none"}; GET ${fake.url}${GET_EVSE.path} reads one.`,
    `Accepts ${keys ? `the ${keys} key${keys === 1 ? "" : "s"} given with --api-key` : "the first key it is sent, then only that one (401 for any other) until reset"}; ${describeLimits(rateLimit)}.`,
  ].join("\n");
}

export async function fakeCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs(COMMAND, args, {
    port: { type: "string" },
    host: { type: "string" },
    evses: { type: "string" },
    "api-key": { type: "string", multiple: true },
    "rate-limit": { type: "string", multiple: true },
    "coverage-file": { type: "string" },
    "admin-remote": { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(FAKE_HELP);
    return EXIT.holds;
  }
  const port = values.port === undefined ? 0 : wholeNumber(COMMAND, "--port", values.port, 0, 65535);
  const rateLimit = parseRateLimits(values["rate-limit"] ?? []);
  const apiKeys = values["api-key"];
  if (apiKeys?.some((key) => key.trim() === "")) throw new UsageError("--api-key takes a non-empty key", COMMAND);
  const evses = values.evses === undefined ? undefined : await readEvses(values.evses);

  const coverageFile = values["coverage-file"];
  if (coverageFile === "") throw new UsageError("--coverage-file needs a file path", COMMAND);
  const host = values.host ?? "127.0.0.1";
  const adminRemote = values["admin-remote"] ?? false;

  let fake: FakeApi;
  try {
    const engine = createEngine(
      checkFakeOptions(
        {
          ...(evses === undefined ? {} : { evses: evses as Evse[] }),
          // Without --api-key, the first key sent is the one: a default fake then refuses a wrong key
          // with 401, as the API does, and `spirii-contract verify` against it holds.
          apiKeys: apiKeys ?? "first-sent",
          ...(rateLimit ? { rateLimit } : {}),
          clock: Date.now, // a spent window refills by itself; POST /__admin/clock moves it further
          onRequest: (request) => process.stdout.write(logLine(request)),
          ...(coverageFile === undefined ? {} : { coverageFile }),
        },
        "startFakeApi",
      ),
    );
    fake = await serveFake(engine, { port, host, admin: { remote: adminRemote, coverageFile } });
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
            `Try it (with ${API_KEY_ENV_VAR} set to ${apiKeys ? "one of the --api-key values" : "a made-up key: the fake then accepts only that one until reset"}):`,
            `  ${tryItCommand(fake.url, { address, authorization: `"Authorization: Bearer $${API_KEY_ENV_VAR}"` })}`,
          ]
        : []),
      `Control it over HTTP under ${fake.url}${ADMIN_PREFIX} (GET ${ADMIN_PREFIX} lists the routes), from ${adminRemote ? "any address (--admin-remote)" : "loopback only"}${isLoopback(host) || host === "localhost" || adminRemote ? "" : "; this host is not loopback, so only local tools reach it"}.`,
      `Logs one line per request (method, path, status, time). Stop with Ctrl-C.`,
      ``,
    ].join("\n"),
  );
  await untilStopped("the fake", async () => {
    await fake.close();
    if (coverageFile !== undefined) process.stderr.write(`Contract coverage written to ${coverageFile}.\n`);
  });
  return EXIT.holds;
}
