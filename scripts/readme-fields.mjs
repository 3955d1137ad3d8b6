// Writes the README's field tables (the patch fields, the EVSE's required fields) from the contract,
// between the markers below, and reports drift for `npm run check:generated`: prose that names the
// fields by hand would go stale the day the contract changes.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { closedEnumValues, openEnumValues } from "../src/enum-schema.ts";
import { operationFacts, operationsOf } from "./contract-operations.ts";

export const README = join(dirname(fileURLToPath(import.meta.url)), "..", "README.md");
export const BEGIN = "<!-- generated: fields (npm run generate, from spec/) -->";
export const END = "<!-- /generated: fields -->";

const cell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");
const code = (value) => `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
/** "Maximum voltage output, in volts (V). ..." -> "V (volts)". */
const unitOf = (description = "") => {
  const match = /\bin ([a-z]+) \(([^)]+)\)/.exec(description);
  return match ? `${match[2]} (${match[1]})` : "";
};
const firstSentence = (description = "") => description.split(/(?<=\.)\s/)[0]?.trim() ?? "";

function typeOf(schema, resolve) {
  if (schema.type === "array") return `array of ${resolve(schema.items).title ?? typeOf(resolve(schema.items), resolve)}`;
  return [schema.type].flat().join(" or ");
}

/** What an open (response) enum's cell says besides its known values: Spirii may add values in a minor release. */
export const OPEN_ENUM_NOTE = "or a value added later (open enum: handle unknown values)";

function allowed(schema) {
  const closed = closedEnumValues(schema);
  if (closed) return closed.map(code).join(", ");
  const open = openEnumValues(schema);
  if (open) return `${open.map(code).join(", ")}, ${OPEN_ENUM_NOTE}`;
  const bounds = [
    schema.exclusiveMinimum !== undefined && `> ${schema.exclusiveMinimum}`,
    schema.minimum !== undefined && `≥ ${schema.minimum}`,
    schema.exclusiveMaximum !== undefined && `< ${schema.exclusiveMaximum}`,
    schema.maximum !== undefined && `≤ ${schema.maximum}`,
  ].filter(Boolean);
  return bounds.join(", ") || "any";
}

/** The two tables, as markdown. `operation` is the contract's one operation; `resolve` follows a $ref. */
export function fieldsTables({ doc, operation, resolve }) {
  const patch = resolve(doc, Object.values(resolve(doc, operation.requestBody).content)[0].schema);
  const evse = resolve(doc, Object.values(resolve(doc, operation.responses["200"]).content)[0].schema);
  const follow = (schema) => resolve(doc, schema);
  const patchRows = Object.entries(patch.properties).map(([name, ref]) => {
    const field = follow(ref);
    return `| \`${name}\` | ${typeOf(field, follow)} | ${cell(unitOf(field.description))} | ${cell(allowed(field))} |`;
  });
  const evseRows = evse.required.map((name) => {
    const field = follow(evse.properties[name]);
    return `| \`${name}\` | ${typeOf(field, follow)} | ${cell(allowed(field))} | ${cell(firstSentence(field.description))} |`;
  });
  return [
    `The patch (\`${patch.title}\`): every field optional, at least ${patch.minProperties ?? 0} sent, no other field${patch.additionalProperties === false ? " accepted" : ""}.`,
    "",
    "| field | type | unit | allowed values |",
    "| --- | --- | --- | --- |",
    ...patchRows,
    "",
    `The answer (\`${evse.title}\`): these fields are always there; others may be added.`,
    "",
    "| field | type | allowed values | meaning |",
    "| --- | --- | --- | --- |",
    ...evseRows,
  ].join("\n");
}

export const OPERATIONS_BEGIN = "<!-- generated: operation-fields (npm run generate, from spec/) -->";
export const OPERATIONS_END = "<!-- /generated: operation-fields -->";

/**
 * Every operation but `operation` (whose tables fieldsTables writes): what it takes (parameters, body)
 * and the required fields of what it answers, a schema already shown named instead of repeated.
 */
export function operationTables({ doc, operation, resolve }) {
  const follow = (schema) => resolve(doc, schema);
  const shown = new Set([follow(Object.values(follow(operation.responses["200"]).content)[0].schema).title]);
  const out = [];
  for (const contractOperation of operationsOf(doc)) {
    const { operation: op, method, path, parameters: params } = contractOperation;
    if (op === operation) continue;
    // The registry's facts (scripts/contract-operations.ts), not a reading of their own.
    const { idempotent, effect } = operationFacts(doc, contractOperation);
    out.push(`**\`${op.operationId}\`** \`${method} ${path}\`: ${op.summary} Idempotent: ${idempotent ? "yes" : "no"}; effect: ${effect}.`, "");
    const body = op.requestBody ? follow(Object.values(follow(op.requestBody).content)[0].schema) : undefined;
    if (params.length > 0 || body) {
      out.push("| takes | in | type | required | allowed values |", "| --- | --- | --- | --- | --- |");
      for (const p of params) out.push(`| \`${p.name}\` | ${p.in} | ${typeOf(follow(p.schema), follow)} | ${p.required ? "yes" : "no"} | ${cell(allowed(follow(p.schema)))} |`);
      for (const [name, ref] of Object.entries(body?.properties ?? {})) {
        const field = follow(ref);
        out.push(`| \`${name}\` | body | ${typeOf(field, follow)} | ${(body.required ?? []).includes(name) ? "yes" : "no"} | ${cell(allowed(field))} |`);
      }
      out.push("");
    } else out.push("It takes no parameters and no body.", "");
    const success = Object.keys(op.responses).find((status) => /^2/.test(status));
    const content = success && follow(op.responses[success]).content;
    const answer = content && follow(Object.values(content)[0].schema);
    if (!answer) continue;
    if (shown.has(answer.title)) {
      out.push(`It answers ${success} with ${answer.title === "Evse" ? "the EVSE" : `\`${answer.title}\``}, as above.`, "");
      continue;
    }
    shown.add(answer.title);
    out.push(`It answers ${success} with \`${answer.title}\`; these fields are always there, others may be added:`, "");
    out.push("| field | type | allowed values | meaning |", "| --- | --- | --- | --- |");
    for (const name of answer.required ?? []) {
      const field = follow(answer.properties[name]);
      out.push(`| \`${name}\` | ${typeOf(field, follow)} | ${cell(allowed(field))} | ${cell(firstSentence(field.description))} |`);
    }
    out.push("");
  }
  return out.join("\n").trimEnd();
}

function replaceBetween(readme, begin, end, text) {
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) throw new Error(`README.md must hold the markers ${begin} and ${end} (in that order)`);
  return `${readme.slice(0, from + begin.length)}\n${text}\n${readme.slice(to)}`;
}

/** `readme` with the tables between the markers replaced. */
export function withFieldsTables(readme, contract) {
  const fields = replaceBetween(readme, BEGIN, END, fieldsTables(contract));
  return replaceBetween(fields, OPERATIONS_BEGIN, OPERATIONS_END, operationTables(contract));
}

/**
 * Writes the tables into the README (`check: false`), or returns the drift as problems (`check: true`);
 * `path` is README.md unless a test gives a copy.
 */
export async function syncReadmeFields(contract, { check, path = README }) {
  path ??= README;
  const readme = await readFile(path, "utf8");
  const fresh = withFieldsTables(readme, contract);
  if (fresh === readme) return [];
  if (check) return [`README.md's field tables differ from what spec/ generates`];
  await writeFile(path, fresh);
  return [];
}
