/**
 * samples/s of sampleBands (deepsdf preset, 250 k samples) on fandisk and the bunny, and the ratio
 * to Open3D's RaycastingScene.compute_signed_distance on the SAME points, in the same run,
 * interleaved, median of REPS. Also sign agreement between the two.
 * Run: pnpm bench sample-bands   (or node --import tsx packages/sampling/bench/sample-bands.bench.ts)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRng, normalizeMesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { MeshSdf, sampleBands, sampleBandsParallel } from "@sdfkit/sampling";

const N = Number(process.env.BENCH_N ?? 250_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const data = resolve(import.meta.dirname, "../../../../shared/data/obj");
const dir = mkdtempSync(join(tmpdir(), "sdfkit-bench-"));
const PY = `
import sys, time, numpy as np, open3d as o3d
d = sys.argv[1]
V = np.fromfile(d + "/v.bin", dtype=np.float32).reshape(-1, 3)
F = np.fromfile(d + "/f.bin", dtype=np.uint32).reshape(-1, 3)
P = np.fromfile(d + "/p.bin", dtype=np.float32).reshape(-1, 3)
t0 = time.perf_counter()
scene = o3d.t.geometry.RaycastingScene()
scene.add_triangles(o3d.core.Tensor(V), o3d.core.Tensor(F))
s = scene.compute_signed_distance(o3d.core.Tensor(P)).numpy()
dt = time.perf_counter() - t0
s.astype(np.float32).tofile(d + "/o3d.bin")
print(dt)
`;
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

for (const file of ["fandisk.obj", "stanford-bunny.obj"]) {
  const raw = await readMesh(join(data, file));
  const mesh = normalizeMesh(raw).mesh;
  const ours: number[] = [], ours2: number[] = [], o3d: number[] = [];
  let last: ReturnType<typeof sampleBands> | undefined;
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    last = sampleBands(mesh, N, { rng: createRng(r), mix: "deepsdf", normalize: false });
    ours.push((performance.now() - t0) / 1000);
    const t1 = performance.now();
    await sampleBandsParallel(mesh, N, { rng: createRng(r), mix: "deepsdf", normalize: false, threads: 2 });
    ours2.push((performance.now() - t1) / 1000);
    writeFileSync(join(dir, "v.bin"), mesh.positions);
    writeFileSync(join(dir, "f.bin"), mesh.indices);
    writeFileSync(join(dir, "p.bin"), last.samples.points);
    const out = execFileSync("/usr/bin/python3", ["-c", PY, dir], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "2", OMP_WAIT_POLICY: "PASSIVE" } });
    o3d.push(Number(out.trim().split("\n").pop()));
  }
  const s = last!.samples.sdf;
  const o = new Float32Array(readFileSync(join(dir, "o3d.bin")).buffer.slice(0));
  let agree = 0, far = 0, maxAbsDiff = 0;
  for (let i = 0; i < N; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(Math.abs(s[i]) - Math.abs(o[i])));
    if (Math.abs(s[i]) > 1e-3) { far++; if (Math.sign(s[i]) === Math.sign(o[i])) agree++; }
  }
  const sdf = new MeshSdf(mesh);
  const oursSps = N / median(ours), ours2Sps = N / median(ours2), o3dSps = N / median(o3d);
  console.log(
    `${file}: ${mesh.indices.length / 3} tris, ${sdf.openness.closed ? "closed" : `open (${sdf.openness.boundaryEdges} boundary edges)`}; ` +
      `ours ${Math.round(oursSps)} samples/s (median of ${REPS}: ${ours.map((t) => t.toFixed(2)).join("/")} s), ` +
      `ours on 2 worker threads ${Math.round(ours2Sps)} samples/s (${ours2.map((t) => t.toFixed(2)).join("/")} s, ratio ${(ours2Sps / o3dSps).toFixed(2)}x), ` +
      `Open3D compute_signed_distance ${Math.round(o3dSps)} pts/s (${o3d.map((t) => t.toFixed(2)).join("/")} s), ratio ${(oursSps / o3dSps).toFixed(2)}x; ` +
      `|d| max diff ${maxAbsDiff.toExponential(2)}; sign agreement (|sdf| > 1e-3) ${((100 * agree) / far).toFixed(3)} %; Open3D negatives ${o.filter((v) => v < 0).length}`,
  );
}
