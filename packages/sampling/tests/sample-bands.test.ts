import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng, edgeDihedralAngles, InvalidArgumentError, meshEdges, normalizeMesh, triangleNormals, type Mesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { decodeNpz, encodeNpz, MeshSampleSource, MeshSdf, resolveMix, sampleBands, sampleBandsParallel, SAMPLE_MIXES, splitBySign, subsampleBalanced } from "@sdfkit/sampling";
import { sharedData } from "../../../test-utils/shared-data.js";

/** Axis-aligned box [-a, a]³ (closed, outward) with 2 triangles per face. */
const box = (a: number): Mesh => {
  const p: number[] = [];
  for (let i = 0; i < 8; i++) p.push(i & 1 ? a : -a, i & 2 ? a : -a, i & 4 ? a : -a);
  const q = [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]];
  const idx: number[] = [];
  for (const [a0, b, c, d] of q) idx.push(a0, b, c, a0, c, d);
  return { positions: new Float32Array(p), indices: new Uint32Array(idx) };
};
const boxSdf = (a: number, x: number, y: number, z: number) => {
  const qx = Math.abs(x) - a, qy = Math.abs(y) - a, qz = Math.abs(z) - a;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0), Math.max(qz, 0)) + Math.min(Math.max(qx, qy, qz), 0);
};

/** Oracle: brute-force distance from a point to the nearest of the given edge segments (vertex pairs). */
const segmentDistance = (P: Float32Array, segs: number[]) => (x: number, y: number, z: number) => {
  let best = Infinity;
  for (let s = 0; s < segs.length; s += 2) {
    const a = segs[s] * 3, b = segs[s + 1] * 3;
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    let t = ((x - P[a]) * ux + (y - P[a + 1]) * uy + (z - P[a + 2]) * uz) / (ux * ux + uy * uy + uz * uz);
    t = Math.max(0, Math.min(1, t));
    best = Math.min(best, Math.hypot(P[a] + t * ux - x, P[a + 1] + t * uy - y, P[a + 2] + t * uz - z));
  }
  return best;
};

