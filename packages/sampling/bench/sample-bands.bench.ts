/**
 * Samples/s of `sampleBands` (deepsdf preset) for fandisk (12,946 triangles) and the bunny (69,451)
 * at N samples, and Open3D's RaycastingScene.compute_signed_distance on the same points in the same
 * run (Debian python3-open3d), with sign agreement between the two.
 *   pnpm bench sample-bands   (or: node --import tsx packages/sampling/bench/sample-bands.bench.ts [N])
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng, normalizeMesh } from "../../sdf-core/src/index.js";
import { readMesh } from "../../sdf-core/src/node/index.js";
import { sampleBands, MeshSdf } from "../src/index.js";
import { sampleBandsParallel, evaluateSdfParallel } from "../src/node/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const data = process.env.SDFKIT_SHARED_DATA ?? resolve(root, "..", "shared", "data");
const N = Number(process.argv[2] ?? 250000);
const dir = mkdtempSync(join(tmpdir(), "sdfkit-sampling-bench-"));
const py = `
import sys, time, numpy as np, open3d as o3d
v = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, 3)
f = np.fromfile(sys.argv[2], dtype=np.uint32).reshape(-1, 3)
q = np.fromfile(sys.argv[3], dtype=np.float32).reshape(-1, 3)
t0 = time.perf_counter()
scene = o3d.t.geometry.RaycastingScene()
scene.add_triangles(o3d.core.Tensor(v), o3d.core.Tensor(f))
d = scene.compute_signed_distance(o3d.core.Tensor(q)).numpy()
t1 = time.perf_counter()
d.astype(np.float32).tofile(sys.argv[4])
print(t1 - t0)
`;
writeFileSync(join(dir, "o3d.py"), py);
const rows = [];
for (const file of ["obj/fandisk.obj", "obj/stanford-bunny.obj"]) {
  const { mesh } = normalizeMesh(await readMesh(join(data, file)));
  sampleBands(mesh, { count: 2000, rng: createRng(0), normalize: false }); // warm up
  let t0 = performance.now();
  const s = sampleBands(mesh, { count: N, rng: createRng(1), normalize: false });
  const ours = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await sampleBandsParallel(mesh, { count: N, rng: createRng(1), normalize: false, workers: 2 });
  const oursPar = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await evaluateSdfParallel(mesh, s.points, { workers: 2 });
  const oursSdfPar = (performance.now() - t0) / 1000;
  // signed distance alone on the same points (the part Open3D does)
  const ms = new MeshSdf(mesh);
  t0 = performance.now();
  ms.evaluate(s.points);
  const oursSdf = (performance.now() - t0) / 1000;
  writeFileSync(join(dir, "v.bin"), mesh.positions);
  writeFileSync(join(dir, "f.bin"), mesh.indices);
  writeFileSync(join(dir, "q.bin"), s.points);
  const r = spawnSync("/usr/bin/python3", [join(dir, "o3d.py"), join(dir, "v.bin"), join(dir, "f.bin"), join(dir, "q.bin"), join(dir, "d.bin")], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "2" } });
  if (r.status !== 0) throw new Error(`Open3D failed: ${r.stderr}`);
  const o3dSec = Number(r.stdout.trim());
  const d = new Float32Array(readFileSync(join(dir, "d.bin")).buffer.slice(0));
  // Open3D 0.16 from Debian reports occupancy 0 even inside its own unit box (its sign is broken in
  // this build), so compare unsigned distances and count how many of its values are negative.
  let maxDiff = 0, negatives = 0;
  for (let i = 0; i < N; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(Math.abs(d[i]) - Math.abs(s.sdf[i])));
    if (d[i] < 0) negatives++;
  }
  // time the two halves of ours: closest point (three-mesh-bvh) and sign (fast winding number)
  t0 = performance.now();
  ms.distance(s.points);
  const distSec = (performance.now() - t0) / 1000;
  const insideShare = Array.from(ms.inside(s.points.subarray(0, 30000))).filter((v) => v === 1).length / 10000;
  const row = { file, triangles: mesh.indices.length / 3, samples: N, oursSamplesPerSec: N / ours, oursSdfPerSec: N / oursSdf, oursParallelSamplesPerSec: N / oursPar, oursParallelSdfPerSec: N / oursSdfPar, ratioParallel: oursSdfPar / o3dSec, open3dPerSec: N / o3dSec, ratio: oursSdf / o3dSec, maxUnsignedDifference: maxDiff, open3dNegativeShare: negatives / N, oursClosestPointPerSec: N / distSec, oursInsideShare: insideShare / 3, signMethod: s.report.signMethod };
  rows.push(row);
  console.log(`${file}: 2 workers: sampleBands ${Math.round(row.oursParallelSamplesPerSec)} samples/s, signed distance ${Math.round(row.oursParallelSdfPerSec)}/s = ${(1 / row.ratioParallel).toFixed(2)}× Open3D`);
  console.log(`${file} (${row.triangles} tris): 1 thread: sampleBands ${Math.round(row.oursSamplesPerSec)} samples/s; signed distance ${Math.round(row.oursSdfPerSec)}/s vs Open3D ${Math.round(row.open3dPerSec)}/s = ${(1 / row.ratio).toFixed(2)}× Open3D (closest point alone ${Math.round(row.oursClosestPointPerSec)}/s); max | |ours| − |Open3D| | ${row.maxUnsignedDifference.toExponential(2)}; inside share ours ${(100 * row.oursInsideShare).toFixed(1)} %, Open3D negative ${(100 * row.open3dNegativeShare).toFixed(1)} %`);
}
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "sample-bands.json"), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
