// JSON Pointer (RFC 6901) tokens: the one escape the package uses for pointers it builds.

/** Escapes one reference token: `~` as `~0`, `/` as `~1`, in that order. */
export const escapePointer = (token: string): string => token.replaceAll("~", "~0").replaceAll("/", "~1");
