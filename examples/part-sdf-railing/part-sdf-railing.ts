/**
 * railing8, part-wise SDFs on a real mesh: per-part targets from a part-labelled mesh (pseudo ground truth,
 * e.g. the instance segmentation `examples/segment-railing` writes as labels.txt — `segmentMeshByActivations`
 * on a decoder's activations — or the true labels as an upper bound), a multi-head `PartSdfDecoder`
 * trained on them as on the analytic shapes, then per-part IoU against the TRUE labels' parts (heads
 * matched to true parts by the Hungarian method on vertex overlap) and union IoU against the whole mesh.
 *
 * A part's SDF on a cut-up mesh. The mesh is one closed surface; a part is an open piece of it, so its own
 * triangles bound it only on the outside. Inside the solid the part is taken as the points whose nearest
 * surface belongs to it (a Voronoi split of the interior by part). With D the whole mesh's signed distance
 * and u_j the unsigned distance to part j's triangles:
 *   d_k(x) = max(D(x), (u_k(x) − min_{j≠k} u_j(x)) / 2)
 * — the solid intersected with part k's cell. (u_k − min u_j)/2 is negative in the cell, zero on the cut
 * and never larger in magnitude than the distance to the cut (each u is 1-Lipschitz), so d_k is an exact
 * SDF near the part's own surface and a conservative bound near the cut, like any CSG intersection; and
 * min_k d_k = max(D, min_k (cell term)) with the nearest part's cell term ≤ 0: equal to D outside, negative
 * wherever D is, so the union of the parts is exactly the mesh's solid (deep inside, near a cut, it is
 * shallower than D).
 *
 * Run: `pnpm --filter @sdfkit/example-part-sdf-railing start -- --labels PATH|truth [--out DIR]
 *   [--steps 9000] [--batch 1024] [--pe 6] [--width 128] [--truncation 0] [--sigma auto] [--spacing 0.01]
 *   [--pool 500000] [--frame box|unit] [--union-weight 3] [--union-routing owner|min] [--seed 0]`
 */
import { readFileSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { computeBounds, createRng, drawText, encodePng, normalizeMesh, sampleSurface, type Mesh, type RgbaImage, type Sdf } from "@sdfkit/sdf-core";
import { readMesh, writeFileAtomicSync } from "@sdfkit/sdf-core/node";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { MeshSdf } from "@sdfkit/sampling";
import { adjustedRandIndex, hungarian, splitMeshByLabels } from "@sdfkit/segmentation";
import { DEFAULT_TRAIN_PART_SDF, PartSdfDecoder, partIou, partSdfFrame, partSliceImage, trainPartSdf } from "@sdfkit/segmentation/model";

const here = dirname(fileURLToPath(import.meta.url));
const sharedDir = process.env.SDFKIT_SHARED_DATA ? resolve(process.env.SDFKIT_SHARED_DATA) : resolve(here, "../../../shared/data");

/** Options of {@link partSdfRailing}. */
export interface PartSdfRailingOptions {
  out: string;
  /** Per-vertex part labels of railing8.obj (pseudo ground truth), or "truth" for railing8.labels.txt itself. */
  labels: string;
  steps: number;
  batch: number;
  pe: number;
  width: number;
  truncation: number;
  /** Fine near-surface σ: "auto" (a quarter of each part's half-thickness, clamped to [0.002, 0.01]) or a number. */
  sigma: number | "auto";
  /** IoU grid spacing (normalised units) over the mesh's box. */
  spacing: number;
  /** Weight of the union loss (trainPartSdf's `unionWeight`). */
  unionWeight: number;
  /** Which head the union loss moves (trainPartSdf's `unionRouting`). */
  unionRouting: "min" | "owner";
  /** Supervised samples evaluated once (trainPartSdf's `poolSize`); 0 = fresh targets every step. */
  pool: number;
  /** The decoder's input frame: "box" (the mesh's own box, `partSdfFrame`) or "unit" (the [−1, 1]³ cube). */
  frame: "box" | "unit";
  seed: number;
  log?: (s: string) => void;
}

/**
 * Part SDFs of a part-labelled closed mesh (see the file comment): one `Sdf` per part that owns
 * triangles, in label order, plus the parts' meshes. All parts are evaluated together and the last
 * batch is cached (training asks each part at the same points). `whole` (the mesh's `MeshSdf`) can be shared.
 */
export const meshPartSdfs = (mesh: Mesh, labels: ArrayLike<number>, whole: MeshSdf = new MeshSdf(mesh)): { sdfs: Sdf[]; parts: { label: number; mesh: Mesh }[] } => {
  const parts = splitMeshByLabels(mesh, labels);
  const each = parts.map((p) => new MeshSdf(p.mesh)), P = parts.length;
  let cacheIn: Float32Array | null = null, cacheOut: Float32Array[] = [];
  const all = (points: Float32Array): Float32Array[] => {
    if (cacheIn && cacheIn.length === points.length && cacheIn.every((v, i) => v === points[i])) return cacheOut;
    const n = points.length / 3, D = whole.signedDistance(points), u = each.map((m) => m.distance(points));
    const out = parts.map(() => new Float32Array(n));
    for (let i = 0; i < n; i++) {
      let a = Infinity, b = Infinity; // smallest and second smallest u
      for (let k = 0; k < P; k++) {
        const v = u[k][i];
        if (v < a) [a, b] = [v, a];
        else if (v < b) b = v;
      }
      for (let k = 0; k < P; k++) out[k][i] = Math.max(D[i], (u[k][i] - (u[k][i] === a ? b : a)) / 2);
    }
    [cacheIn, cacheOut] = [points.slice(), out];
    return out;
  };
  const sdfs: Sdf[] = parts.map((_, k) => (points, out) => {
    const v = all(points)[k];
    if (!out) return v.slice();
    out.set(v);
    return out;
  });
  return { sdfs, parts };
};

/** The whole pipeline; returns the report it writes. */
export const partSdfRailing = async (o: PartSdfRailingOptions) => {
  const log = o.log ?? ((s: string) => console.error(s));
  const t0 = performance.now();
  mkdirSync(o.out, { recursive: true });
  const raw = await readMesh(join(sharedDir, "generated", "railing8.obj"));
  const readLabels = (p: string) => Uint32Array.from(readFileSync(p, "utf8").trim().split(/\s+/).map(Number));
  const truthLabels = readLabels(join(sharedDir, "generated", "railing8.labels.txt"));
  const pseudo = o.labels === "truth" ? truthLabels : readLabels(o.labels);
  if (pseudo.length !== truthLabels.length) throw new Error(`part-sdf-railing: --labels must hold one label per vertex (${truthLabels.length}), got ${pseudo.length}`);
  const { mesh } = normalizeMesh(raw); // unit sphere, same vertex order
  const whole = new MeshSdf(mesh);
  const trueParts = meshPartSdfs(mesh, truthLabels, whole);
  const pseudoParts = pseudo === truthLabels ? trueParts : meshPartSdfs(mesh, pseudo, whole);
  const P = pseudoParts.sdfs.length, T = trueParts.sdfs.length;
  log(`pseudo ground truth: ${P} parts (ARI vs the true labels ${adjustedRandIndex(truthLabels, pseudo).toFixed(4)}); true parts: ${T}`);

  const b = computeBounds(mesh), pad = 0.05;
  const bounds = { min: b.min.map((v) => v - pad) as [number, number, number], max: b.max.map((v) => v + pad) as [number, number, number] };
  const rng = createRng(o.seed);
  const surfacePoints = pseudoParts.parts.map((p) => sampleSurface(p.mesh, 4000, { rng }).points);
  const frame = o.frame === "box" ? partSdfFrame(b) : undefined;
  const decoder = new PartSdfDecoder({ parts: P, trunk: [o.width, o.width, o.width], peFrequencies: o.pe, frame }, { seed: o.seed + 1 });
  const t1 = performance.now();
  const last = await trainPartSdf(decoder, pseudoParts.sdfs, {
    steps: o.steps,
    batchSize: o.batch,
    eikonalPoints: Math.max(16, o.batch >> 3),
    truncation: o.truncation,
    sigma: o.sigma,
    // uniform samples over the whole unit-sphere frame, not only the mesh's box: outside the box the
    // heads are otherwise unconstrained and may grow interior there
    bounds: { min: [-1, -1, -1], max: [1, 1, 1] },
    surfacePoints,
    poolSize: o.pool,
    unionWeight: o.unionWeight,
    unionRouting: o.unionRouting,
    rng: createRng(o.seed + 2),
    onPoolProgress: (e) => e.done === e.total && log(`pool: ${e.total} samples evaluated (${((performance.now() - t1) / 1000).toFixed(1)} s)`),
    onProgress: (e) => e.step % 500 === 0 && log(`step ${e.step}/${o.steps} L1 ${e.l1.toFixed(5)} eikonal ${e.eikonal.toFixed(4)}`),
  });
  const trainSeconds = (performance.now() - t1) / 1000;
  // the three IoUs below share one grid: evaluate the heads there once
  let lastIn: Float32Array | null = null, lastOut: Float32Array = new Float32Array(0);
  const pred = (p: Float32Array) => {
    if (!(lastIn && lastIn.length === p.length && lastIn.every((v, i) => v === p[i]))) [lastIn, lastOut] = [p.slice(), decoder.evaluateParts(p)];
    return lastOut;
  };

  // fit to its own targets (pseudo parts), then against the true parts: heads ↔ true parts by vertex overlap
  const selfIou = partIou(pred, pseudoParts.sdfs, { spacing: o.spacing, bounds });
  const overlap = new Float64Array(T * P);
  const tIndex = new Map(trueParts.parts.map((p, i) => [p.label, i])), pIndex = new Map(pseudoParts.parts.map((p, i) => [p.label, i]));
  for (let v = 0; v < truthLabels.length; v++) {
    const t = tIndex.get(truthLabels[v]), p = pIndex.get(pseudo[v]);
    if (t !== undefined && p !== undefined) overlap[t * P + p] -= 1;
  }
  const match = hungarian(overlap, T, P); // head per true part (−1: none left)
  const matched = (p: Float32Array) => {
    const all = pred(p), n = p.length / 3, r = new Float32Array(n * T).fill(1);
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) if (match[t] >= 0) r[i * T + t] = all[i * P + match[t]];
    return r;
  };
  const vsTruth = partIou(matched, trueParts.sdfs, { spacing: o.spacing, bounds });
  const union = (p: Float32Array) => {
    const all = pred(p), n = p.length / 3, r = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let m = all[i * P];
      for (let k = 1; k < P; k++) m = Math.min(m, all[i * P + k]);
      r[i] = m;
    }
    return r;
  };
  const meshSdf = whole.evaluate;
  const vsMesh = partIou(union, [meshSdf], { spacing: o.spacing, bounds });
  const vsMesh64 = partIou(union, [meshSdf], { res: 64 }); // [−1, 1]³: also sees interior grown outside the box

  // picture: a slice through the balusters (z = centre of the box), coloured by head, zero contours
  const window = { min: [bounds.min[0], bounds.min[1]] as [number, number], max: [bounds.max[0], bounds.max[1]] as [number, number] };
  const slice = (f: (p: Float32Array) => Float32Array, parts: number, title: string): RgbaImage =>
    drawText(partSliceImage(f, parts, { axis: "z", at: (b.min[2] + b.max[2]) / 2, window, width: 360, truth: trueParts.sdfs.length ? union0(trueParts.sdfs) : undefined }), title, 4, 4, 2);
  const union0 = (s: Sdf[]): Sdf => (p) => {
    const vs = s.map((f) => f(p)), r = vs[0].slice();
    for (const v of vs) for (let i = 0; i < r.length; i++) r[i] = Math.min(r[i], v[i]);
    return r;
  };
  writeFileAtomicSync(join(o.out, "slice.png"), encodePng(slice(pred, P, `${P} HEADS, ${o.labels === "truth" ? "TRUE" : "PSEUDO"} PARTS`)));

  const f3 = (x: number) => Number(x.toFixed(4));
  const report = {
    mesh: "railing8.obj",
    labels: o.labels === "truth" ? "truth (railing8.labels.txt)" : o.labels,
    pseudoParts: P,
    trueParts: T,
    labelAri: f3(adjustedRandIndex(truthLabels, pseudo)),
    decoder: { trunk: [o.width, o.width, o.width], peFrequencies: o.pe, heads: P },
    training: { steps: o.steps, batch: o.batch, truncation: o.truncation, pool: o.pool, frame: o.frame, unionWeight: o.unionWeight, unionRouting: o.unionRouting, seconds: Math.round(trainSeconds), finalL1: f3(last.l1), sigma: last.sigma.map(f3) },
    grid: { spacing: o.spacing, res: vsTruth.res },
    iouVsOwnTargets: { parts: selfIou.parts.map(f3), mean: f3(selfIou.parts.reduce((a, x) => a + x, 0) / P), union: f3(selfIou.union), ownership: f3(selfIou.ownership) },
    iouVsTrueParts: { parts: vsTruth.parts.map(f3), mean: f3(vsTruth.parts.reduce((a, x) => a + x, 0) / T), min: f3(Math.min(...vsTruth.parts)), ownership: f3(vsTruth.ownership), headOfTruePart: Array.from(match) },
    unionIouVsMesh: f3(vsMesh.union),
    unionIouVsMesh64: f3(vsMesh64.union),
    seconds: Math.round((performance.now() - t0) / 1000),
  };
  decoder.dispose();
  writeFileAtomicSync(join(o.out, "report.json"), JSON.stringify(report, null, 2));
  writeFileAtomicSync(
    join(o.out, "report.md"),
    `# railing8 part-wise SDFs\n\n| metric | value |\n|---|---|\n| part labels | ${report.labels}: ${P} parts, ARI vs truth ${report.labelAri} |\n| decoder | trunk 3 × ${o.width}, PE ${o.pe}, ${P} linear heads |\n| training | ${o.steps} steps × ${o.batch}, ${report.training.seconds} s, final L1 ${report.training.finalL1} |\n| IoU grid | spacing ${o.spacing}, ${vsTruth.res.join(" × ")} nodes |\n| per-part IoU vs its own targets (mean) | ${report.iouVsOwnTargets.mean} |\n| per-part IoU vs the true parts | ${report.iouVsTrueParts.parts.join(", ")} (mean ${report.iouVsTrueParts.mean}, min ${report.iouVsTrueParts.min}) |\n| interior ownership vs the true parts | ${report.iouVsTrueParts.ownership} |\n| union IoU vs the whole mesh | ${report.unionIouVsMesh} (box grid), ${report.unionIouVsMesh64} (64³ over [−1, 1]³) |\n`,
  );
  return report;
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `pnpm --filter … start -- --flag` hands the script a leading "--"; drop it so the flags stay flags
  const argv = process.argv.slice(2);
  const { values: v } = parseArgs({
    args: argv[0] === "--" ? argv.slice(1) : argv,
    options: {
      out: { type: "string", default: join(here, "out") },
      labels: { type: "string", default: "truth" },
      steps: { type: "string", default: String(DEFAULT_TRAIN_PART_SDF.steps) },
      batch: { type: "string", default: "1024" },
      pe: { type: "string", default: "6" },
      width: { type: "string", default: "128" },
      truncation: { type: "string", default: "0" },
      sigma: { type: "string", default: "auto" },
      spacing: { type: "string", default: "0.01" },
      pool: { type: "string", default: "500000" },
      "union-weight": { type: "string", default: "3" }, // not the library's 10: on railing8 10 cost one baluster (README)
      "union-routing": { type: "string", default: DEFAULT_TRAIN_PART_SDF.unionRouting },
      frame: { type: "string", default: "box" },
      seed: { type: "string", default: "0" },
    },
  });
  await selectBackend({ prefer: "wasm" });
  const r = await partSdfRailing({
    out: v.out!,
    labels: v.labels!,
    steps: Number(v.steps),
    batch: Number(v.batch),
    pe: Number(v.pe),
    width: Number(v.width),
    truncation: Number(v.truncation),
    sigma: v.sigma === "auto" ? "auto" : Number(v.sigma),
    spacing: Number(v.spacing),
    pool: Number(v.pool),
    unionWeight: Number(v["union-weight"]),
    unionRouting: v["union-routing"] as "min" | "owner",
    frame: v.frame === "unit" || v.frame === "box" ? v.frame : (() => { throw new Error(`part-sdf-railing: --frame must be box or unit, got ${v.frame}`); })(),
    seed: Number(v.seed),
  });
  console.log(JSON.stringify(r));
}
