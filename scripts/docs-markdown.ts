// Markdown per operation and an llms.txt index (`npm run docs`, after the HTML page), for readers that
// are agents: what Mintlify and Redocly publish beside their rendered pages (https://llmstxt.org).
//   tsx scripts/docs-markdown.ts [--contract FILE] [--out DIR]
// Everything comes from the bundled contract (generated/openapi.json by default) and is written to
// dist/docs/: llms.txt, and operations/<operationId>.md for every operation. Each page states the
// operation's fields (request and answer, flattened with their paths), every enum with its values and
// whether it is open, the documented statuses, the error envelope, the rate limit, idempotency and
// effect, the examples and the code samples (whose TypeScript test/docs runs against the fake).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { derefLocal } from "../src/contract-refs.js";
import { closedEnumValues, openEnumValues } from "../src/enum-schema.js";
import { operationFacts, operationsOf, rateLimitBuckets, type ContractOperation, type OperationFacts } from "./contract-operations.js";
import { REPO_ROOT } from "./gate/inputs.js";
import { runIfMain } from "./run-main.js";

// The bundled contract is untyped JSON here.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = any;
type Schema = any;

// ---- Enums -------------------------------------------------------------------------------------

/** An enum as the contract writes it: closed (`enum`) or open (`anyOf: [{enum}, {type: string}]`). */
export interface EnumFacts {
  values: readonly string[];
  open: boolean;
}

/** The contract's enum forms, read by the shared helper (src/enum-schema.ts). */
export function enumOf(_doc: Doc, schema: Schema): EnumFacts | undefined {
  const open = openEnumValues(schema);
  if (open) return { values: open.map(String), open: true };
  const closed = closedEnumValues(schema);
  return closed ? { values: closed.map(String), open: false } : undefined;
}

const showEnum = (e: EnumFacts) => `${e.values.map((v) => `\`${v}\``).join(", ")}${e.open ? " (open: another string may come)" : " (closed)"}`;

// ---- Fields ------------------------------------------------------------------------------------

interface FieldRow {
  /** `connectors[].standard`; empty for the value itself. */
  name: string;
  type: string;
  required: boolean;
  allowed: string;
  description: string;
  enumFacts?: EnumFacts;
}

const cell = (text: unknown) => String(text ?? "").replaceAll("|", "\\|").replace(/\s+/g, " ").trim();
const firstParagraph = (text = "") => text.split(/\n\s*\n/)[0]!.replace(/\s+/g, " ").trim();
const refTitle = (doc: Doc, node: Schema) => (typeof node?.$ref === "string" ? derefLocal<any>(doc, node).title : undefined);

/** The branches of an `anyOf`/`oneOf` that is not an open enum, dereferenced (`ConnectorError | null`). */
const unionBranches = (doc: Doc, schema: Schema): Schema[] =>
  enumOf(doc, schema) ? [] : [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].map((b: Schema) => derefLocal<any>(doc, b));

function typeName(doc: Doc, node: Schema): string {
  const schema = derefLocal<any>(doc, node);
  const branches = schema.type === undefined ? [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])] : [];
  if (branches.length && !enumOf(doc, schema)) return branches.map((b: Schema) => typeName(doc, b)).join(" or ");
  const title = refTitle(doc, node) ?? schema.title;
  let type = [schema.type ?? (enumOf(doc, schema) ? "string" : "any")].flat().join(" or ");
  if (schema.type === "array" || (Array.isArray(schema.type) && schema.type.includes("array"))) type = type.replace("array", `array of ${typeName(doc, schema.items ?? {})}`);
  return title && schema.type !== "array" ? `${type} (\`${title}\`)` : type;
}

