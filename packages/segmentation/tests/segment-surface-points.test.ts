import { describe, expect, it } from "vitest";
import { SEED_SHAPES, assemblyLabels, assemblySdf, createRng, InvalidArgumentError, sdfGradient, type AssemblySpec } from "@sdfkit/sdf-core";
import { adjustedRandIndex, segmentSurfacePoints } from "@sdfkit/segmentation";
import { __topEigenpairs, __tridiagonalEigen } from "../src/internal/lanczos.js";

/** n points with |sdf| < band (rejection in [−1, 1]³) and the analytic SDF's gradient there (central differences). */
const bandPoints = (spec: AssemblySpec, n: number, band: number, seed: number) => {
  const sdf = assemblySdf(spec), rng = createRng(seed), pts = new Float32Array(3 * n);
  const B = 8192, p = new Float32Array(3 * B), d = new Float32Array(B);
  for (let got = 0; got < n; ) {
    for (let i = 0; i < 3 * B; i++) p[i] = rng.uniform(-1, 1);
    sdf(p, d);
    for (let i = 0; i < B && got < n; i++) if (Math.abs(d[i]) < band) pts.set(p.subarray(3 * i, 3 * i + 3), 3 * got++);
  }
  const normals = sdfGradient(sdf, pts);
  return { points: pts, normals, truth: assemblyLabels(spec, pts) };
};

/** Dense symmetric matrix–vector product (row-major). */
const dense = (A: Float64Array, n: number) => (x: Float64Array, y: Float64Array) => {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
    y[i] = s;
  }
};

describe("Lanczos eigen-solver (internal)", () => {
  it("tridiagonal QL: T v = λ v, orthonormal vectors, ascending values, last-row mode equal", () => {
    const rng = createRng(3), m = 40;
    const diag = Float64Array.from({ length: m }, () => rng.normal()), sub = Float64Array.from({ length: m }, (_, i) => (i ? rng.normal() : 0));
    const { values, vectors } = __tridiagonalEigen(diag, sub);
    const last = __tridiagonalEigen(diag, sub, true);
    for (let t = 0; t < m; t++) {
      if (t) expect(values[t]).toBeGreaterThanOrEqual(values[t - 1]);
      expect(last.values[t]).toBeCloseTo(values[t], 12);
      expect(Math.abs(last.vectors[t])).toBeCloseTo(Math.abs(vectors[(m - 1) * m + t]), 10);
      for (let i = 0; i < m; i++) {
        const tv = diag[i] * vectors[i * m + t] + (i ? sub[i] * vectors[(i - 1) * m + t] : 0) + (i + 1 < m ? sub[i + 1] * vectors[(i + 1) * m + t] : 0);
        expect(tv).toBeCloseTo(values[t] * vectors[i * m + t], 10);
      }
      for (let u = 0; u <= t; u++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += vectors[i * m + t] * vectors[i * m + u];
        expect(dot).toBeCloseTo(u === t ? 1 : 0, 10);
      }
    }
  });
  it("finds the top eigenpairs of a matrix with known spectrum, including a close pair", () => {
    // A = Q diag(λ) Qᵀ with a random orthogonal Q (Householder products) and λ = 1, 0.999, 0.99, then spread in [−1, 0.9]
    const n = 120, rng = createRng(5);
    const lambda = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0.999 : i === 2 ? 0.99 : -1 + 1.9 * rng.next()));
    const Q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) Q[i * n + i] = 1;
    for (let h = 0; h < 3; h++) {
      const v = Float64Array.from({ length: n }, () => rng.normal());
      const vv = v.reduce((a, b) => a + b * b, 0);
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i] * Q[i * n + j];
        for (let i = 0; i < n; i++) Q[i * n + j] -= (2 * v[i] * dot) / vv;
      }
    }
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < n; t++) A[i * n + j] += Q[i * n + t] * lambda[t] * Q[j * n + t];
    const r = __topEigenpairs(dense(A, n), n, 3, { maxIter: n, tol: 1e-9, rng: createRng(1) });
    expect(Array.from(r.values)).toEqual([expect.closeTo(1, 8), expect.closeTo(0.999, 8), expect.closeTo(0.99, 8)]);
    for (let t = 0; t < 3; t++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += r.vectors[t][i] * Q[i * n + t];
      expect(Math.abs(dot)).toBeCloseTo(1, 6);
      expect(r.residuals[t]).toBeLessThan(1e-7);
    }
  });
});

