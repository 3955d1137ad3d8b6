// Which documented response a status falls under, as OpenAPI 3.1 reads a Responses Object: the
// status's own code, else its range ("503" -> "5XX"), else "default". The client, the fake,
// coverage and verify all ask this one question, so they cannot disagree about an answer.

/** The documented response key `status` (a code, or a key such as "5XX" itself) falls under, or undefined when the operation documents none for it. */
export function documentedStatusKey(status: number | string, documented: readonly string[]): string | undefined {
  return [String(status), `${String(status).charAt(0)}XX`, "default"].find((key) => documented.includes(key));
}
