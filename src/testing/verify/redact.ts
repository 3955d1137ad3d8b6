/**
 * Removes a secret from text bound for output or a report file. Applied to the finished text, so a
 * provider that echoes the key in a body cannot leak it either.
 */
export function redactor(secret: string): (text: string) => string {
  if (secret === "") return (text) => text;
  return (text) => text.replaceAll(secret, "[redacted]");
}
