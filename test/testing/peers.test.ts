// The kit's peers are optional: without them, using the kit fails with the exact install command,
// and the versions it names are the ones this repo builds and tests with.
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEER_PACKAGES } from "../../src/testing/index.js";

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const pkg = require("../../package.json") as { devDependencies: Record<string, string>; peerDependencies?: Record<string, string> };

describe("the peer versions the kit names", () => {
  it.each(Object.entries(PEER_PACKAGES))("%s@%s is the version installed for development, and a declared peer", (name, version) => {
    expect(pkg.devDependencies[name]).toBe(version);
    expect((require(`${name}/package.json`) as { version: string }).version).toBe(version);
    expect([version, `^${version}`]).toContain(pkg.peerDependencies?.[name]);
  });
});

describe("using the kit without its peers", () => {
  // The sources and the generated contract copied where no node_modules can be found, run with tsx.
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "spirii-no-peers-"));
    await cp(join(ROOT, "src"), join(dir, "src"), { recursive: true });
    await cp(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    await writeFile(
      join(dir, "probe.ts"),
      `import { patchArbitraries, startMockServer } from "./src/testing/index.js";
const message = (p: Promise<unknown>) => p.then(() => "no error", (e: Error) => \`\${e.name}: \${e.message}\`);
console.log(JSON.stringify({ mock: await message(startMockServer()), arbitraries: await message(patchArbitraries()) }));
`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("fails with an error naming each missing package and the exact install command", async () => {
    const tsx = pathToFileURL(require.resolve("tsx")).href;
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", tsx, "probe.ts"], { cwd: dir });
    const { mock, arbitraries } = JSON.parse(stdout) as { mock: string; arbitraries: string };
    expect(mock).toBe(
      "MissingPeerError: spirii-connector-contract/testing needs @stoplight/prism-http, which is not installed. " +
        "Install it with: npm install --save-dev --save-exact @stoplight/prism-http@5.12.0 @stoplight/prism-http-server@5.12.2 @stoplight/prism-core@5.8.0",
    );
    expect(arbitraries).toBe(
      "MissingPeerError: spirii-connector-contract/testing needs fast-check, which is not installed. Install it with: npm install --save-dev --save-exact fast-check@4.3.0",
    );
  });
});
