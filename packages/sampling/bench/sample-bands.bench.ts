/**
 * samples/s of sampleBands (deepsdf mix, 250 k samples) on fandisk and the bunny, and the ratio to
 * Open3D's RaycastingScene.compute_signed_distance on the SAME points, in the same run, interleaved,
 * median of REPS. Every figure of ours includes MeshSdf construction (BVH, pseudonormals,
 * self-intersection scan) and drawing the points; Open3D's includes its scene build.
 * - `1 thread`: sampleBands.
 * - `2 threads, warm pool`: sampleBandsParallel({ threads: 2 }) = this thread + one worker of the
 *   persistent pool, started beforehand (MeshSdf.startWorkers) as in any session that samples more
 *   than one mesh.
 * - `2 threads, cold`: the first sampleBandsParallel call of a fresh process (a child process), pool
 *   start-up and JIT warm-up included. From sources the worker loads tsx first, which the built package does not:
 *   when packages/sampling/dist is newer than src, the built package's cold call is measured too.
 * - BENCH_BASELINE=/path/to/other/checkout/packages/sampling/src/index.ts: that version's sampleBands
 *   and sampleBandsParallel (2 threads) in the same run, interleaved (e.g. main's).
 * Run: pnpm bench sample-bands   (BENCH_N, BENCH_REPS to change the size and repetitions)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng, normalizeMesh, type Mesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { MeshSdf, sampleBands, sampleBandsParallel } from "@sdfkit/sampling";

const N = Number(process.env.BENCH_N ?? 250_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const data = resolve(import.meta.dirname, "../../../../shared/data/obj");
const opts = (seed: number) => ({ rng: createRng(seed), mix: "deepsdf", normalize: false }) as const;
const load = async (file: string): Promise<Mesh> => normalizeMesh(await readMesh(join(data, file))).mesh;

// child process of the cold measurement: time the first parallel call of this process
if (process.env.BENCH_COLD) {
  const [file, seed] = process.env.BENCH_COLD.split(":");
  const mesh = await load(file);
  const t0 = performance.now();
  await sampleBandsParallel(mesh, N, { ...opts(Number(seed)), threads: 2 });
  console.log((performance.now() - t0) / 1000);
  process.exit(0);
}

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
const secs = (a: number[]) => a.map((t) => t.toFixed(2)).join("/");
const time = async (f: () => unknown): Promise<number> => {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
};

type Sampling = { sampleBands: typeof sampleBands; sampleBandsParallel: typeof sampleBandsParallel };
const base: Sampling | undefined = process.env.BENCH_BASELINE ? await import(process.env.BENCH_BASELINE) : undefined;
// the built package, if it is newer than every source file
const pkg = resolve(import.meta.dirname, "..");
const newest = (d: string): number => Math.max(...readdirSync(d, { withFileTypes: true }).map((f) => (f.isDirectory() ? newest(join(d, f.name)) : statSync(join(d, f.name)).mtimeMs)));
const dist = existsSync(join(pkg, "dist/index.js")) && statSync(join(pkg, "dist/index.js")).mtimeMs > newest(join(pkg, "src"));
const coldRun = (file: string, seed: number, built: boolean): number => {
  const args = built ? ["--import", "tsx"] : process.execArgv; // without --conditions=source: the package's dist
  const out = execFileSync(process.execPath, [...args, fileURLToPath(import.meta.url)], { encoding: "utf8", env: { ...process.env, BENCH_COLD: `${file}:${seed}` } });
  return Number(out.trim().split("\n").pop());
};

await MeshSdf.startWorkers(2);
{
  // JIT warm-up (Open3D's native code needs none): one small untimed call of each of ours and the baseline's
  const m = await load("fandisk.obj");
  for (const lib of base ? [{ sampleBands, sampleBandsParallel }, base] : [{ sampleBands, sampleBandsParallel }]) {
    lib.sampleBands(m, 20_000, opts(99));
    await lib.sampleBandsParallel(m, 60_000, { ...opts(99), threads: 2 });
  }
}
const rows: Record<string, unknown>[] = [];
for (const file of ["fandisk.obj", "stanford-bunny.obj"]) {
  const mesh = await load(file);
  const one: number[] = [], warm: number[] = [], cold: number[] = [], coldBuilt: number[] = [], o3d: number[] = [];
  const baseOne: number[] = [], basePar: number[] = [];
  let last: ReturnType<typeof sampleBands> | undefined;
  for (let r = 0; r < REPS; r++) {
    one.push(await time(() => (last = sampleBands(mesh, N, opts(r)))));
    let par: Awaited<ReturnType<typeof sampleBandsParallel>> | undefined;
    warm.push(await time(async () => (par = await sampleBandsParallel(mesh, N, { ...opts(r), threads: 2 }))));
    if (!par!.samples.sdf.every((v, i) => v === last!.samples.sdf[i])) throw new Error("sampleBandsParallel differs from sampleBands");
    cold.push(coldRun(file, r, false));
    if (dist) coldBuilt.push(coldRun(file, r, true));
    if (base) {
      let b: ReturnType<typeof sampleBands> | undefined;
      baseOne.push(await time(() => (b = base.sampleBands(mesh, N, opts(r)))));
      basePar.push(await time(() => base.sampleBandsParallel(mesh, N, { ...opts(r), threads: 2 })));
      if (!b!.samples.points.every((v, i) => v === last!.samples.points[i])) throw new Error("the baseline draws other points");
    }
    writeFileSync(join(dir, "v.bin"), mesh.positions);
    writeFileSync(join(dir, "f.bin"), mesh.indices);
    writeFileSync(join(dir, "p.bin"), last!.samples.points);
    const py = execFileSync("/usr/bin/python3", ["-c", PY, dir], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "2", OMP_WAIT_POLICY: "PASSIVE" } });
    o3d.push(Number(py.trim().split("\n").pop()));
  }
  const s = last!.samples.sdf;
  const o = new Float32Array(readFileSync(join(dir, "o3d.bin")).buffer.slice(0));
  let maxAbsDiff = 0, o3dNeg = 0, oursNeg = 0;
  for (let i = 0; i < N; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(Math.abs(s[i]) - Math.abs(o[i])));
    if (o[i] < 0) o3dNeg++;
    if (s[i] < 0) oursNeg++;
  }
  const sdf = new MeshSdf(mesh);
  const rate = (a: number[]) => N / median(a);
  const row = {
    file, triangles: mesh.indices.length / 3, samples: N, reps: REPS, signMethod: sdf.signMethod, pseudonormalCoverage: sdf.pseudonormalCoverage,
    boundaryEdges: sdf.openness.boundaryEdges,
    oneThreadPerSec: rate(one), warmPoolPerSec: rate(warm), coldPerSec: rate(cold), open3dPerSec: rate(o3d),
    ratioOneThread: rate(one) / rate(o3d), ratioWarmPool: rate(warm) / rate(o3d), ratioCold: rate(cold) / rate(o3d),
    ...(dist ? { coldBuiltPerSec: rate(coldBuilt), ratioColdBuilt: rate(coldBuilt) / rate(o3d) } : {}),
    ...(base ? { baseline: process.env.BENCH_BASELINE, baselineOneThreadPerSec: rate(baseOne), baselineParallelPerSec: rate(basePar) } : {}),
    seconds: { oneThread: one, warmPool: warm, cold, coldBuilt, open3d: o3d, baselineOneThread: baseOne, baselineParallel: basePar },
    loadAverage: loadavg(),
    maxUnsignedDifference: maxAbsDiff, oursNegativeShare: oursNeg / N, open3dNegativeShare: o3dNeg / N,
  };
  rows.push(row);
  const k = (v: number) => `${Math.round(v / 1000)} k/s`;
  console.log(
    `${file}: ${row.triangles} tris, ${sdf.openness.closed ? "closed" : `open (${row.boundaryEdges} boundary edges)`}, sign ${sdf.signMethod} ` +
      `(pseudonormals decide on ${(100 * sdf.pseudonormalCoverage).toFixed(1)} % of the surface)\n` +
      `  ours 1 thread            ${k(row.oneThreadPerSec)} (${secs(one)} s)  ratio ${row.ratioOneThread.toFixed(2)}x\n` +
      `  ours 2 threads warm pool ${k(row.warmPoolPerSec)} (${secs(warm)} s)  ratio ${row.ratioWarmPool.toFixed(2)}x\n` +
      `  ours 2 threads cold      ${k(row.coldPerSec)} (${secs(cold)} s)  ratio ${row.ratioCold.toFixed(2)}x  (pool start-up included, worker from sources via tsx)\n` +
      (dist ? `  ours 2 threads cold, built package ${k(N / median(coldBuilt))} (${secs(coldBuilt)} s)  ratio ${(N / median(coldBuilt) / row.open3dPerSec).toFixed(2)}x\n` : "") +
      (base
        ? `  baseline 1 thread        ${k(N / median(baseOne))} (${secs(baseOne)} s)  ratio ${(N / median(baseOne) / row.open3dPerSec).toFixed(2)}x  (ours / baseline ${(median(baseOne) / median(one)).toFixed(2)})\n` +
          `  baseline 2 threads       ${k(N / median(basePar))} (${secs(basePar)} s)  ratio ${(N / median(basePar) / row.open3dPerSec).toFixed(2)}x  (ours warm / baseline ${(median(basePar) / median(warm)).toFixed(2)})\n`
        : "") +
      `  Open3D                   ${k(row.open3dPerSec)} (${secs(o3d)} s)\n` +
      `  |d| max diff to Open3D ${maxAbsDiff.toExponential(2)}; negative: ours ${(100 * row.oursNegativeShare).toFixed(1)} %, Open3D ${(100 * row.open3dNegativeShare).toFixed(1)} %`,
  );
}
const outDir = join(dirname(fileURLToPath(import.meta.url)), "../../../bench/results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "sample-bands.json.tmp"), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
renameSync(join(outDir, "sample-bands.json.tmp"), join(outDir, "sample-bands.json"));
await MeshSdf.stopWorkers();
