// `spirii-contract fake`'s bad input, in-process: each exits 2 with a message that says what is
// wrong, before anything listens. fake.test.ts checks the same from a child process, once.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { CONTRACT_PATH } from "../../src/testing/contract-file.js";
import { captureOutput } from "./captured-output.js";

const output = captureOutput();

const HEALTHY = JSON.parse(readFileSync(CONTRACT_PATH, "utf8")).components.examples.EvseHealthyAc.value;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spirii-contract-fake-usage-"));
  await writeFile(join(dir, "bad-json.json"), "[{");
  await writeFile(join(dir, "object.json"), JSON.stringify(HEALTHY));
  await writeFile(join(dir, "invalid-evse.json"), JSON.stringify([HEALTHY, { ...HEALTHY, uid: 2, connectors: [{ ...HEALTHY.connectors[0], maxAmperage: "16" }] }]));
  await writeFile(join(dir, "twins.json"), JSON.stringify([HEALTHY, HEALTHY]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));


describe("spirii-contract fake, bad input", () => {
  it.each([
    [["--evses", "/nonexistent/evses.json"], /--evses \/nonexistent\/evses.json: cannot read it \(ENOENT\)/],
    [["--evses", "@bad-json"], /--evses .*bad-json\.json is not JSON \(.*\); it must hold a JSON array of EVSEs/],
    [["--evses", "@object"], /--evses .*object\.json: evses must be an array of EVSEs, got an object/],
    [["--evses", "@invalid-evse"], /--evses .*invalid-evse\.json: evses\[1\] is not a contract-valid Evse: at \/connectors\/0\/maxAmperage must be of type number, got "16"/],
    [["--evses", "@twins"], /--evses .*twins\.json: evses\[1\] at \/uid: uid 654321 is already the uid of evses\[0\]/],
    [["--rate-limit", "120"], /--rate-limit takes N\/WINDOW_MS, e.g. 120\/60000/],
    [["--rate-limit=-1/60000"], /--rate-limit's N must be a whole number from 0 to 2147483647, got "-1"/],
    [["--rate-limit", "120/0"], /--rate-limit's WINDOW_MS must be a whole number from 1 to 2147483647, got "0"/],
    [["--rate-limit", "120/1m"], /--rate-limit's WINDOW_MS must be a whole number from 1 to 2147483647, got "1m"/],
    [["--rate-limit", "1/2/3"], /--rate-limit takes N\/WINDOW_MS/],
    [["--rate-limit", "fast"], /--rate-limit takes N\/WINDOW_MS, e.g. 120\/60000 \(120 requests a minute\), got "fast"; the forms are N\/WINDOW_MS \(the write bucket, e.g. 120\/60000\), BUCKET=N\/WINDOW_MS \(BUCKET one of read, write, remote-control\) or documented/],
    [["--rate-limit", "commands=2/60000"], /--rate-limit commands=2\/60000: "commands" is not a bucket of the contract; its buckets are read, write, remote-control/],
    [["--rate-limit", "Read=2/60000"], /"Read" is not a bucket of the contract/],
    [["--rate-limit", "remote-control=2"], /--rate-limit remote-control= takes N\/WINDOW_MS, e.g. 120\/60000/],
    [["--rate-limit", "remote-control=-2/60000"], /--rate-limit remote-control='s N must be a whole number from 0 to 2147483647, got "-2"/],
    [["--rate-limit", "read=5/0"], /--rate-limit read='s WINDOW_MS must be a whole number from 1 to 2147483647, got "0"/],
    [["--rate-limit", "read=5/60000", "--rate-limit", "read=6/60000"], /--rate-limit gives the read bucket twice/],
    [["--rate-limit", "2/60000", "--rate-limit", "write=3/60000"], /--rate-limit gives the write bucket twice \(N\/WINDOW_MS alone is the write bucket's\); give each bucket once/],
    [["--rate-limit", "documented=1/1000"], /"documented" is not a bucket of the contract/],
    [["--rate-limit"], /Option '--rate-limit <value>' argument missing/],
    [["--port", "http"], /--port must be a whole number from 0 to 65535, got "http"/],
    [["--api-key", ""], /--api-key takes a non-empty key/],
    [["--api-key"], /Option '--api-key <value>' argument missing/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["extra"], /Unexpected argument 'extra'/],
  ])("%j exits 2 and says what is wrong", async (args, message) => {
    const code = await runCli(["fake", ...args.map((a) => (a.startsWith("@") ? join(dir, `${a.slice(1)}.json`) : a))]);
    expect({ code, stderr: output.stderr }).toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
    expect(output.stderr).toContain('Run "spirii-contract fake --help" for usage.');
    expect(output.stdout).not.toContain("listening on");
  });

  it("--help exits 0", async () => {
    expect(await runCli(["fake", "--help"])).toBe(0);
    expect(output.stdout).toContain("spirii-contract fake: serve a stateful fake of the API");
  });

  it("verify still refuses the key as a flag (only the fake declares --api-key)", async () => {
    expect(await runCli(["verify", "--api-key", "k"])).toBe(2);
    expect(output.stderr).toContain("the API key is never passed as a flag");
  });
});
