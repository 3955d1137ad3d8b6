// What openapi-fetch builds for updateConnector in place of an undici Request (its `Request`
// option). openapi-fetch has already serialized the patch to a JSON string and merged the headers;
// an undici Request would wrap that string in a ReadableStream (built through makeTransferable on
// Node 20) and create an AbortSignal, only for the transport to read the body back out and build
// the request it really sends, once per attempt with that attempt's signal.
// Keeping the parts as they are lets every attempt resend the same string.

/**
 * Filled in by the transport for the call that made the request: openapi-fetch hands back only the
 * Response, and what updateConnector needs besides it travels here (cheaper than a WeakMap keyed by
 * the Response, which costs an identity hash and an ephemeron per call).
 */
export interface Receipt {
  /** How many attempts produced the response (1 when it came at the first try). */
  attempts: number;
  /**
   * The body as read, for a 2xx: that Response is handed back as it came, its body already used up
   * (updateConnector asks openapi-fetch for `parseAs: "stream"`, which leaves the body alone).
   */
  bytes: Uint8Array | undefined;
}

/** RequestInit plus the receipt; openapi-fetch passes fetch options it does not know on to the Request. */
export interface PreparedRequestInit extends RequestInit {
  receipt?: Receipt | undefined;
}

export class PreparedRequest {
  readonly url: string;
  readonly method: string;
  /** The headers openapi-fetch merged; the transport adds Authorization and User-Agent to them. */
  readonly headers: Headers;
  /** The serialized body (updateConnector always has one; a string can be sent any number of times). */
  readonly body: string | undefined;
  /** The caller's signal, when there is one. */
  readonly signal: AbortSignal | undefined;
  readonly receipt: Receipt | undefined;

  constructor(url: string | URL, init: PreparedRequestInit = {}) {
    this.url = String(url);
    this.method = init.method ?? "GET";
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    if (init.body !== undefined && init.body !== null && typeof init.body !== "string") {
      // Only reachable if updateConnector's body serializer changed: a stream could not be resent.
      throw new TypeError("PreparedRequest: the body must be a serialized string.");
    }
    this.body = init.body ?? undefined;
    this.signal = init.signal ?? undefined;
    this.receipt = init.receipt;
  }
}

/** For openapi-fetch's `Request` option, which is typed as the global Request constructor. */
export const PreparedRequestConstructor = PreparedRequest as unknown as typeof Request;
