import { describe, expect, it } from "vitest";
import { KdTree, chamferDistance, chamferDistancePoints, createRng, marchingCubes, sampleGrid, sphere, InvalidArgumentError } from "@sdfkit/sdf-core";

const cloud = (n: number, seed: number, kind: "uniform" | "clustered" | "grid") => {
  const rng = createRng(seed);
  const p = new Float32Array(3 * n);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < 3; a++)
      p[3 * i + a] = kind === "uniform" ? rng.uniform(-1, 1) : kind === "clustered" ? (i % 3) * 0.5 + 0.01 * rng.normal() : Math.round(rng.uniform(0, 4)) / 4;
  return p;
};
const brute = (pts: Float32Array, x: number, y: number, z: number) => {
  let best = Infinity;
  for (let i = 0; i < pts.length; i += 3) best = Math.min(best, (pts[i] - x) ** 2 + (pts[i + 1] - y) ** 2 + (pts[i + 2] - z) ** 2);
  return best;
};

describe("KdTree", () => {
  it("matches brute force on uniform, clustered and duplicate-heavy clouds", () => {
    for (const kind of ["uniform", "clustered", "grid"] as const)
      for (const n of [1, 2, 9, 100, 2000]) {
        const pts = cloud(n, n + 1, kind);
        const tree = new KdTree(pts, { leafSize: kind === "grid" ? 2 : 8 });
        const q = cloud(200, 99, "uniform");
        const batch = tree.nearestBatch(q);
        for (let i = 0; i < 200; i++) {
          const d = brute(pts, q[3 * i], q[3 * i + 1], q[3 * i + 2]);
          const r = tree.nearest(q[3 * i], q[3 * i + 1], q[3 * i + 2]);
          expect(r.distanceSq).toBeCloseTo(d, 6);
          const j = r.index;
          expect((pts[3 * j] - q[3 * i]) ** 2 + (pts[3 * j + 1] - q[3 * i + 1]) ** 2 + (pts[3 * j + 2] - q[3 * i + 2]) ** 2).toBeCloseTo(d, 6);
          expect(batch.distanceSq[i]).toBeCloseTo(d, 6);
        }
      }
  });
  it("k-nearest queries match a brute-force sort, nearest first, and leave nearest() intact", () => {
    for (const kind of ["uniform", "clustered", "grid"] as const)
      for (const [n, k] of [[1, 1], [9, 9], [100, 5], [2000, 12]] as const) {
        const pts = cloud(n, 3 * n + 7, kind);
        const tree = new KdTree(pts, { leafSize: kind === "grid" ? 2 : 8 });
        const q = cloud(100, 5, "uniform");
        const r = tree.nearestKBatch(q, k);
        for (let i = 0; i < 100; i++) {
          const all = Array.from({ length: n }, (_, j) => (pts[3 * j] - q[3 * i]) ** 2 + (pts[3 * j + 1] - q[3 * i + 1]) ** 2 + (pts[3 * j + 2] - q[3 * i + 2]) ** 2).sort((a, b) => a - b);
          for (let j = 0; j < k; j++) {
            expect(r.distanceSq[i * k + j]).toBeCloseTo(all[j], 6);
            const p = r.index[i * k + j];
            expect((pts[3 * p] - q[3 * i]) ** 2 + (pts[3 * p + 1] - q[3 * i + 1]) ** 2 + (pts[3 * p + 2] - q[3 * i + 2]) ** 2).toBeCloseTo(all[j], 6);
          }
          expect(new Set(r.index.subarray(i * k, i * k + k)).size).toBe(k);
        }
        expect(tree.nearest(q[0], q[1], q[2]).distanceSq).toBeCloseTo(r.distanceSq[0], 6);
      }
    const tree = new KdTree(cloud(10, 1, "uniform"));
    expect(() => tree.nearestKBatch(new Float32Array(3), 0)).toThrow(/k/);
    expect(() => tree.nearestKBatch(new Float32Array(3), 11)).toThrow(/\[1, 10\]/);
    expect(() => tree.nearestKBatch(new Float32Array(4), 2)).toThrow(/multiple of 3/);
  });
  it("rejects empty, malformed and non-finite input", () => {
    expect(() => new KdTree(new Float32Array(0))).toThrow(InvalidArgumentError);
    expect(() => new KdTree(new Float32Array(4))).toThrow(/multiple of 3/);
    expect(() => new KdTree(new Float32Array([0, NaN, 0]))).toThrow(/finite/);
    expect(() => new KdTree(new Float32Array(3), { leafSize: 0 })).toThrow(/leafSize/);
  });
});

describe("chamferDistance", () => {
  it("equals brute force on small point sets", () => {
    const a = cloud(300, 1, "uniform"), b = cloud(200, 2, "clustered");
    let ab = 0, ba = 0;
    for (let i = 0; i < a.length; i += 3) ab += brute(b, a[i], a[i + 1], a[i + 2]);
    for (let i = 0; i < b.length; i += 3) ba += brute(a, b[i], b[i + 1], b[i + 2]);
    const r = chamferDistancePoints(a, b);
    expect(r.aToB).toBeCloseTo(ab / 300, 6);
    expect(r.bToA).toBeCloseTo(ba / 200, 6);
    expect(r.chamfer).toBeCloseTo(ab / 300 + ba / 200, 6);
  });
  it("is ≈ 0 for a mesh against itself and ≈ 2·(R − r)² for concentric spheres", () => {
    const B = { min: [-1, -1, -1] as [number, number, number], max: [1, 1, 1] as [number, number, number] };
    const inner = marchingCubes(sampleGrid(sphere(0.5), { res: 64, bounds: B }));
    const outer = marchingCubes(sampleGrid(sphere(0.6), { res: 64, bounds: B }));
    const self = chamferDistance(inner, inner, { rng: createRng(4) });
    // independent samples of the same surface: about the squared sample spacing (area/n = 1e-4)
    expect(self.chamfer).toBeLessThan(1e-4);
    const c = chamferDistance(inner, outer, { rng: createRng(5) });
    expect(Math.abs(c.chamfer - 0.02) / 0.02).toBeLessThan(0.03);
    expect(Math.abs(c.aToB - 0.01) / 0.01).toBeLessThan(0.03);
    // deterministic
    expect(chamferDistance(inner, outer, { rng: createRng(5) })).toEqual(c);
  });
});
