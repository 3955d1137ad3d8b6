// Sends one attempt: through the caller's fetch, which is promised a Request, or through the
// global fetch, which is given the parts.

/** A fetch the caller injects: it is called with one Request per attempt. */
export type FetchLike = (request: Request) => Promise<Response>;

/** What an attempt sends; the same parts for every attempt of a call. */
export interface Outgoing {
  url: string;
  method: string;
  /** Final: Authorization and User-Agent included. */
  headers: Headers;
  /** A string or buffer, so that a retry can send it again. */
  body: string | ArrayBuffer | undefined;
}

export type Dispatch = (outgoing: Outgoing, signal: AbortSignal) => Promise<Response>;

function init(outgoing: Outgoing, signal: AbortSignal): RequestInit {
  return {
    method: outgoing.method,
    headers: outgoing.headers,
    body: outgoing.body ?? null,
    signal,
    // Following a redirect would hand the key to wherever it points.
    redirect: "manual",
  };
}

export function createDispatch(custom: FetchLike | undefined): Dispatch {
  if (custom) return (outgoing, signal) => custom(new Request(outgoing.url, init(outgoing, signal)));
  // The global fetch is looked up per call, so that one replaced after the client was created is
  // used. It gets the parts, not a Request: it builds a Request from its arguments anyway, and
  // from a Request it would build a second one, piping the body through a TransformStream.
  return (outgoing, signal) => globalThis.fetch(outgoing.url, init(outgoing, signal));
}
