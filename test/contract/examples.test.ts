// Every example in the contract is valid against its own schema, checked by the generated
// validators (what consumers run), and the reference page's payloads are in the contract verbatim.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { OPERATIONS, validateConnectorPath, validateConnectorUpdate, validateEvse } from "../../src/index.js";
import { operationValidators } from "../../generated/validators.js";
import { escapePointer } from "../../src/json-pointer.js";
import { PAGE_REQUEST, PAGE_RESPONSE } from "../fixtures/reference-page.js";
import { CONTRACT, OPERATION, deref } from "./contract.js";

type Check = ((value: unknown) => boolean) & { errors?: unknown };
type Validators = { path: Check | null; query: Check | null; body: Check | null; responses: Record<string, Check | null> };

/** [where, example value, the operation's generated validator for that place] for every media-type example of every operation. */
function mediaExamples(): [string, unknown, Check | null][] {
  const found: [string, unknown, Check | null][] = [];
  for (const [id, facts] of Object.entries(OPERATIONS)) {
    const operation = CONTRACT.paths[facts.path][facts.method.toLowerCase()];
    const validators = (operationValidators as Record<string, Validators>)[id]!;
    const collect = (where: string, content: Record<string, any>, check: Check | null) => {
      for (const [type, media] of Object.entries(content)) {
        for (const [name, example] of Object.entries<any>(media.examples ?? {})) found.push([`${id} ${where} ${type} example "${name}"`, deref(example).value, check]);
      }
    };
    if (operation.requestBody) collect("request body", deref(operation.requestBody).content, validators.body);
    for (const [status, response] of Object.entries(operation.responses)) collect(`response ${status}`, deref(response).content ?? {}, validators.responses[status] ?? null);
  }
  return found;
}

describe("contract examples", () => {
  const examples = mediaExamples();

  it.each(Object.keys(OPERATIONS))("%s: cover its request body, the 200 and every documented error response", (id) => {
    const facts = OPERATIONS[id as keyof typeof OPERATIONS];
    const mine = examples.filter(([where]) => where.startsWith(`${id} `));
    for (const status of facts.documentedStatuses) expect(mine.some(([where]) => where.startsWith(`${id} response ${status} `)), status).toBe(true);
    if (facts.requestBody) expect(mine.some(([where]) => where.startsWith(`${id} request body`))).toBe(true);
  });

  it("getEvse has examples of its own, not the update's", () => {
    const own = (id: string) => examples.filter(([where]) => where.startsWith(`${id} response 200`)).map(([, value]) => JSON.stringify(value));
    expect(own("getEvse").length).toBeGreaterThanOrEqual(2);
    for (const example of own("getEvse")) expect(own("updateConnector")).not.toContain(example);
  });

  it.each(examples)("%s is valid (generated validator)", (_where, value, validate) => {
    expect(validate, "no generated validator for this place").not.toBeNull();
    expect(validate!(value), JSON.stringify(validate!.errors)).toBe(true);
  });

  it("path parameter examples are valid path ids, for every operation", () => {
    for (const [id, facts] of Object.entries(OPERATIONS)) {
      const item = CONTRACT.paths[facts.path];
      const params = Object.fromEntries(
        [...(item.parameters ?? []), ...(item[facts.method.toLowerCase()].parameters ?? [])].map((p: any) => deref(p)).filter((p: any) => p.in === "path").map((p: any) => [p.name, p.example]),
      );
      expect(Object.keys(params), id).toEqual(facts.pathParameters);
      const validatePath = (operationValidators as Record<string, Validators>)[id]!.path;
      // An operation without path parameters (listEvses) has no path validator.
      if (facts.pathParameters.length === 0) expect(validatePath, id).toBeNull();
      else expect(validatePath!(params), id).toBe(true);
    }
    expect(validateConnectorPath({ uid: 123456, connectorId: 1 }).ok).toBe(true);
  });

  it("every schema-level example is valid against the schema that carries it", () => {
    // Schema `examples` are annotations the generated validators ignore, so check them here with Ajv.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: "contract", components: CONTRACT.components });
    let checked = 0;
    const visit = (node: any, pointer: string) => {
      if (!node || typeof node !== "object") return;
      if (Array.isArray(node.examples) && (node.type || node.enum || node.anyOf || node.$ref)) {
        const validate = ajv.getSchema(`contract#${pointer}`)!;
        for (const example of node.examples) {
          expect(validate(example), `${pointer} example ${JSON.stringify(example)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
          checked++;
        }
      }
      for (const [key, child] of Object.entries(node)) {
        if (key === "examples" || key === "enum") continue;
        visit(child, `${pointer}/${escapePointer(key)}`);
      }
    };
    visit(CONTRACT.components.schemas, "/components/schemas");
    expect(checked).toBeGreaterThan(20);
  });
});

describe("the reference page's payloads", () => {
  it("the page's request is the contract's referencePage request example, verbatim", () => {
    expect(deref(deref(OPERATION.requestBody).content["application/json"].examples.referencePage).value).toEqual(PAGE_REQUEST);
    expect(validateConnectorUpdate(PAGE_REQUEST)).toEqual({ ok: true, value: PAGE_REQUEST });
  });

  it("the page's response is the contract's referencePage 200 example, verbatim", () => {
    expect(deref(OPERATION.responses["200"].content["application/json"].examples.referencePage).value).toEqual(PAGE_RESPONSE);
    expect(validateEvse(PAGE_RESPONSE)).toEqual({ ok: true, value: PAGE_RESPONSE });
  });
});
