// A Standard Schema consumer, typed on the spec's own package (@standard-schema/spec), as tRPC,
// Hono or TanStack Form are: it takes any StandardSchemaV1 and infers the value's type from it.
// Compiled by standard-schema.test.ts; each @ts-expect-error line must be a real error.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { validateConnectorPath, validateConnectorUpdate, validateEvse, type ConnectorUpdate, type Evse } from "spirii-connector-contract";

/** What a framework does with an input schema: validate, then hand over the typed value or throw the issues. */
export async function parseWith<Schema extends StandardSchemaV1>(schema: Schema, value: unknown): Promise<StandardSchemaV1.InferOutput<Schema>> {
  const result = await schema["~standard"].validate(value);
  if (result.issues) throw new Error(result.issues.map((issue) => `${(issue.path ?? []).map((key) => String(typeof key === "object" ? key.key : key)).join(".")}: ${issue.message}`).join("; "));
  return result.value;
}

export async function consume(): Promise<void> {
  const patch = await parseWith(validateConnectorUpdate, { maxVoltage: 400 });
  const typed: ConnectorUpdate = patch;
  // @ts-expect-error the output is a ConnectorUpdate, whose maxVoltage is a number
  const wrong: string = patch.maxVoltage;
  const evse: Evse = await parseWith(validateEvse, {});
  const input: StandardSchemaV1.InferInput<typeof validateConnectorPath> = { uid: 1, connectorId: 1 };
  // @ts-expect-error ids are numbers
  const badInput: StandardSchemaV1.InferInput<typeof validateConnectorPath> = { uid: "1", connectorId: 1 };
  const schemas: StandardSchemaV1[] = [validateConnectorUpdate, validateEvse, validateConnectorPath];
  void [typed, wrong, evse, input, badInput, schemas];
}
