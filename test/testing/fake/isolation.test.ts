// The fake must not load Prism, fast-check or msw (only /testing/msw loads msw): that is what makes it start in milliseconds. A fresh
// Node process imports the testing kit, starts the fake and gets a 200; a resolve hook logs every
// module the ESM loader resolves, and require.cache shows what CommonJS loaded. Neither may name
// a peer. (The control run loads fast-check through the kit and Prism's core by require, and must
// see both, so the check can fail.)
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const PEERS = /node_modules\/(@stoplight\/|fast-check\/|msw\/)/;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fake-isolation-"));
  await writeFile(
    join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + "\\n");
  return result;
}`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function loaded(start: string): Promise<string[]> {
  const log = join(dir, `${Math.random().toString(36).slice(2)}.log`);
  await writeFile(log, "");
  const script = `
import { register, createRequire } from "node:module";
register(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)}, { data: { log: ${JSON.stringify(log)} } });
const kit = await import(${JSON.stringify(pathToFileURL(join(ROOT, "src/testing/index.ts")).href)});
const server = await kit.${start};
const response = await fetch(server.url + "/v2/evses/123456/connectors/1", { method: "PATCH", headers: { Authorization: "Bearer k", "Content-Type": "application/json" }, body: '{"maxAmperage":16}' });
if (response.status !== 200) throw new Error("answered " + response.status);
await server.close();
console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT });
  const cjs = JSON.parse(stdout.trim().split("\n").at(-1)!) as string[];
  return [...(await readFile(log, "utf8")).split("\n").filter(Boolean), ...cjs];
}

it.concurrent("starting the fake loads neither Prism, fast-check nor msw", async () => {
  const modules = await loaded("startFakeApi()");
  expect(modules.some((m) => m.includes("/src/testing/fake/server.ts"))).toBe(true);
  expect(modules.filter((m) => PEERS.test(m))).toEqual([]);
}, 30_000);

it.concurrent("control: the same check sees fast-check loaded by the kit, Prism loaded by require, msw by /testing/msw", async () => {
  const msw = JSON.stringify(pathToFileURL(join(ROOT, "src/testing/msw.ts")).href);
  const modules = await loaded(`patchArbitraries().then(() => createRequire(import.meta.url)("@stoplight/prism-core")).then(() => import(${msw})).then(() => kit.startFakeApi())`);
  expect(modules.some((m) => m.includes("node_modules/fast-check/"))).toBe(true);
  expect(modules.some((m) => m.includes("node_modules/msw/"))).toBe(true);
  expect(modules.some((m) => m.includes("node_modules/@stoplight/prism-core/"))).toBe(true);
}, 30_000);
