// spirii-connector-contract: the contract of the connector operations of the Spirii EVSE v2 API.
export * from "./contract.js";
export * from "./validation.js";
export * from "./domain.js";
export { enumViolationIssue, isEnumViolation, judgeEnumValues, openEnumFields, unlistedEnumValues } from "./enum-values.js";
export type { EnumIssue, OpenEnumName, ResponseLocation, SchemaWithOpenEnums, UnlistedEnumValue, UnlistedValueKind } from "./enum-values.js";
export * from "./client/index.js";
