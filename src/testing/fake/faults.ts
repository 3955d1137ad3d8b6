// Faults a test queues for the next requests, to see its client cope: an answer of its choosing
// (a 503 with Retry-After, a broken 200), a dropped connection, a late answer. Checked when queued,
// so a typo fails the test at the line that made it, not as a puzzling answer later.

/** What `fake.failNext` accepts. */
export type Fault =
  /** Answer with this status (and body and headers) instead of handling the request. */
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Drop the connection without an answer. */
  | { reset: true }
  /** Handle the request as usual, but answer `delayMs` (real milliseconds) late. */
  | { delayMs: number };

const KINDS = "{ status, body?, headers?, delayMs? }, { reset: true } or { delayMs }";

export function checkFault(fault: unknown): Fault {
  if (fault === null || typeof fault !== "object" || Array.isArray(fault)) {
    throw new TypeError(`fake.failNext: a fault is one of ${KINDS}, got ${JSON.stringify(fault)}.`);
  }
  const f = fault as Record<string, unknown>;
  const unknown = Object.keys(f).filter((key) => !["status", "body", "headers", "delayMs", "reset"].includes(key));
  if (unknown.length) throw new TypeError(`fake.failNext: unknown fault kind ${unknown.map((k) => JSON.stringify(k)).join(", ")}; a fault is one of ${KINDS}.`);
  if ("reset" in f) {
    if (f["reset"] !== true) throw new TypeError(`fake.failNext: reset must be true, got ${JSON.stringify(f["reset"])}.`);
    if (Object.keys(f).length > 1) throw new TypeError(`fake.failNext: { reset: true } drops the connection and takes nothing else, got ${JSON.stringify(fault)}.`);
    return { reset: true };
  }
  if ("delayMs" in f && (typeof f["delayMs"] !== "number" || !Number.isInteger(f["delayMs"]) || f["delayMs"] < 0 || f["delayMs"] > 2_147_483_647)) {
    throw new RangeError(`fake.failNext: delayMs must be a whole number of milliseconds, 0 or more, got ${String(f["delayMs"])}.`);
  }
  if (!("status" in f)) {
    if ("body" in f || "headers" in f) throw new TypeError(`fake.failNext: body and headers need a status, got ${JSON.stringify(fault)}.`);
    if (!("delayMs" in f)) throw new TypeError(`fake.failNext: a fault is one of ${KINDS}, got ${JSON.stringify(fault)}.`);
    return { delayMs: f["delayMs"] as number };
  }
  const status = f["status"];
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`fake.failNext: status must be a whole number from 200 to 599, got ${String(status)}.`);
  }
  if (status < 400 && !("body" in f)) {
    throw new TypeError(`fake.failNext: a ${status} fault needs a body (a string is sent as it is, anything else as JSON); only errors get the documented envelope by default.`);
  }
  const headers = f["headers"];
  if (headers !== undefined && (headers === null || typeof headers !== "object" || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== "string"))) {
    throw new TypeError(`fake.failNext: headers must be an object of strings, e.g. { "Retry-After": "1" }, got ${JSON.stringify(headers)}.`);
  }
  return { ...(f as { status: number }), ...(headers === undefined ? {} : { headers: { ...(headers as Record<string, string>) } }) };
}

export class FaultQueue {
  #queue: Fault[] = [];

  push(fault: unknown, times: unknown = 1): void {
    const checked = checkFault(fault);
    if (typeof times !== "number" || !Number.isInteger(times) || times < 1 || times > 10_000) {
      throw new RangeError(`fake.failNext: times must be a whole number from 1 to 10000, got ${String(times)}.`);
    }
    for (let i = 0; i < times; i++) this.#queue.push(checked);
  }

  /** The fault for the request that just came in, if one is queued. */
  take(): Fault | undefined {
    return this.#queue.shift();
  }

  get size(): number {
    return this.#queue.length;
  }

  clear(): void {
    this.#queue = [];
  }
}
