/**
 * k-means on 5,000 × 128 float32 points (8 Gaussian blobs, overlapping), k = 2..6:
 * @sdfkit/segmentation `kmeans` vs scikit-learn KMeans (Lloyd, k-means++, n_init 1) and ml-kmeans
 * (k-means++), all single-run, same data, interleaved, 5 repetitions; medians.
 * Run: `pnpm bench kmeans` (or `node --import tsx packages/segmentation/bench/kmeans.bench.ts`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kmeans as mlKmeans } from "ml-kmeans";
import { createRng } from "../../sdf-core/src/index.js"; // sources: no build needed
import { kmeans } from "../src/index.js";

const N = 5000, DIM = 128, KS = [2, 3, 4, 5, 6], REPS = 5, MAXIT = 100;
const rng = createRng(2026);
const centres = Float64Array.from({ length: 8 * DIM }, () => 0.6 * rng.normal());
const x = new Float32Array(N * DIM);
for (let i = 0; i < N; i++) {
  const c = i % 8;
  for (let d = 0; d < DIM; d++) x[i * DIM + d] = centres[c * DIM + d] + rng.normal();
}
const dataFile = join(tmpdir(), `sdfkit-kmeans-bench-${process.pid}.f32`);
writeFileSync(dataFile, x);
const rows: number[][] = Array.from({ length: N }, (_, i) => Array.from(x.subarray(i * DIM, (i + 1) * DIM)));

const inertiaOf = (labels: ArrayLike<number>, k: number) => {
  const c = new Float64Array(k * DIM), cnt = new Float64Array(k);
  for (let i = 0; i < N; i++) {
    cnt[labels[i]]++;
    for (let d = 0; d < DIM; d++) c[labels[i] * DIM + d] += x[i * DIM + d];
  }
  let s = 0;
  for (let i = 0; i < N; i++)
    for (let d = 0; d < DIM; d++) {
      const t = x[i * DIM + d] - c[labels[i] * DIM + d] / cnt[labels[i]];
      s += t * t;
    }
  return s;
};

const PY = "/usr/bin/python3";
const pyScript = `
import sys, time, json, numpy as np
from sklearn.cluster import KMeans
X = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, ${DIM})
out = {}
for k in ${JSON.stringify(KS)}:
    t = time.perf_counter()
    m = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=${MAXIT}, tol=1e-4, algorithm="lloyd", random_state=int(sys.argv[2])).fit(X)
    out[k] = [(time.perf_counter() - t) * 1000, float(m.inertia_)]
print(json.dumps(out))
`;
const hasPy = existsSync(PY) && spawnSync(PY, ["-c", "import sklearn"]).status === 0;
const threads = process.env.SKLEARN_THREADS ?? "2";

type Row = { ours: number[]; sk: number[]; ml: number[]; oursI: number[]; skI: number[]; mlI: number[] };
const res = new Map<number, Row>(KS.map((k) => [k, { ours: [], sk: [], ml: [], oursI: [], skI: [], mlI: [] }]));
for (let rep = 0; rep < REPS; rep++) {
  for (const k of KS) {
    const r = res.get(k)!;
    let t = performance.now();
    const o = kmeans(x, DIM, k, { rng: createRng(rep), restarts: 1, maxIter: MAXIT, tol: 1e-4 });
    r.ours.push(performance.now() - t);
    r.oursI.push(o.inertia);
    t = performance.now();
    const m = mlKmeans(rows, k, { initialization: "kmeans++", seed: rep + 1, maxIterations: MAXIT });
    r.ml.push(performance.now() - t);
    r.mlI.push(inertiaOf(m.clusters, k));
  }
  if (hasPy) {
    const p = spawnSync(PY, ["-c", pyScript, dataFile, String(rep)], {
      encoding: "utf8",
      env: { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads, OMP_WAIT_POLICY: "PASSIVE" },
    });
    if (p.status !== 0) throw new Error(p.stderr);
    const out = JSON.parse(p.stdout) as Record<string, [number, number]>;
    for (const k of KS) {
      res.get(k)!.sk.push(out[k][0]);
      res.get(k)!.skI.push(out[k][1]);
    }
  }
}
const med = (a: number[]) => {
  const s = [...a].sort((p, q) => p - q);
  return s.length ? s[s.length >> 1] : NaN;
};
console.log(`k-means ${N} x ${DIM} float32, single run per fit, ${REPS} reps interleaved, medians; sklearn threads ${threads}`);
console.log("k | ours ms | sklearn ms | ml-kmeans ms | sklearn/ours | ml-kmeans/ours | inertia ours/sklearn | inertia ours/ml");
const json: Record<string, unknown> = { n: N, dim: DIM, reps: REPS, sklearnThreads: threads, date: new Date().toISOString(), rows: [] as unknown[] };
for (const k of KS) {
  const r = res.get(k)!;
  const line = {
    k,
    oursMs: med(r.ours),
    sklearnMs: med(r.sk),
    mlKmeansMs: med(r.ml),
    sklearnOverOurs: med(r.sk) / med(r.ours),
    mlOverOurs: med(r.ml) / med(r.ours),
    inertiaOursOverSklearn: med(r.oursI) / med(r.skI),
    inertiaOursOverMl: med(r.oursI) / med(r.mlI),
  };
  (json.rows as unknown[]).push(line);
  console.log(
    `${k} | ${line.oursMs.toFixed(1)} | ${line.sklearnMs.toFixed(1)} | ${line.mlKmeansMs.toFixed(1)} | ${line.sklearnOverOurs.toFixed(2)} | ${line.mlOverOurs.toFixed(2)} | ${line.inertiaOursOverSklearn.toFixed(4)} | ${line.inertiaOursOverMl.toFixed(4)}`,
  );
}
const outDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "bench", "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "kmeans.json.tmp"), JSON.stringify(json, null, 2));
renameSync(join(outDir, "kmeans.json.tmp"), join(outDir, "kmeans.json"));
