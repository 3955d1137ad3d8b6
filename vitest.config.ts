import { defineConfig } from "vitest/config";

/**
 * The release suite (`npm run test:release`, vitest.release.config.ts): the packed tarball installed
 * offline into consumer projects and compiled by two TypeScript versions, and the breaking-change
 * gate and release script on planted contracts. Together they cost about as much CPU as the rest of
 * the suite (npm installs, full tsc programs, a redocly process per case), so `npm test` leaves them
 * to that command, which .ci/run and the workflows run right after it.
 */
export const RELEASE_SUITE = ["test/package/**/*.test.ts", "test/diff-gate/**/*.test.ts"];

export const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // Two cores: keep parallelism modest so server-backed tests stay within their time bounds.
  maxWorkers: 2,
  // Test files share a worker's module graph instead of each getting a fresh process: Prism alone
  // costs ~1.7 s of CPU to load, and it was loaded again for every file that starts a mock. The
  // suite holds no global state between files (each file starts and stops its own servers).
  isolate: false,
};

export default defineConfig({
  test: { ...shared, include: ["test/**/*.test.ts"], exclude: ["**/node_modules/**", ...RELEASE_SUITE] },
});
