// spirii-connector-contract: the contract of PATCH /v2/evses/{uid}/connectors/{connectorId}.
export * from "./contract.js";
export * from "./validation.js";
export * from "./domain.js";
export * from "./client/index.js";
