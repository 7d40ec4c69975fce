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

  it("the bounds that skip settled points change nothing: same labels, iterations and centroids as a plain Lloyd oracle", () => {
    // slow obvious oracle: every point against every centroid by (x − c)² each iteration, first minimum wins,
    // sklearn's stopping rules (no label change, or a total centroid shift ≤ tol × mean variance)
    const oracle = (x: Float32Array, dim: number, c0: Float32Array, maxIter: number) => {
      const n = x.length / dim, k = c0.length / dim, c = Float64Array.from(c0), labels = new Uint32Array(n);
      let varSum = 0;
      for (let d = 0; d < dim; d++) {
        let m = 0, v = 0;
        for (let i = 0; i < n; i++) m += x[i * dim + d] / n;
        for (let i = 0; i < n; i++) v += (x[i * dim + d] - m) ** 2 / n;
        varSum += v;
      }
      const tol = (1e-4 * varSum) / dim;
      const assign = () => {
        let changed = 0;
        for (let i = 0; i < n; i++) {
          let best = 0, bestD = Infinity;
          for (let j = 0; j < k; j++) {
            let s = 0;
            for (let d = 0; d < dim; d++) s += (x[i * dim + d] - c[j * dim + d]) ** 2;
            if (s < bestD) [best, bestD] = [j, s];
          }
          if (labels[i] !== best) changed++;
          labels[i] = best;
        }
        return changed;
      };
      let iterations = 0;
      for (let it = 0; it < maxIter; it++) {
        iterations = it + 1;
        if (assign() === 0 && it > 0) break;
        let shift = 0;
        for (let j = 0; j < k; j++) {
          const rows = Array.from(labels.keys()).filter((i) => labels[i] === j);
          for (let d = 0; d < dim; d++) {
            const v = rows.reduce((s, i) => s + x[i * dim + d], 0) / rows.length;
            shift += (v - c[j * dim + d]) ** 2;
            c[j * dim + d] = v;
          }
        }
        if (shift <= tol) break;
      }
      assign();
      return { labels, centroids: c, iterations };
    };
    for (const [k, seed] of [[3, 1], [6, 2], [8, 3]]) {
      const { x } = blobs(k, 150, 5, 1.2, seed); // overlapping blobs: many iterations, many points settle early
      const init = kmeans(x, 5, k, { rng: createRng(seed), restarts: 1, maxIter: 1 }).centroids; // any start, shared
      const got = kmeans(x, 5, k, { initialCentroids: init, restarts: 1 }), want = oracle(x, 5, init, 100);
      expect(got.iterations).toBe(want.iterations);
      expect(got.iterations).toBeGreaterThan(3);
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      for (let q = 0; q < got.centroids.length; q++) expect(got.centroids[q]).toBeCloseTo(want.centroids[q], 5);
    }
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
