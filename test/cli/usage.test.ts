// Usage errors and help, in-process: every one exits 2 (or 0 for help) before any request.
// cli.test.ts checks the same mapping from a child process, the way a pipeline sees it.
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { captureOutput } from "./captured-output.js";

const output = captureOutput();


describe("runCli", () => {
  it.each([["-h"], ["help"], ["--help"]])("%s prints the main help and exits 0", async (flag) => {
    expect(await runCli([flag])).toBe(0);
    expect(output.stdout).toContain("Exit codes:");
  });

  it.each([
    [["verify", "--uid", "1"], /spirii-contract verify: --base-url is required/],
    [["verify", "--base-url", "http://127.0.0.1:9", "--uid", "0", "--connector-id", "1"], /--uid must be a whole number of at least 1, got "0"/],
    [["verify", "--base-url", "http://127.0.0.1:9", "--uid", "1", "--connector-id", "1.5"], /--connector-id must be a whole number of at least 1, got "1.5"/],
    [["verify", "--base-url", "http://127.0.0.1:9", "--uid", "1", "--connector-id", "1", "--runs=-1"], /--runs must be a whole number from 0 to 10000/],
    [["verify", "--base-url", "ftp://127.0.0.1", "--uid", "1", "--connector-id", "1"], /--base-url must use https, or http to a loopback host \(got ftp:\)/],
    [["verify", "--base-url", "http://user:pw@127.0.0.1", "--uid", "1", "--connector-id", "1"], /--base-url must not contain a user name or password; the API key comes from an environment variable/],
    [["verify", "--base-url", "not a url", "--uid", "1", "--connector-id", "1"], /--base-url "not a url" is not an absolute URL \(expected e.g. http:\/\/127.0.0.1:8080\)/],
    [["verify", "--base-url", "http://provider.example:8080", "--uid", "1", "--connector-id", "1"], /--base-url http:\/\/provider.example:8080 is plain http to a host that is not loopback.*clear text.*pass --allow-insecure-http/],
    [["verify", "--key=abc"], /the API key is never passed as a flag/],
    [["verify", "--base-url", "http://127.0.0.1:9", "--uid", "1", "--connector-id", "1", "--api-key-env", "sk-live-123!"], /--api-key-env takes the NAME of an environment variable/],
    [["mock", "--seed", "1"], /spirii-contract mock: --seed only applies with --dynamic/],
    [["mock", "--port", "4010x"], /--port must be a whole number from 0 to 65535, got "4010x"/],
    [["mock", "extra"], /Unexpected argument 'extra'/],
  ])("%j exits 2 and says what is wrong", async (args, message) => {
    expect(await runCli(args)).toBe(2);
    expect(output.stderr).toMatch(message);
  });
});