describe("sampleBands", () => {
  it("deepsdf preset: band counts, exact sdf of an analytic box, determinism", () => {
    const mesh = box(0.3);
    const n = 5000;
    const r1 = sampleBands(mesh, n, { rng: createRng(7), mix: "deepsdf", normalize: false });
    const r2 = sampleBands(mesh, n, { rng: createRng(7), mix: "deepsdf", normalize: false });
    expect(r1.samples.sdf).toEqual(r2.samples.sdf);
    expect(r1.samples.points).toEqual(r2.samples.points);
    const counts = [0, 0, 0];
    for (const b of r1.samples.band!) counts[b]++;
    expect(counts).toEqual([2350, 2350, 300]);
    let agree = 0, total = 0;
    for (let i = 0; i < n; i++) {
      const [x, y, z] = r1.samples.points.subarray(i * 3, i * 3 + 3);
      const e = boxSdf(0.3, x, y, z);
      expect(Math.abs(r1.samples.sdf[i] - e)).toBeLessThan(1e-5);
      if (Math.abs(e) > 1e-4) { total++; if (Math.sign(e) === Math.sign(r1.samples.sdf[i])) agree++; }
    }
    expect(agree / total).toBeGreaterThanOrEqual(0.999);
    // near-band spread matches the preset sigmas (distance to surface ≈ |N(0, σ²)| mean σ√(2/π), ignoring corners)
    const mean = (b: number) => { let s = 0, c = 0; r1.samples.band!.forEach((bb, i) => { if (bb === b) { s += Math.abs(r1.samples.sdf[i]); c++; } }); return s / c; };
    expect(mean(0) / (Math.sqrt(0.005) * Math.sqrt(2 / Math.PI))).toBeGreaterThan(0.8);
    expect(mean(0) / (Math.sqrt(0.005) * Math.sqrt(2 / Math.PI))).toBeLessThan(1.1);
    expect(mean(1) / (Math.sqrt(0.0005) * Math.sqrt(2 / Math.PI))).toBeGreaterThan(0.85);
    expect(mean(1) / (Math.sqrt(0.0005) * Math.sqrt(2 / Math.PI))).toBeLessThan(1.1);
  });

  it("seed-v2 fractions, volume in the cube, sphere region, clamp, normalisation transform", () => {
    expect(resolveMix("seed-v2").map((b) => b.fraction)).toEqual([0.3, 0.4, 0.2, 0.1]);
    const mesh = box(5);
    const r = sampleBands(mesh, 1000, { rng: createRng(1), mix: [{ kind: "volume", fraction: 1, region: "sphere" }], clamp: 0.1 });
    const nm = normalizeMesh(mesh);
    expect(r.transform).toEqual({ offset: nm.offset, scale: nm.scale });
    for (let i = 0; i < 1000; i++) {
      const [x, y, z] = r.samples.points.subarray(i * 3, i * 3 + 3);
      expect(x * x + y * y + z * z).toBeLessThanOrEqual(1);
      expect(Math.abs(r.samples.sdf[i])).toBeLessThanOrEqual(Math.fround(0.1));
      const e = boxSdf(5 * nm.scale, x, y, z);
      expect(r.samples.sdf[i]).toBeCloseTo(Math.max(-0.1, Math.min(0.1, e)), 4);
    }
  });

  it("surface band: sdf 0, normals, face ids", () => {
    const r = sampleBands(box(0.5), 600, { rng: createRng(3), mix: "BALANCED", normalize: false });
    let surf = 0;
    r.samples.band!.forEach((b, i) => {
      if (r.bands[b].kind !== "surface") return;
      surf++;
      expect(r.samples.sdf[i]).toBe(0);
      const [x, y, z] = r.samples.points.subarray(i * 3, i * 3 + 3);
      expect(Math.abs(boxSdf(0.5, x, y, z))).toBeLessThan(1e-6);
      expect(Math.hypot(...r.samples.normals!.subarray(i * 3, i * 3 + 3))).toBeCloseTo(1, 5);
      expect(r.samples.faceIds![i]).toBeLessThan(12);
    });
    expect(surf).toBe(120);
  });

  it("MANUFACTURING on fandisk: feature samples sit near sharp edges", async () => {
    const raw = await readMesh(sharedData("obj", "fandisk.obj"));
    const mesh = normalizeMesh(raw).mesh;
    const r = sampleBands(mesh, 4000, { rng: createRng(5), mix: "MANUFACTURING", normalize: false });
    // oracle: brute-force distance from each feature sample to the nearest sharp edge segment
    const e = meshEdges(mesh), ang = edgeDihedralAngles(mesh, e, triangleNormals(mesh));
    const segs: number[] = [];
    for (let i = 0; i < ang.length; i++) if (ang[i] >= Math.PI / 6 || e.edgeFaceOffsets[i + 1] - e.edgeFaceOffsets[i] !== 2) segs.push(e.edges[2 * i], e.edges[2 * i + 1]);
    expect(segs.length).toBeGreaterThan(0);
    const segDist = segmentDistance(mesh.positions, segs);
    const med = (band: number) => {
      const d: number[] = [];
      r.samples.band!.forEach((b, i) => { if (b === band && d.length < 300) d.push(segDist(r.samples.points[i * 3], r.samples.points[i * 3 + 1], r.samples.points[i * 3 + 2])); });
      return d.sort((a, b) => a - b)[d.length >> 1];
    };
    expect(med(0)).toBeLessThan(0.012); // feature band: ~σ 0.005 around the edges
    expect(med(1)).toBeGreaterThan(3 * med(0)); // plain near-surface band is spread over the faces
  });

  it("sampleBandsParallel (2 threads) equals sampleBands, with a cold and with a warm worker pool", async () => {
    const a = sampleBands(box(0.3), 60_000, { rng: createRng(4), mix: "seed-v2" });
    const b = await sampleBandsParallel(box(0.3), 60_000, { rng: createRng(4), mix: "seed-v2", threads: 2 });
    expect(b.samples.sdf).toEqual(a.samples.sdf);
    expect(b.samples.points).toEqual(a.samples.points);
    // warm: the worker builds the BVH while this thread draws the points, then both answer queries
    await MeshSdf.startWorkers(2);
    const mesh = await readMesh(sharedData("obj", "stanford-bunny.obj"));
    const c = sampleBands(mesh, 60_000, { rng: createRng(5), mix: "deepsdf" });
    const d = await sampleBandsParallel(mesh, 60_000, { rng: createRng(5), mix: "deepsdf", threads: 2 });
    expect(d.samples.points).toEqual(c.samples.points);
    expect(d.samples.sdf).toEqual(c.samples.sdf);
  });

  it("B-rep face borders (mesh.faceIds) drive the feature band even with no sharp edges", () => {
    const m = box(0.5);
    const withIds = { ...m, faceIds: new Uint32Array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]) };
    const edgeDist = (x: number, y: number, z: number) => {
      // distance to the nearest of the 12 box edges: the two largest |coord| must sit at 0.5
      const a = [Math.abs(x), Math.abs(y), Math.abs(z)].sort((p, q) => q - p);
      return Math.hypot(a[0] - 0.5, a[1] - 0.5);
    };
    const med = (r: ReturnType<typeof sampleBands>) => {
      const d: number[] = [];
      for (let i = 0; i < r.samples.sdf.length; i++) d.push(edgeDist(r.samples.points[i * 3], r.samples.points[i * 3 + 1], r.samples.points[i * 3 + 2]));
      return d.sort((p, q) => p - q)[d.length >> 1];
    };
    const opts = { mix: [{ kind: "feature" as const, fraction: 1, sigma: 0.005 }], normalize: false, sharpAngle: 4 };
    const borders = sampleBands(withIds, 2000, { ...opts, rng: createRng(1) });
    const none = sampleBands(m, 2000, { ...opts, rng: createRng(1) }); // no sharp edges, no ids: near-surface fallback
    expect(med(borders)).toBeLessThan(0.012);
    expect(med(none)).toBeGreaterThan(0.1);
  });

  it("a real STEP part: feature samples follow its B-rep face borders (sharpAngle off)", async () => {
    const { mesh } = normalizeMesh(await readMesh(sharedData("step", "io1-cm-214.stp")));
    const ids = mesh.faceIds!;
    // oracle: brute-force distance to the edges whose two triangles lie on different B-rep faces
    const e = meshEdges(mesh);
    const segs: number[] = [];
    for (let i = 0; i + 1 < e.edgeFaceOffsets.length; i++) {
      const o = e.edgeFaceOffsets[i];
      if (e.edgeFaceOffsets[i + 1] - o === 2 && ids[e.edgeFaces[o]] !== ids[e.edgeFaces[o + 1]]) segs.push(e.edges[2 * i], e.edges[2 * i + 1]);
    }
    expect(segs.length).toBeGreaterThan(100);
    const segDist = segmentDistance(mesh.positions, segs);
    const r = sampleBands(mesh, 600, { rng: createRng(8), mix: [{ kind: "feature", fraction: 1, sigma: 0.005 }], normalize: false, sharpAngle: 4 });
    const d = Array.from({ length: 200 }, (_, i) => segDist(r.samples.points[3 * i], r.samples.points[3 * i + 1], r.samples.points[3 * i + 2])).sort((a, b) => a - b);
    expect(d[100]).toBeLessThan(0.012); // median within ~2σ of a face border
  }, 30_000);

  it("typed errors", () => {
    expect(() => sampleBands(box(1), 0, { rng: createRng(0) })).toThrow(InvalidArgumentError);
    expect(() => sampleBands(box(1), 10, { rng: createRng(0), mix: "nope" })).toThrow(InvalidArgumentError);
    expect(() => sampleBands(box(1), 10, { rng: createRng(0), mix: [{ kind: "near", fraction: 1, sigma: -1 }] })).toThrow(InvalidArgumentError);
  });
});