function allowedOf(doc: Doc, schema: Schema): string {
  const e = enumOf(doc, schema);
  if (e) return showEnum(e);
  const bounds = [
    schema.exclusiveMinimum !== undefined && `> ${schema.exclusiveMinimum}`,
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.exclusiveMaximum !== undefined && `< ${schema.exclusiveMaximum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
    schema.minProperties !== undefined && `at least ${schema.minProperties} field(s)`,
    schema.default !== undefined && `default ${JSON.stringify(schema.default)}`,
  ].filter(Boolean);
  return bounds.join(", ");
}

/** The fields of a schema, flattened: `connectors[].error.errorCode`. */
export function fieldRows(doc: Doc, node: Schema, prefix = "", seen = new Set<unknown>()): FieldRow[] {
  const schema = derefLocal<any>(doc, node);
  if (seen.has(schema)) return [];
  const within = new Set([...seen, schema]);
  const rows: FieldRow[] = [];
  const required = new Set<string>(schema.required ?? []);
  for (const [name, child] of Object.entries<any>(schema.properties ?? {})) {
    const field = derefLocal<any>(doc, child);
    const full = `${prefix}${name}`;
    const enumFacts = enumOf(doc, field);
    rows.push({ name: full, type: typeName(doc, child), required: required.has(name), allowed: allowedOf(doc, field), description: firstParagraph(field.description), ...(enumFacts ? { enumFacts } : {}) });
    for (const shape of [field, ...unionBranches(doc, field)]) {
      if (shape.properties) rows.push(...fieldRows(doc, shape, `${full}.`, within));
      else if (shape.items && derefLocal<any>(doc, shape.items).properties) rows.push(...fieldRows(doc, shape.items, `${full}[].`, within));
    }
  }
  return rows;
}

function fieldsTable(doc: Doc, node: Schema): string[] {
  const schema = derefLocal<any>(doc, node);
  const rows = fieldRows(doc, node);
  const closed = schema.additionalProperties === false;
  return [
    `${schema.title ? `\`${schema.title}\`: ` : ""}${closed ? "closed (no other field is accepted)." : "open (other fields may be added; ignore those you do not know)."}`,
    "",
    "| field | type | required | allowed values | description |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| \`${r.name}\` | ${cell(r.type)} | ${r.required ? "yes" : "no"} | ${cell(r.allowed)} | ${cell(r.description)} |`),
  ];
}

// ---- One operation -----------------------------------------------------------------------------

const jsonBlock = (value: unknown) => ["```json", JSON.stringify(value, null, 2), "```"];
const LANGS: Record<string, string> = { shell: "sh", typescript: "ts", javascript: "js" };

const EFFECT_TEXT: Record<OperationFacts["effect"], string> = {
  "read-only": "Read-only: it changes nothing on the charger.",
  restorable: "Restorable: it changes the charger, and sending the opposite (or the values read before) puts it back.",
  physical: "Physical: it acts on hardware and cannot be undone. Never send it to a real provider unasked.",
  destructive: "Destructive: it ends something (a driver's session) and cannot be undone. Never send it to a real provider unasked.",
};

/** The enums an operation's request and answers use, by name (or field path), with their facts. */
function operationEnums(doc: Doc, op: ContractOperation): [string, EnumFacts][] {
  const found = new Map<string, EnumFacts>();
  const visit = (node: Schema, at: string, seen = new Set<unknown>()) => {
    const schema = derefLocal<any>(doc, node);
    if (seen.has(schema)) return;
    const within = new Set([...seen, schema]);
    const e = enumOf(doc, schema);
    // An open enum written inline around a named list (`anyOf: [$ref OcppErrorCode, string]`) takes the list's name.
    const listTitle = (schema.anyOf ?? []).map((b: Schema) => derefLocal<any>(doc, b)).find((b: Schema) => Array.isArray(b.enum))?.title;
    if (e) found.set(refTitle(doc, node) ?? schema.title ?? listTitle ?? at, e);
    for (const [name, child] of Object.entries<any>(schema.properties ?? {})) visit(child, at ? `${at}.${name}` : name, within);
    if (schema.items) visit(schema.items, `${at}[]`, within);
    if (!e) for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) visit(branch, at, within);
  };
  for (const p of op.parameters) visit(p.schema ?? {}, p.name);
  const body = op.operation.requestBody && derefLocal<any>(doc, op.operation.requestBody);
  for (const media of Object.values<any>(body?.content ?? {})) visit(media.schema ?? {}, "body");
  for (const response of Object.values<any>(op.operation.responses ?? {})) {
    for (const media of Object.values<any>(derefLocal<any>(doc, response).content ?? {})) visit(media.schema ?? {}, "response");
  }
  return [...found];
}

