// How an issue lists the values a field allows: one wording for the validators' enum issues and the
// open-enum violations of src/enum-values.ts.

/** The allowed values, all of them when few, the first and last few when many (42 OCPI standards). */
export function allowed(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  return shown.length <= 12 ? shown.join(", ") : `${shown.slice(0, 5).join(", ")}, ... ${shown.slice(-2).join(", ")} (${shown.length} values)`;
}