describe("splitBySign / subsampleBalanced / npz / MeshSampleSource", () => {
  const r = sampleBands(box(0.4), 3000, { rng: createRng(11), mix: "seed-v2", normalize: false });

  it("splitBySign partitions the samples", () => {
    const { pos, neg } = splitBySign(r.samples);
    expect(pos.length / 4 + neg.length / 4).toBe(3000);
    for (let i = 3; i < pos.length; i += 4) expect(pos[i]).toBeGreaterThanOrEqual(0);
    for (let i = 3; i < neg.length; i += 4) expect(neg[i]).toBeLessThan(0);
    const bal = subsampleBalanced({ pos, neg }, 1000, createRng(2));
    expect(Array.from(bal.sdf.subarray(0, 500)).every((d) => d >= 0)).toBe(true);
    expect(Array.from(bal.sdf.subarray(500)).every((d) => d < 0)).toBe(true);
    // without replacement: no duplicate rows in the positive half
    const keys = new Set<string>();
    for (let i = 0; i < 500; i++) keys.add(Array.from(bal.points.subarray(i * 3, i * 3 + 3)).join());
    expect(keys.size).toBe(500);
  });

  it("npz round trip, and numpy loads it", () => {
    const pn = splitBySign(r.samples);
    const bytes = encodeNpz(pn, { transform: new Float32Array([...r.transform.offset, r.transform.scale]) });
    const back = decodeNpz(bytes);
    expect(back.pos).toEqual(pn.pos);
    expect(back.neg).toEqual(pn.neg);
    expect(Array.from(back.extra.transform)).toEqual([0, 0, 0, 1]);
    if (!existsSync("/usr/bin/python3")) return;
    const dir = mkdtempSync(join(tmpdir(), "sdfkit-npz-"));
    const f = join(dir, "s.npz");
    writeFileSync(f, bytes);
    let out: string;
    try {
      out = execFileSync("/usr/bin/python3", ["-c", `import numpy as np; d=np.load(${JSON.stringify(f)}); print(d['pos'].shape, d['neg'].shape, d['pos'].dtype, float(d['pos'][:,3].sum()), float(d['neg'][:,3].sum()))`], { encoding: "utf8" });
    } catch { return; /* numpy missing */ }
    const sum = (a: Float32Array) => { let s = 0; for (let i = 3; i < a.length; i += 4) s += a[i]; return s; };
    const [shapeP, , , , , sp, sn] = out.replace(/[(),]/g, " ").trim().split(/\s+/);
    expect(Number(shapeP)).toBe(pn.pos.length / 4);
    expect(out).toContain("float32");
    expect(Number(sp)).toBeCloseTo(sum(pn.pos), 2);
    expect(Number(sn)).toBeCloseTo(sum(pn.neg), 2);
  });

  it("MeshSampleSource serves every named phase mix", () => {
    const src = new MeshSampleSource({ cube: box(0.5) });
    for (const mix of ["COARSE", "BALANCED", "DENSE", "MANUFACTURING"]) {
      expect(mix in SAMPLE_MIXES).toBe(true);
      const s = src.sample("cube", 200, mix, createRng(1));
      expect(s.sdf.length).toBe(200);
      expect(Array.from(s.sdf).every(Number.isFinite)).toBe(true);
    }
    expect(() => src.sample("nope", 10, "COARSE", createRng(1))).toThrow(InvalidArgumentError);
  });

  it("MeshSampleSource with a pool: drawn once per (shape, mix), subsampled with the caller's rng, deterministic", () => {
    const mesh = box(0.5);
    const src = new MeshSampleSource({ cube: mesh }, { poolSize: 3000, poolSeed: 4 });
    const a = src.sample("cube", 500, "DENSE", createRng(1));
    const b = new MeshSampleSource({ cube: mesh }, { poolSize: 3000, poolSeed: 4 }).sample("cube", 500, "DENSE", createRng(1));
    expect(a).toEqual(b);
    // every drawn sample is one of the pool's (the pool is what sampleBands gives for that seed)
    const pool = src.sample("cube", 3000 * 20, "DENSE", createRng(2)); // 60 k draws cover the 3 k pool
    const keys = new Set<string>();
    for (let i = 0; i < 60000; i++) keys.add(`${pool.points[3 * i]},${pool.points[3 * i + 1]},${pool.points[3 * i + 2]},${pool.sdf[i]}`);
    expect(keys.size).toBeLessThanOrEqual(3000);
    expect(keys.size).toBeGreaterThan(2990);
    for (let i = 0; i < 500; i++) expect(keys.has(`${a.points[3 * i]},${a.points[3 * i + 1]},${a.points[3 * i + 2]},${a.sdf[i]}`)).toBe(true);
    expect(() => new MeshSampleSource({ cube: mesh }, { poolSize: -1 })).toThrow(InvalidArgumentError);
  });
});
