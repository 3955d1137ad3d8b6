// spirii-connector-contract/testing: the contract-testing kit. Its peers (Prism, fast-check) are
// optional dependencies, loaded only when a function here needs them.
export { startMockServer } from "./mock-server.js";
export type { MockServer, MockServerOptions } from "./mock-server.js";
export { patchArbitraries } from "./arbitraries.js";
export type { BrokenRule, InvalidPatch, PatchArbitraries } from "./arbitraries.js";
export { verifyProvider, VERIFY_DEFAULTS } from "./verify/verify.js";
export type { VerifyError, VerifyEvents, VerifyOptions, VerifyPlan } from "./verify/verify.js";
export type * from "./verify/types.js";
export { SetupError } from "./verify/setup-error.js";
export { toJUnit } from "./verify/junit.js";
export { FAST_CHECK_PACKAGE, MissingPeerError, PEER_PACKAGES, PRISM_PACKAGES } from "./peers.js";
export { CONTRACT_PATH } from "./contract-file.js";
export {
  COVERAGE_FORMAT_VERSION,
  COVERAGE_KINDS,
  CoverageFileError,
  createCoverageRecorder,
  mergeCoverage,
  readCoverageFile,
  uncoveredByKind,
  writeCoverageFile,
} from "../coverage/index.js";
export type {
  ContractCoverage,
  CoverageExchange,
  CoverageItem,
  CoverageKind,
  CoverageRecorder,
  OperationCoverage,
  OperationRef,
  OutsideContract,
} from "../coverage/index.js";
export { startFakeApi } from "./fake/server.js";
export type { FakeApi, FakeApiOptions } from "./fake/server.js";
export { createFake } from "./fake/engine.js";
export type { Fake, FakeFetch, FakeOptions, FakeRequest } from "./fake/engine.js";
export { override, OffContractAnswerError } from "./fake/overrides.js";
export type { ContractMethod, ContractPath, FakeOverride, OverrideAnswer, OverrideFunction, OverrideRequest } from "./fake/overrides.js";
export type { Fault } from "./fake/faults.js";
export type { FakeRateLimit, RateLimit } from "./fake/rate-limit.js";
