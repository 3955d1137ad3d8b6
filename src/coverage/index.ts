// Contract coverage: which statuses, request fields and values, request rules and response shapes
// of each operation of the contract a test run or a verify run exercised. Derived from the bundled contract.
export type { ContractCoverage, CoverageItem, OperationCoverage, OutsideContract } from "./model.js";
export { COVERAGE_FORMAT_VERSION } from "./model.js";
export type { CoverageKind } from "./items.js";
export { COVERAGE_KINDS } from "./items.js";
export { createCoverageRecorder, ruleIdOfBrokenRule, statusItemId } from "./recorder.js";
export type { CoverageExchange, CoverageRecorder, OperationRef } from "./recorder.js";
export { mergeCoverage, uncoveredByKind } from "./merge.js";
export { CoverageFileError, readCoverageFile, writeCoverageFile } from "./file.js";
