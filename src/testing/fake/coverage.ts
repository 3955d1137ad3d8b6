// The fake's contract coverage: what it was sent and answered on the contract's operation, in the
// recorder the mock uses (src/coverage), fed lazily so that recording costs the fake little.
import { createCoverageRecorder, type ContractCoverage, type CoverageRecorder } from "../../coverage/index.js";
import type { FakeAnswer } from "./handler.js";

/** A body as JSON when it parses; the text itself when not; undefined when empty. */
export function parsedBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Contract coverage of the exchanges on the contract's operation, recorded lazily: an exchange is
 * kept as text and counted, and parsed into the recorder only when coverage is asked for (or when
 * many distinct ones are pending). Tests repeat the same exchanges, and parsing each one as it
 * happened cost more than answering it.
 */
export class LazyCoverage {
  readonly #recorder: CoverageRecorder = createCoverageRecorder();
  #pending = new Map<string, { text: string; reply: FakeAnswer | undefined; count: number }>();

  add(text: string, reply: FakeAnswer | undefined): void {
    const key = reply ? `${text}\u0000${reply.status}\u0000${reply.body}` : text;
    const seen = this.#pending.get(key);
    if (seen) seen.count++;
    else this.#pending.set(key, { text, reply, count: 1 });
    if (this.#pending.size >= 1024) this.#fold();
  }

  coverage(): ContractCoverage {
    this.#fold();
    return this.#recorder.coverage();
  }

  #fold(): void {
    for (const { text, reply, count } of this.#pending.values()) {
      const request = parsedBody(text);
      const response = reply && parsedBody(reply.body);
      for (let i = 0; i < count; i++) {
        this.#recorder.request(request);
        if (reply) this.#recorder.response(reply.status, response);
      }
    }
    this.#pending = new Map();
  }
}