describe("segmentSurfacePoints", () => {
  const byName = (name: string) => SEED_SHAPES.find((s) => s.name === name)!;
  it("cuts unions of primitives at their concave creases (analytic normals)", () => {
    for (const [name, min] of [["snowman", 0.95], ["barbell", 0.95], ["table", 0.9]] as const) {
      const spec = byName(name), { points, normals, truth } = bandPoints(spec, 1500, 0.01, 7);
      const seg = segmentSurfacePoints(points, normals, spec.parts.length, { rng: createRng(2) });
      expect(adjustedRandIndex(truth, seg.labels)).toBeGreaterThan(min);
      expect(new Set(seg.labels).size).toBe(spec.parts.length);
      expect(seg.maxResidual).toBeLessThan(1e-3);
      expect(seg.eigenvalues[0]).toBeCloseTo(0, 6);
    }
  });
  it("without creases it has nothing to cut along: a single sphere splits arbitrarily but cleanly, and features can steer it", () => {
    const spec: AssemblySpec = { name: "ball", parts: [{ type: "sphere", center: [0, 0, 0], radius: 0.5 }, { type: "sphere", center: [0, 0, 0], radius: 0.1 }] };
    const { points, normals } = bandPoints(spec, 800, 0.01, 3);
    // features that mark the upper half: the cut follows them
    const f = Float32Array.from({ length: 800 }, (_, i) => (points[3 * i + 1] > 0 ? 1 : 0));
    const seg = segmentSurfacePoints(points, normals, 2, { features: { data: f, dim: 1 }, rng: createRng(1) });
    const half = Uint32Array.from(f);
    expect(adjustedRandIndex(half, seg.labels)).toBeGreaterThan(0.95);
  });
  it("is deterministic for a seed and estimates the number of weakly joined pieces", () => {
    const spec = byName("table"), { points, normals } = bandPoints(spec, 1200, 0.01, 9);
    const a = segmentSurfacePoints(points, normals, 2, { spectrumSize: 9, rng: createRng(4) });
    const b = segmentSurfacePoints(points, normals, 2, { spectrumSize: 9, rng: createRng(4) });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.pieces).toBe(5); // top + 4 legs
  });
  it("beyond maxGraphPoints, cuts a seeded landmark subset and gives every other point its landmarks' majority part", () => {
    const spec = byName("barbell"), { points, normals, truth } = bandPoints(spec, 3000, 0.01, 11);
    const seg = segmentSurfacePoints(points, normals, 3, { maxGraphPoints: 1200, rng: createRng(3) });
    expect(seg.labels).toHaveLength(3000);
    expect(adjustedRandIndex(truth, seg.labels)).toBeGreaterThan(0.9);
    const again = segmentSurfacePoints(points, normals, 3, { maxGraphPoints: 1200, rng: createRng(3) });
    expect(Array.from(again.labels)).toEqual(Array.from(seg.labels));
    expect(() => segmentSurfacePoints(points, normals, 3, { maxGraphPoints: 5 })).toThrow(/maxGraphPoints/);
  });
  it("joins disconnected clouds instead of failing", () => {
    const spec: AssemblySpec = { name: "two", parts: [{ type: "sphere", center: [-0.6, 0, 0], radius: 0.2 }, { type: "sphere", center: [0.6, 0, 0], radius: 0.2 }] };
    const { points, normals, truth } = bandPoints(spec, 600, 0.01, 1);
    const seg = segmentSurfacePoints(points, normals, 2);
    expect(adjustedRandIndex(truth, seg.labels)).toBe(1);
  });
  it("rejects malformed input with typed errors", () => {
    const p = new Float32Array(30), nr = new Float32Array(30);
    expect(() => segmentSurfacePoints(new Float32Array(4), nr, 2)).toThrow(InvalidArgumentError);
    expect(() => segmentSurfacePoints(p, new Float32Array(3), 2)).toThrow(/normals/);
    expect(() => segmentSurfacePoints(p, nr, 1)).toThrow(/'k'|k/);
    expect(() => segmentSurfacePoints(p, nr, 10)).toThrow(/\[2, 9\]/);
    expect(() => segmentSurfacePoints(Float32Array.from({ length: 30 }, (_, i) => (i === 4 ? NaN : i)), nr, 2)).toThrow(/finite/);
    expect(() => segmentSurfacePoints(p, nr, 2, { neighbors: 3, creaseScale: 0 })).toThrow(/creaseScale/);
    expect(() => segmentSurfacePoints(p, nr, 2, { neighbors: 3, features: { data: new Float32Array(7), dim: 2 } })).toThrow(/features/);
  });
});
