// `npm run test:release`: what a release needs beyond `npm test` (see RELEASE_SUITE in vitest.config.ts).
import { defineConfig } from "vitest/config";
import { RELEASE_SUITE, shared } from "./vitest.config.js";

export default defineConfig({ test: { ...shared, include: RELEASE_SUITE } });
