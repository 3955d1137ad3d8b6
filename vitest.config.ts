import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep parallelism modest so server-backed tests stay within their time bounds.
    maxWorkers: 2,
    // Test files share a worker's module graph instead of each getting a fresh process: Prism alone
    // costs ~1.7 s of CPU to load, and it was loaded again for every file that starts a mock. The
    // suite holds no global state between files (each file starts and stops its own servers), and
    // this took `npm test` from ~100 s to ~75 s on 2 cores.
    isolate: false,
  },
});
