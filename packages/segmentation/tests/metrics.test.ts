import { describe, expect, it } from "vitest";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { adjustedRandIndex, bestPermutationAccuracy, hungarian } from "@sdfkit/segmentation";

const perms = (k: number): number[][] => (k === 0 ? [[]] : perms(k - 1).flatMap((p) => Array.from({ length: k }, (_, i) => [...p.slice(0, i), k - 1, ...p.slice(i)])));

describe("adjustedRandIndex", () => {
  it("matches hand-computed values", () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    // table all ones: sum_ij = 0, sum_a = sum_b = 2, total 6 → (0 − 4/6) / (2 − 4/6) = −0.5
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
    // [0,0,1,2] vs [0,0,1,1]: sum_ij = 1, sum_a = 1, sum_b = 2, total 6 → (1 − 1/3) / (1.5 − 1/3) = 4/7
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(4 / 7, 12);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
  });
  it("is symmetric and label-name invariant", () => {
    const rng = createRng(3);
    const a = Array.from({ length: 200 }, () => rng.int(4)), b = Array.from({ length: 200 }, () => rng.int(3));
    expect(adjustedRandIndex(a, b)).toBeCloseTo(adjustedRandIndex(b, a), 12);
    expect(adjustedRandIndex(a, b)).toBeCloseTo(adjustedRandIndex(a.map((v) => 10 - v * 2), b), 12);
  });
  it("rejects mismatched lengths", () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(InvalidArgumentError);
  });
});

describe("bestPermutationAccuracy / hungarian", () => {
  it("matches brute force over all permutations", () => {
    const rng = createRng(8);
    for (let trial = 0; trial < 30; trial++) {
      const k = 1 + rng.int(5), n = 40;
      const t = Array.from({ length: n }, () => rng.int(k)), p = Array.from({ length: n }, () => rng.int(k));
      let best = 0;
      for (const perm of perms(k)) {
        let hit = 0;
        for (let i = 0; i < n; i++) if (perm[p[i]] === t[i]) hit++;
        best = Math.max(best, hit / n);
      }
      // labels drawn from 0..k-1 may miss some values; brute force over the full k still bounds the answer
      expect(bestPermutationAccuracy(t, p)).toBeCloseTo(best, 12);
    }
  });
  it("solves a hand-made assignment and rectangular costs", () => {
    // optimum: row0→col1 (1), row1→col0 (2), row2→col2 (2) = 5
    const m = hungarian(Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]), 3, 3);
    expect(Array.from(m)).toEqual([1, 0, 2]);
    const r = hungarian(Float64Array.from([5, 1, 9, 2, 8, 0]), 3, 2); // 3 rows, 2 cols
    // [[5,1],[9,2],[8,0]]: best two-row assignment r0→c0 (5) + r2→c1 (0) = 5; r1 unassigned
    expect(Array.from(r)).toEqual([0, -1, 1]);
  });
  it("counts unmatched predicted clusters as wrong", () => {
    expect(bestPermutationAccuracy([0, 0, 0, 0], [0, 0, 1, 2])).toBe(0.5);
    expect(bestPermutationAccuracy([0, 0, 1, 1], [3, 3, 7, 7])).toBe(1);
  });
});
