// spirii-connector-contract/testing: the contract-testing kit (needs the optional Prism peers).
export { startMockServer } from "./mock-server.js";
export type { MockServer, MockServerOptions } from "./mock-server.js";
export { PRISM_PACKAGES } from "./prism.js";
export { CONTRACT_PATH } from "./contract-file.js";
