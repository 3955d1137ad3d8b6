// Renders the API docs (`npm run docs`): `redocly build-docs` with the Redoc scripts inlined, into
// dist/docs/index.html, a page that opens on the operation and asks the network for nothing.
//   tsx scripts/docs.ts [--output FILE]
// - Opens on the operation: the page template (redocly.docs.hbs) sends a reader who arrives without a
//   route to the operation's hash route, built here from the contract (its first tag and operationId,
//   slugged as Redoc slugs them; test/docs fails if the route stops matching).
// - Requests nothing: Redoc 3 loads its "API docs by Redocly" logo from Redocly's CDN and has no
//   option to stop it, so the built page gets a plain-text "Redocly" image inlined in its place.
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UPDATE_CONNECTOR } from "../generated/values.js";
import { REPO_ROOT } from "./gate/inputs.js";

const TITLE = "Spirii API: update a connector";
const LOGO_URLS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];
const LOGO =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="16" viewBox="0 0 56 16">' +
      '<text x="0" y="12" font-family="sans-serif" font-size="12" font-weight="600" fill="currentColor">Redocly</text></svg>',
  );

/** Redoc's hash route of an operation: `#/<tag slug>/<operationId slug>`. */
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

async function startRoute(): Promise<string> {
  const contract = JSON.parse(await readFile(join(REPO_ROOT, "generated/openapi.json"), "utf8"));
  const operation = contract.paths?.[UPDATE_CONNECTOR.path]?.[UPDATE_CONNECTOR.method.toLowerCase()];
  const tag = operation?.tags?.[0];
  if (typeof tag !== "string") throw new Error(`docs: ${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path} has no tag to route to`);
  return `#/${slug(tag)}/${slug(UPDATE_CONNECTOR.operationId)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { output: { type: "string" } } });
  const output = resolve(values.output ?? join(REPO_ROOT, "dist/docs/index.html"));
  const redocly = join(REPO_ROOT, "node_modules/@redocly/cli/bin/cli.js");
  const build = spawnSync(
    process.execPath,
    [
      redocly, "build-docs", join(REPO_ROOT, "generated/openapi.json"), "--output", output, "--inlineBundle",
      "--title", TITLE, "--template", join(REPO_ROOT, "redocly.docs.hbs"), `--templateOptions.startRoute=${await startRoute()}`,
    ],
    { cwd: REPO_ROOT, stdio: "inherit", env: { ...process.env, REDOCLY_TELEMETRY: "off" } },
  );
  if (build.status !== 0) throw new Error(`redocly build-docs failed (exit ${build.status})`);
  let page = await readFile(output, "utf8");
  for (const url of LOGO_URLS) {
    if (!page.includes(url)) throw new Error(`docs: the page no longer loads ${url}; check what Redoc fetches now (test/docs)`);
    page = page.replaceAll(url, LOGO);
  }
  await writeFile(output, page);
  console.log(`docs: ${output} opens on ${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path}, with nothing to fetch.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