export function operationMarkdown(doc: Doc, op: ContractOperation): string {
  const o = op.operation;
  // What the registry states of it (scripts/contract-operations.ts), read as generation reads it.
  const { idempotent, effect, rateLimitBucket: bucket } = operationFacts(doc, op);
  const perMinute = rateLimitBuckets(doc)[bucket]!.requestsPerMinute;
  const provenance = o["x-provenance"] ?? "published";
  const lines: string[] = [
    `# ${op.operationId}: ${o.summary ?? ""}`.trimEnd(),
    "",
    `\`${op.method} ${op.path}\` on \`${doc.servers?.[0]?.url ?? ""}\``,
    "",
    `- Idempotent: ${idempotent ? "yes (safe to retry after a timeout or a 502/503/504)" : "no (never retried after an ambiguous failure)"}`,
    `- Effect (\`x-effect\`): ${EFFECT_TEXT[effect]}`,
    `- Rate-limit bucket (\`x-rate-limit-bucket\`): \`${bucket}\`, ${perMinute} requests a minute`,
    `- Source: ${provenance === "published" ? "published on the endpoint's own reference page" : `${provenance} (\`x-provenance\`)`}`,
    `- Authentication: \`Authorization: Bearer <SPIRII_API_KEY>\``,
    "",
    o.description?.trim() ?? "",
    "",
    "## Request",
    "",
  ];
  for (const location of ["path", "query"]) {
    const params = op.parameters.filter((p) => p.in === location);
    if (!params.length) continue;
    lines.push(`### ${location === "path" ? "Path" : "Query"} parameters`, "", "| name | type | required | allowed values | description |", "| --- | --- | --- | --- | --- |");
    for (const p of params) {
      const schema = derefLocal<any>(doc, p.schema ?? {});
      const items = schema.items ? derefLocal<any>(doc, schema.items) : undefined;
      const allowed = [allowedOf(doc, schema), items && allowedOf(doc, items) && `each ${allowedOf(doc, items)}`].filter(Boolean).join("; ");
      const style = location === "query" && schema.type === "array" ? ` Sent as ${p.explode === false ? `\`${p.name}=a,b\`` : `\`${p.name}=a&${p.name}=b\``}${p["x-serialization-provenance"] ? ` (${p["x-serialization-provenance"]})` : ""}.` : "";
      lines.push(`| \`${p.name}\` | ${cell(typeName(doc, p.schema ?? {}))} | ${p.required ? "yes" : "no"} | ${cell(allowed)} | ${cell(firstParagraph(p.description) + style)} |`);
    }
    lines.push("");
  }
  const body = o.requestBody && derefLocal<any>(doc, o.requestBody);
  if (body) {
    for (const [type, media] of Object.entries<any>(body.content ?? {})) {
      lines.push(`### Body (\`${type}\`, ${body.required ? "required" : "optional"})`, "", ...(body.description ? [body.description.trim(), ""] : []));
      lines.push(...fieldsTable(doc, media.schema), "");
    }
  } else lines.push("### Body", "", "None: send no body.", "");

  lines.push("## Responses", "", "| status | meaning | body |", "| --- | --- | --- |");
  for (const [status, raw] of Object.entries<any>(o.responses ?? {})) {
    const response = derefLocal<any>(doc, raw);
    const media = Object.values<any>(response.content ?? {})[0];
    lines.push(`| ${status} | ${cell(firstParagraph(response.description))} | ${media?.schema ? cell(typeName(doc, media.schema)) : "none"} |`);
  }
  lines.push("");
  for (const [status, raw] of Object.entries<any>(o.responses ?? {})) {
    if (!/^2/.test(status)) continue;
    const response = derefLocal<any>(doc, raw);
    for (const media of Object.values<any>(response.content ?? {})) if (media.schema) lines.push(`### ${status} body`, "", ...fieldsTable(doc, media.schema), "");
  }

  const enums = operationEnums(doc, op);
  if (enums.length) {
    lines.push("## Enums", "", "An open enum lists the values known at release and accepts any other string (Spirii's versioning policy makes new values non-breaking): handle an unknown value instead of crashing. A closed enum accepts only its values.", "");
    for (const [name, e] of enums) lines.push(`- \`${name}\` (${e.open ? "open" : "closed"}): ${e.values.map((v) => `\`${v}\``).join(", ")}`);
    lines.push("");
  }

  const errors = Object.entries<any>(o.responses ?? {}).filter(([status]) => !/^2/.test(status));
  if (errors.length) {
    const envelope = Object.values<any>(derefLocal<any>(doc, errors[0]![1]).content ?? {})[0]?.schema;
    lines.push("## Errors", "", `Statuses: ${errors.map(([s]) => `\`${s}\``).join(", ")}.`, "");
    if (envelope) lines.push(`Every error answers with this envelope (${cell(firstParagraph(derefLocal<any>(doc, envelope).description))}):`, "", ...fieldsTable(doc, envelope), "");
    const example = Object.values<any>(Object.values<any>(derefLocal<any>(doc, errors[0]![1]).content ?? {})[0]?.examples ?? {})[0];
    if (example) lines.push(...jsonBlock(derefLocal<any>(doc, example).value), "");
  }

  lines.push("## Rate limits", "");
  const headers = Object.keys(derefLocal<any>(doc, o.responses?.["200"] ?? {}).headers ?? {});
  lines.push(
    `This operation counts against the \`${bucket}\` bucket (${perMinute} requests a minute on Spirii's rate-limits page).`,
    headers.length ? `Each answer carries ${headers.map((h) => `\`${h}\``).join(", ")}; a 429 carries \`Retry-After\`: wait that long before sending again.` : "",
    "",
  );

  const examples: string[] = [];
  for (const [type, media] of Object.entries<any>(body?.content ?? {})) {
    for (const [name, ex] of Object.entries<any>(media.examples ?? {})) {
      const example = derefLocal<any>(doc, ex);
      examples.push(`### Request \`${name}\` (${type}): ${example.summary ?? ""}`.trimEnd(), "", ...(example.description ? [example.description.trim(), ""] : []), ...jsonBlock(example.value), "");
    }
  }
  for (const [status, raw] of Object.entries<any>(o.responses ?? {})) {
    if (!/^2/.test(status)) continue;
    for (const media of Object.values<any>(derefLocal<any>(doc, raw).content ?? {})) {
      for (const [name, ex] of Object.entries<any>(media.examples ?? {})) {
        const example = derefLocal<any>(doc, ex);
        examples.push(`### ${status} \`${name}\`: ${example.summary ?? ""}`.trimEnd(), "", ...(example.description ? [example.description.trim(), ""] : []), ...jsonBlock(example.value), "");
      }
    }
  }
  if (examples.length) lines.push("## Examples", "", ...examples);

  const samples: any[] = o["x-codeSamples"] ?? [];
  if (samples.length) {
    lines.push("## Code samples", "");
    for (const s of samples) lines.push(`### ${s.label ?? s.lang}`, "", `\`\`\`${LANGS[String(s.lang).toLowerCase()] ?? String(s.lang).toLowerCase()}`, String(s.source).trimEnd(), "```", "");
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

// ---- The index ---------------------------------------------------------------------------------

export const operationFile = (operationId: string) => `operations/${operationId}.md`;

export function llmsTxt(doc: Doc): string {
  const ops = operationsOf(doc);
  const lines = [
    `# ${doc.info.title}`,
    "",
    `> ${cell(doc.info.summary ?? firstParagraph(doc.info.description))}`,
    "",
    firstParagraph(doc.info.description),
    "",
    `Servers: ${(doc.servers ?? []).map((s: any) => `\`${s.url}\` (${s["x-environment"] ?? s.description})`).join(", ")}. Authentication: \`Authorization: Bearer <SPIRII_API_KEY>\`.`,
    `Rate-limit buckets: ${Object.entries(rateLimitBuckets(doc)).map(([name, b]) => `\`${name}\` ${b.requestsPerMinute} a minute`).join(", ") || "not stated"}.`,
    "",
    "## Operations",
    "",
    ...ops.map((op) => {
      const { idempotent, effect, rateLimitBucket } = operationFacts(doc, op);
      return `- [${op.operationId}](${operationFile(op.operationId)}): \`${op.method} ${op.path}\`, ${op.operation.summary ?? ""} (${effect}, ${idempotent ? "idempotent" : "not idempotent"}, bucket \`${rateLimitBucket}\`)`;
    }),
    "",
    "## Optional",
    "",
    "- [Rendered reference](index.html): the same contract as an HTML page",
  ];
  return `${lines.join("\n")}\n`;
}

