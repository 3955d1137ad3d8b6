// The cases of a run, in order: the contract's request examples, the auth probe, the fixed cases
// (every enum value and field, every rule broken at its edge; see boundaries.ts), then `runs` valid
// and `runs` invalid patches generated from the request schema. The same seed gives the same cases;
// everything but the generated part is the same whatever the seed.
import { patchArbitraries } from "../arbitraries.js";
import { requestExamples } from "../contract-document.js";
import { loadFastCheck } from "../fast-check-peer.js";
import { boundaryCases } from "./boundaries.js";
import type { VerifyCase } from "./types.js";

const fieldCount = (body: unknown) => (body !== null && typeof body === "object" ? Object.keys(body).length : 0);
const fieldList = (body: unknown) => (body !== null && typeof body === "object" ? Object.keys(body).join(", ") : "");

export interface PlanOptions {
  runs: number;
  seed: number;
  /** Send the auth probe (default true). */
  authProbe?: boolean;
}

export async function planCases(options: PlanOptions): Promise<VerifyCase[]> {
  const fc = await loadFastCheck();
  const { valid, invalid } = await patchArbitraries();
  const sample = <T>(arbitrary: Parameters<typeof fc.sample<T>>[0], seed: number) =>
    options.runs === 0 ? [] : fc.sample(arbitrary, { seed, numRuns: options.runs });
  // Smallest example first: its answer already shows the earlier values of every field it leaves
  // alone, which is what the final restore needs when the provider offers no way to read them.
  const examples = requestExamples().sort((a, b) => fieldCount(a.value) - fieldCount(b.value));
  const fixed = boundaryCases();
  // The probe sends a valid patch that changes something, so a provider that ignores the key shows it.
  const probe = fixed.valid[0]!.body;
  const auth: VerifyCase[] =
    options.authProbe === false
      ? []
      : [
          { id: "auth:no-key", kind: "auth", title: "a valid patch without Authorization: 401 expected", body: probe, credentials: "none" },
          { id: "auth:wrong-key", kind: "auth", title: "a valid patch with a wrong API key: 401 or 403 expected", body: probe, credentials: "wrong-key" },
        ];
  return [
    ...examples.map((e): VerifyCase => ({ id: `example:${e.name}`, kind: "example", title: `example "${e.name}": ${e.summary}`, body: e.value })),
    ...auth,
    ...fixed.valid,
    ...fixed.invalid,
    ...sample(valid, options.seed).map((body, i): VerifyCase => ({ id: `valid#${i + 1}`, kind: "valid", title: `valid patch of ${fieldList(body)}`, body })),
    ...sample(invalid, options.seed + 1).map((p, i): VerifyCase => ({ id: `invalid#${i + 1}`, kind: "invalid", title: p.description, body: p.body, breaks: p.breaks })),
  ];
}
