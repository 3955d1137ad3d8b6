// Loading Prism changes the process: its HTTP server (micri) loads a source-map hook that replaces
// Error.prepareStackTrace (so every stack trace in a consumer's tests points at the wrong line),
// and tslib writes its helpers (__extends, __awaiter, ...) onto globalThis. Prism's modules call
// their own copies, so the kit puts the process back as it was once they are loaded.

type Snapshot = Map<PropertyKey, PropertyDescriptor>;

const snapshot = (target: object): Snapshot => new Map(Reflect.ownKeys(target).map((key) => [key, Reflect.getOwnPropertyDescriptor(target, key)!]));

/** Puts `target`'s own properties back to `before`: added ones removed, replaced values restored. */
function restore(target: object, before: Snapshot): void {
  for (const key of Reflect.ownKeys(target)) {
    const was = before.get(key);
    const now = Reflect.getOwnPropertyDescriptor(target, key)!;
    if (!was) Reflect.deleteProperty(target, key);
    // Only data properties are compared: Node's lazy globals (Headers, ...) turn from getters into
    // values when first read, which is not a change to undo.
    else if ("value" in was && "value" in now && !Object.is(was.value, now.value)) Reflect.defineProperty(target, key, was);
  }
  for (const [key, was] of before) if (!Reflect.getOwnPropertyDescriptor(target, key)) Reflect.defineProperty(target, key, was);
}

/** Runs `load` (a `require` of a dependency) and undoes what it did to globalThis and to `Error`. */
export function keepingGlobals<T>(load: () => T): T {
  const globals = snapshot(globalThis);
  const errorStatics = snapshot(Error);
  try {
    return load();
  } finally {
    restore(globalThis, globals);
    restore(Error, errorStatics);
  }
}
