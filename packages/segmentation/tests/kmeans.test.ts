import { describe, expect, it } from "vitest";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { adjustedRandIndex, kmeans } from "@sdfkit/segmentation";
import { blobs } from "./helpers.js";

const inertiaOf = (x: Float32Array, dim: number, labels: Uint32Array, k: number) => {
  const n = labels.length, c = new Float64Array(k * dim), cnt = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    cnt[labels[i]]++;
    for (let d = 0; d < dim; d++) c[labels[i] * dim + d] += x[i * dim + d];
  }
  let s = 0;
  for (let i = 0; i < n; i++)
    for (let d = 0; d < dim; d++) {
      const t = x[i * dim + d] - c[labels[i] * dim + d] / cnt[labels[i]];
      s += t * t;
    }
  return s;
};

describe("kmeans", () => {
  it("recovers well-separated blobs exactly (kmeans++ and random init)", () => {
    for (const init of ["kmeans++", "random"] as const) {
      const { x, labels } = blobs(4, 200, 8, 20, 3);
      const r = kmeans(x, 8, 4, { rng: createRng(5), init, restarts: 5 });
      expect(adjustedRandIndex(labels, r.labels)).toBe(1);
      expect(r.inertia).toBeCloseTo(inertiaOf(x, 8, r.labels, 4), 3);
    }
  });

  it("reaches the brute-force optimum on a tiny set (all 2-partitions of 10 points)", () => {
    const rng = createRng(11);
    const n = 10, dim = 2;
    const x = new Float32Array(n * dim).map(() => rng.normal());
    let best = Infinity;
    for (let mask = 1; mask < (1 << n) - 1; mask++) {
      const l = Uint32Array.from({ length: n }, (_, i) => (mask >> i) & 1);
      best = Math.min(best, inertiaOf(x, dim, l, 2));
    }
    const r = kmeans(x, dim, 2, { rng: createRng(1), restarts: 20 });
    expect(r.inertia).toBeCloseTo(best, 4);
  });

  it("is deterministic for a seed and centroids are the means of their clusters", () => {
    const { x } = blobs(3, 100, 5, 2, 9);
    const a = kmeans(x, 5, 3, { rng: createRng(42) });
    const b = kmeans(x, 5, 3, { rng: createRng(42) });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
    for (let j = 0; j < 3; j++) {
      let cnt = 0, sum = 0;
      for (let i = 0; i < 300; i++) if (a.labels[i] === j) { cnt++; sum += x[i * 5]; }
      expect(a.centroids[j * 5]).toBeCloseTo(sum / cnt, 3);
    }
  });

  it("default options are deterministic across calls (no shared rng state)", () => {
    const { x } = blobs(4, 50, 3, 1, 13);
    const a = kmeans(x, 3, 4), b = kmeans(x, 3, 4);
    expect(a.inertia).toBe(b.inertia);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
  });

  it("handles duplicate points (k larger than distinct points) without NaN", () => {
    const x = new Float32Array([0, 0, 0, 0, 1, 1, 1, 1]);
    const r = kmeans(x, 2, 3, { rng: createRng(0) });
    expect(Number.isFinite(r.inertia)).toBe(true);
    expect(r.inertia).toBe(0);
  });

  it("rejects bad input with typed errors", () => {
    expect(() => kmeans(new Float32Array(5), 2, 2)).toThrow(InvalidArgumentError);
    expect(() => kmeans(new Float32Array(4), 2, 3)).toThrow(/k/);
    expect(() => kmeans(new Float32Array([0, NaN]), 1, 1)).toThrow(/finite/);
    expect(() => kmeans(new Float32Array(4), 0, 1)).toThrow(/dim/);
  });
});
