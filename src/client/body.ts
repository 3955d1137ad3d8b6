// Reads a response body completely, within the attempt's deadline and up to a size cap: a body
// that stalls is a timeout, and an endless one cannot exhaust memory.

export interface ReadBody {
  /** The body, or its first `maxBytes` when it was larger. */
  bytes: Uint8Array<ArrayBuffer>;
  /** True when the body was longer than `maxBytes` (the rest was not read). */
  tooLarge: boolean;
}

export async function readBody(response: Response, maxBytes: number): Promise<ReadBody> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    // Said so up front: do not download it.
    await response.body?.cancel().catch(() => {});
    return { bytes: new Uint8Array(0), tooLarge: true };
  }
  if (!response.body) return { bytes: new Uint8Array(0), tooLarge: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let tooLarge = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - length;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        length += room;
        tooLarge = true;
        await reader.cancel().catch(() => {});
        break;
      }
      chunks.push(value);
      length += value.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, tooLarge };
}
