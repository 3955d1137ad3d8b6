// Reads a response body completely, up to a size cap, so that an endless body cannot exhaust
// memory. (The attempt's deadline bounds it in time: see transport.ts.)

export interface ReadBody {
  /** The body, or its first `maxBytes` when it was larger. */
  bytes: Uint8Array;
  /** True when the body was longer than `maxBytes` (the rest was not read). */
  tooLarge: boolean;
}

const NOTHING = new Uint8Array(0);

export async function readBody(response: Response, maxBytes: number): Promise<ReadBody> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    // Said so up front: do not download it.
    await response.body?.cancel().catch(() => {});
    return { bytes: NOTHING, tooLarge: true };
  }
  if (!response.body) return { bytes: NOTHING, tooLarge: false };
  // Read chunk by chunk rather than with arrayBuffer(): a Content-Length is not always there (nor
  // binding when the body is compressed), and the cap must hold either way. This is also cheaper
  // than arrayBuffer(), which runs the same loop and then copies.
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let tooLarge = false;
  // The lock is never released: nothing else reads this body (releasing it would also reject the
  // reader's `closed` promise, a cost on every call for nothing).
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
  // The usual small body arrives in one chunk: use it as it is.
  if (chunks.length === 1) return { bytes: chunks[0]!, tooLarge };
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, tooLarge };
}
