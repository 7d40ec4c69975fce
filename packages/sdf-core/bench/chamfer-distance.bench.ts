/**
 * Chamfer distance as DeepSDF evaluates it (30,000 surface samples per side, exact nearest
 * neighbours both ways): sdfkit's KdTree vs the npm `static-kdtree` (ndarray-based) and vs SciPy's
 * cKDTree (what DeepSDF's compute_trimesh_chamfer uses), all on the same points, in one run.
 *
 *   pnpm bench chamfer-distance   (or: node --import tsx packages/sdf-core/bench/chamfer-distance.bench.ts [reps] [near|far])
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, renameSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { KdTree, chamferDistancePoints, createRng, marchingCubes, sampleGrid, sampleSurface, sphere, torus } from "../src/index.js";

const require = createRequire(import.meta.url);
const createKDTree = require("static-kdtree") as (pts: number[][]) => { nn(p: number[]): number; dispose(): void };

const REPS = Number(process.argv[2] ?? 5);
const N = 30000;
const B = { min: [-1, -1, -1] as [number, number, number], max: [1, 1, 1] as [number, number, number] };
const CASE = process.argv[3] ?? "near";
// near: a reconstruction-like pair (sphere r 0.5 vs r 0.52); far: sphere vs a torus through it
const ma = marchingCubes(sampleGrid(sphere(0.5), { res: 128, bounds: B }));
const mb = marchingCubes(sampleGrid(CASE === "far" ? torus(0.45, 0.2) : sphere(0.52), { res: 128, bounds: B }));
const rng = createRng(1);
const a = sampleSurface(ma, N, { rng }).points, b = sampleSurface(mb, N, { rng }).points;

const dir = mkdtempSync(join(tmpdir(), "sdfkit-chamfer-"));
writeFileSync(join(dir, "a.f32"), new Uint8Array(a.buffer));
writeFileSync(join(dir, "b.f32"), new Uint8Array(b.buffer));
const PY = `
import sys, time, json, numpy as np
from scipy.spatial import cKDTree
a = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, 3).astype(np.float64)
b = np.fromfile(sys.argv[2], dtype=np.float32).reshape(-1, 3).astype(np.float64)
t = time.perf_counter()
d1, _ = cKDTree(b).query(a)
d2, _ = cKDTree(a).query(b)
c = np.mean(np.square(d1)) + np.mean(np.square(d2))
print(json.dumps({"ms": (time.perf_counter() - t) * 1000, "chamfer": float(c)}))
`;
const scipy = () => {
  const r = spawnSync("/usr/bin/python3", ["-c", PY, join(dir, "a.f32"), join(dir, "b.f32")], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { ms: number; chamfer: number };
};
const staticKd = () => {
  const t = performance.now();
  const arrA: number[][] = [], arrB: number[][] = [];
  for (let i = 0; i < N; i++) {
    arrA.push([a[3 * i], a[3 * i + 1], a[3 * i + 2]]);
    arrB.push([b[3 * i], b[3 * i + 1], b[3 * i + 2]]);
  }
  const ta = createKDTree(arrA), tb = createKDTree(arrB);
  let s1 = 0, s2 = 0;
  for (const p of arrA) {
    const q = arrB[tb.nn(p)];
    s1 += (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2;
  }
  for (const p of arrB) {
    const q = arrA[ta.nn(p)];
    s2 += (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2;
  }
  ta.dispose();
  tb.dispose();
  return { ms: performance.now() - t, chamfer: s1 / N + s2 / N };
};
const ours = () => {
  const t = performance.now();
  const c = chamferDistancePoints(a, b).chamfer;
  return { ms: performance.now() - t, chamfer: c };
};
const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];

ours();
staticKd();
const r = { ours: [] as number[], staticKd: [] as number[], scipy: [] as number[] };
let cs = { ours: 0, staticKd: 0, scipy: 0 };
for (let i = 0; i < REPS; i++) {
  const o = ours(), s = staticKd(), p = scipy();
  r.ours.push(o.ms);
  r.staticKd.push(s.ms);
  r.scipy.push(p.ms);
  cs = { ours: o.chamfer, staticKd: s.chamfer, scipy: p.chamfer };
}
// build-only and query throughput of KdTree
let t = performance.now();
const tree = new KdTree(b);
const buildMs = performance.now() - t;
t = performance.now();
tree.nearestBatch(a);
const qps = N / ((performance.now() - t) / 1000);
rmSync(dir, { recursive: true, force: true });
console.log(`machine: ${cpus().length} cores, Node ${process.version}, shared machine; case ${CASE}; ${N} points per side; reps ${REPS}`);
console.log("| implementation | chamfer ms (median, both trees + both query sets) | chamfer value |");
console.log("|---|---|---|");
console.log(`| sdfkit KdTree | ${median(r.ours).toFixed(1)} | ${cs.ours.toExponential(6)} |`);
console.log(`| npm static-kdtree 1.0.2 | ${median(r.staticKd).toFixed(1)} | ${cs.staticKd.toExponential(6)} |`);
console.log(`| SciPy cKDTree (DeepSDF) | ${median(r.scipy).toFixed(1)} | ${cs.scipy.toExponential(6)} |`);
console.log(`ratio scipy/sdfkit ${(median(r.scipy) / median(r.ours)).toFixed(2)}, static-kdtree/sdfkit ${(median(r.staticKd) / median(r.ours)).toFixed(2)}; KdTree build ${buildMs.toFixed(1)} ms, ${Math.round(qps)} queries/s`);
mkdirSync("bench/results", { recursive: true });
writeFileSync(`bench/results/chamfer-distance-${CASE}.json.tmp`, JSON.stringify({ bench: "chamfer-distance", case: CASE, date: new Date().toISOString(), node: process.version, n: N, reps: REPS, ms: r, chamfer: cs }, null, 2));
renameSync(`bench/results/chamfer-distance-${CASE}.json.tmp`, `bench/results/chamfer-distance-${CASE}.json`);