/** Every file to write, by its path under the output directory. */
export function markdownDocs(doc: Doc): Record<string, string> {
  const files: Record<string, string> = { "llms.txt": llmsTxt(doc) };
  for (const op of operationsOf(doc)) files[operationFile(op.operationId)] = operationMarkdown(doc, op);
  return files;
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { contract: { type: "string" }, out: { type: "string" } } }));
  } catch (error) {
    console.error(`docs-markdown: ${(error as Error).message}\nusage: tsx scripts/docs-markdown.ts [--contract FILE] [--out DIR]`);
    return 2;
  }
  const contract = resolve(values.contract ?? join(REPO_ROOT, "generated/openapi.json"));
  const out = resolve(values.out ?? join(REPO_ROOT, "dist/docs"));
  const doc = JSON.parse(await readFile(contract, "utf8"));
  const files = markdownDocs(doc);
  // A page of an operation the contract no longer has must not linger.
  await rm(join(out, "operations"), { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(out, name, ".."), { recursive: true });
    await writeFile(join(out, name), text);
  }
  console.log(`docs: ${relative(process.cwd(), out) || "."}/llms.txt and ${Object.keys(files).length - 1} operation pages, from ${relative(process.cwd(), contract)}.`);
  return 0;
}

runIfMain(import.meta.url, main);
