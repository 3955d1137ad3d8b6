// Every example in the contract is valid against its own schema, checked by the generated
// validators (what consumers run), and the reference page's payloads are in the contract verbatim.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { validateApiError, validateConnectorPath, validateConnectorUpdate, validateEvse } from "../../src/index.js";
import type { ValidationResult } from "../../src/index.js";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { escapePointer } from "../../src/json-pointer.js";
import { PAGE_REQUEST, PAGE_RESPONSE } from "../fixtures/reference-page.js";
import { CONTRACT, OPERATION, deref, refName } from "./contract.js";

const VALIDATOR_FOR: Record<string, (value: unknown) => ValidationResult<unknown>> = {
  ConnectorUpdate: validateConnectorUpdate,
  Evse: validateEvse,
  ApiError: validateApiError,
};

/** [where, schema name, example value] for every media-type example of the operation. */
function mediaExamples(): [string, string, unknown][] {
  const found: [string, string, unknown][] = [];
  const collect = (where: string, content: Record<string, any>) => {
    for (const [type, media] of Object.entries(content)) {
      for (const [name, example] of Object.entries<any>(media.examples ?? {})) {
        found.push([`${where} ${type} example "${name}"`, refName(media.schema), deref(example).value]);
      }
    }
  };
  collect("request body", deref(OPERATION.requestBody).content);
  for (const [status, response] of Object.entries(OPERATION.responses)) collect(`response ${status}`, deref(response).content ?? {});
  return found;
}

describe("contract examples", () => {
  const examples = mediaExamples();

  it("covers the request, the 200 and every documented error response", () => {
    const statuses = Object.keys(OPERATION.responses);
    for (const status of statuses) expect(examples.some(([where]) => where.startsWith(`response ${status} `)), status).toBe(true);
    expect(examples.some(([where]) => where.startsWith("request body"))).toBe(true);
    expect(examples.length).toBeGreaterThanOrEqual(statuses.length + 2);
  });

  it.each(examples)("%s is valid against %s (generated validator)", (_where, schemaName, value) => {
    const validate = VALIDATOR_FOR[schemaName];
    expect(validate, `no generated validator for ${schemaName}`).toBeDefined();
    const result = validate!(value);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it("path parameter examples are valid path ids", () => {
    const params = Object.fromEntries(
      [...(CONTRACT.paths[UPDATE_CONNECTOR.path].parameters ?? [])].map((p: any) => deref(p)).map((p: any) => [p.name, p.example]),
    );
    expect(params).toEqual({ uid: 123456, connectorId: 1 });
    expect(validateConnectorPath(params).ok).toBe(true);
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
