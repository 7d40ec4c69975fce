import { describe, expect, it } from "vitest";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { adjustedRandIndex, mostAgreeingPartition } from "@sdfkit/segmentation";

/** Slow obvious oracle: every pair through the public adjustedRandIndex, mean per partition, first maximum. */
const oracle = (ps: ArrayLike<number>[]) => {
  const mean = ps.map((a, i) => (ps.length === 1 ? 1 : ps.reduce((s: number, b, j) => (j === i ? s : s + adjustedRandIndex(a, b)), 0) / (ps.length - 1)));
  return { index: mean.indexOf(Math.max(...mean)), mean };
};

describe("mostAgreeingPartition", () => {
  it("matches the pairwise adjustedRandIndex oracle on random partitions with arbitrary label ids", () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 50 + rng.int(200), m = 1 + rng.int(7);
      const base = Array.from({ length: n }, () => rng.int(4));
      // noisy copies of one partition (so there is a medoid), relabelled with sparse ids
      const ps = Array.from({ length: m }, () => Int32Array.from(base, (l) => (rng.next() < 0.2 ? rng.int(6) : l) * 17 - 5));
      const got = mostAgreeingPartition(ps), want = oracle(ps);
      expect(got.index).toBe(want.index);
      for (let i = 0; i < m; i++) expect(got.agreement[i]).toBeCloseTo(want.mean[i], 12);
    }
  });

  it("picks the partition the others reproduce, the first one on ties, and rejects bad input", () => {
    const a = Uint32Array.from([0, 0, 0, 1, 1, 1]), b = Uint32Array.from([5, 5, 5, 2, 2, 2]), c = Uint32Array.from([0, 1, 0, 1, 0, 1]);
    expect(mostAgreeingPartition([c, a, b]).index).toBe(1); // a and b are the same partition
    expect(mostAgreeingPartition([a, b]).index).toBe(0);
    expect(mostAgreeingPartition([a]).agreement[0]).toBe(1);
    expect(() => mostAgreeingPartition([])).toThrow(InvalidArgumentError);
    expect(() => mostAgreeingPartition([a, a.subarray(1)])).toThrow(/labelings of one length/);
    expect(() => mostAgreeingPartition([a, [0, 0, 0, 1, 1, 0.5]])).toThrow(/integer labels/);
  });
});
