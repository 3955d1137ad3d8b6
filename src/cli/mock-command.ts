// `spirii-contract mock`: the in-process Prism mock, for a person or a pipeline to point a consumer at.
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { contractVersion, pathParameterExamples, requestBody, requestExamples } from "../testing/contract-document.js";
import { startMockServer } from "../testing/mock-server.js";
import { parseCommandArgs, wholeNumber } from "./args.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { untilStopped } from "./until-stopped.js";
import { MOCK_HELP } from "./help.js";
import { compilePath } from "../path-template.js";

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * A curl command a person can paste: the contract's smallest example against the mock (or the fake,
 * which names its own connector and, when it accepts only some keys, the -H argument that sends one).
 */
export function tryItCommand(url: string, target: { address?: object; authorization?: string } = {}): string {
  const path = compilePath(UPDATE_CONNECTOR.path)(target.address ?? pathParameterExamples());
  const [smallest] = requestExamples().sort((a, b) => JSON.stringify(a.value).length - JSON.stringify(b.value).length);
  return [
    `curl -sS -X ${UPDATE_CONNECTOR.method} ${shellQuote(`${url}${path}`)} \\`,
    `    -H ${target.authorization ?? "'Authorization: Bearer any-key'"} -H ${shellQuote(`Content-Type: ${requestBody().mediaType}`)} \\`,
    `    -d ${shellQuote(JSON.stringify(smallest?.value ?? {}))}`,
  ].join("\n");
}

export async function mockCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs("mock", args, {
    port: { type: "string" },
    host: { type: "string" },
    dynamic: { type: "boolean" },
    seed: { type: "string" },
    "coverage-file": { type: "string" },
  });
  if (values.help) {
    process.stdout.write(MOCK_HELP);
    return EXIT.holds;
  }
  if (values.seed !== undefined && !values.dynamic) throw new UsageError("--seed only applies with --dynamic", "mock");
  if (values["coverage-file"] === "") throw new UsageError("--coverage-file needs a file path", "mock");
  const port = values.port === undefined ? 0 : wholeNumber("mock", "--port", values.port, 0, 65535);
  const mock = await startMockServer({
    port,
    host: values.host ?? "127.0.0.1",
    ...(values.dynamic ? { dynamic: true } : {}),
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(values["coverage-file"] === undefined ? {} : { coverageFile: values["coverage-file"] }),
  });
  const answers = values.dynamic ? `generated bodies${values.seed === undefined ? "" : ` (seed ${values.seed})`}` : "the contract's examples";
  process.stdout.write(
    [
      `Mock of ${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path} (contract ${contractVersion()}) listening on ${mock.url}`,
      `Answers with ${answers}; request validation and auth checks are on.`,
      `Try it:`,
      `  ${tryItCommand(mock.url)}`,
      `Stop with Ctrl-C.`,
      ``,
    ].join("\n"),
  );
  await untilStopped("the mock", async () => {
    await mock.close();
    if (values["coverage-file"] !== undefined) process.stderr.write(`Contract coverage written to ${values["coverage-file"]}.\n`);
  });
  return EXIT.holds;
}
