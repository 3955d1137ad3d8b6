/**
 * The run could not start or could not mean anything (production refused, the provider unreachable,
 * the key or the connector rejected): the CLI's exit code 2, distinct from a broken contract (1).
 */
export class SetupError extends Error {
  override readonly name = "SetupError";
}
