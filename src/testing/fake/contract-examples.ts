// What the fake takes from the bundled contract at run time: the example EVSEs it starts with and
// the error envelope's `type`/`code` per status. Read from generated/openapi.json, never copied.
import type { ApiError, Evse } from "../../contract.js";
import { deref, documentedResponse, updateConnectorOperation, type SchemaNode } from "../contract-document.js";

function responseExamples(key: string): Array<{ name: string; value: unknown }> {
  const response = deref((updateConnectorOperation()["responses"] as Record<string, unknown>)[key]);
  const content = Object.values((response["content"] ?? {}) as Record<string, SchemaNode>)[0] ?? {};
  return Object.entries((content["examples"] ?? {}) as Record<string, unknown>).map(([name, example]) => ({ name, value: deref(example)["value"] }));
}

/** The EVSEs of the contract's 200 examples (the reference page's 123456, the healthy AC one), fresh copies. */
export function exampleEvses(): Evse[] {
  return responseExamples("200").map((example) => structuredClone(example.value) as Evse);
}

const mediaTypes = new Map<number, string>();

/** The media type the contract documents for a status's body (`application/json`), looked up once per status. */
export function mediaTypeOf(status: number): string {
  let mediaType = mediaTypes.get(status);
  if (mediaType === undefined) {
    mediaType = documentedResponse(status)?.mediaTypes[0] ?? "application/json";
    mediaTypes.set(status, mediaType);
  }
  return mediaType;
}

type ErrorKind = Pick<ApiError["error"], "type" | "code">;
const kinds = new Map<string, ErrorKind>();

/**
 * The `type` and `code` of the contract's error example for `status` (the one named `example` when
 * there are several, as for 401), so that the fake's errors read like the documented ones.
 */
export function documentedErrorKind(status: number, example?: string): ErrorKind {
  const key = documentedResponse(status)?.key;
  if (key === undefined) return {};
  const cacheKey = `${key}/${example ?? ""}`;
  let kind = kinds.get(cacheKey);
  if (!kind) {
    const examples = responseExamples(key);
    const chosen = examples.find((e) => e.name === example) ?? examples[0];
    const error = (chosen?.value as Partial<ApiError> | undefined)?.error;
    kind = { ...(error?.type === undefined ? {} : { type: error.type }), ...(error?.code === undefined ? {} : { code: error.code }) };
    kinds.set(cacheKey, kind);
  }
  return kind;
}
