// The fake's contract coverage: what it was sent and answered on the contract's operations, in the
// recorder the mock uses (src/coverage), fed lazily so that recording costs the fake little.
import { createCoverageRecorder, type ContractCoverage, type CoverageRecorder } from "../../coverage/index.js";
import { UPDATE_CONNECTOR } from "../../../generated/operations.js";
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
  #pending = new Map<string, { text: string; reply: FakeAnswer | undefined; where: Where | undefined; count: number }>();

  /**
   * One exchange: the request body's text and the answer (none when the connection was dropped).
   * `where` is its operation (as the fake matched it), or the method and path of a request for no
   * operation (counted outside the contract); without it, the exchange is updateConnector's.
   */
  add(text: string, reply: FakeAnswer | undefined, where?: Where): void {
    const key = `${where ? ("operation" in where ? where.operation : `${where.method} ${where.path}`) : ""}\u0000${text}${reply ? `\u0000${reply.status}\u0000${reply.body}` : ""}`;
    const seen = this.#pending.get(key);
    if (seen) seen.count++;
    else this.#pending.set(key, { text, reply, where, count: 1 });
    if (this.#pending.size >= 1024) this.#fold();
  }

  coverage(): ContractCoverage {
    this.#fold();
    return this.#recorder.coverage();
  }

  #fold(): void {
    for (const { text, reply, where, count } of this.#pending.values()) {
      const requestBody = parsedBody(text);
      const answer = reply ? { status: reply.status, responseBody: parsedBody(reply.body) } : {};
      const operation = where ?? { operation: UPDATE_CONNECTOR.operationId };
      for (let i = 0; i < count; i++) this.#recorder.record({ ...operation, requestBody, ...answer });
    }
    this.#pending = new Map();
  }
}

/** Where an exchange is filed: its operationId, or the method and path of a request for no operation. */
export type Where = { operation: string } | { method: string; path: string };
