// What openapi-fetch builds for updateConnector in place of an undici Request (its `Request`
// option). openapi-fetch has already serialized the patch to a JSON string and merged the headers;
// an undici Request would wrap that string in a ReadableStream and create an AbortSignal, both
// costly on Node 20 (each goes through makeTransferable), only for the transport to read the body
// back out and build the request it really sends, once per attempt with that attempt's signal.
// Keeping the parts as they are lets every attempt resend the same string.

export class PreparedRequest {
  readonly url: string;
  readonly method: string;
  /** The headers openapi-fetch merged; the transport adds Authorization and User-Agent to them. */
  readonly headers: Headers;
  /** The serialized body (updateConnector always has one; a string can be sent any number of times). */
  readonly body: string | undefined;
  /** The caller's signal, when there is one. */
  readonly signal: AbortSignal | undefined;

  constructor(url: string | URL, init: RequestInit = {}) {
    this.url = String(url);
    this.method = init.method ?? "GET";
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    if (init.body !== undefined && init.body !== null && typeof init.body !== "string") {
      // Only reachable if updateConnector's body serializer changed: a stream could not be resent.
      throw new TypeError("PreparedRequest: the body must be a serialized string.");
    }
    this.body = init.body ?? undefined;
    this.signal = init.signal ?? undefined;
  }
}

/** For openapi-fetch's `Request` option, which is typed as the global Request constructor. */
export const PreparedRequestConstructor = PreparedRequest as unknown as typeof Request;
