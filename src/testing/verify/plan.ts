// The cases of a run, in order: the contract's request examples, then valid patches generated from
// the request schema, then invalid ones. The same seed gives the same cases.
import { patchArbitraries } from "../arbitraries.js";
import { requestExamples } from "../contract-document.js";
import { loadFastCheck } from "../fast-check-peer.js";
import type { VerifyCase } from "./types.js";

const fieldCount = (body: unknown) => (body !== null && typeof body === "object" ? Object.keys(body).length : 0);
const fieldList = (body: unknown) => (body !== null && typeof body === "object" ? Object.keys(body).join(", ") : "");

export async function planCases(options: { runs: number; seed: number }): Promise<VerifyCase[]> {
  const fc = await loadFastCheck();
  const { valid, invalid } = await patchArbitraries();
  const sample = <T>(arbitrary: Parameters<typeof fc.sample<T>>[0], seed: number) =>
    options.runs === 0 ? [] : fc.sample(arbitrary, { seed, numRuns: options.runs });
  // Smallest example first: its answer already shows the earlier values of every field it leaves
  // alone, which is what the final restore needs when the provider offers no way to read them.
  const examples = requestExamples().sort((a, b) => fieldCount(a.value) - fieldCount(b.value));
  return [
    ...examples.map((e): VerifyCase => ({ id: `example:${e.name}`, kind: "example", title: `example "${e.name}": ${e.summary}`, body: e.value })),
    ...sample(valid, options.seed).map((body, i): VerifyCase => ({ id: `valid#${i + 1}`, kind: "valid", title: `valid patch of ${fieldList(body)}`, body })),
    ...sample(invalid, options.seed + 1).map((p, i): VerifyCase => ({ id: `invalid#${i + 1}`, kind: "invalid", title: p.description, body: p.body, breaks: p.breaks })),
  ];
}
