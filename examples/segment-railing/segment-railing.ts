/**
 * railing8 end to end: mesh → signed-distance samples → train a decoder (one shape, the seed-v2 decoder
 * and the 4-phase curriculum of examples/fit-railing) → mesh from the decoder (marching cubes) → per-vertex
 * activations → instance segments → coloured PLY, one OBJ per part, report.json / report.md.
 *
 * Segmentation (no labels used), all inside `segmentMeshByActivations`: the activations of every hidden layer at
 * all vertices, standardised → k-means into k semantic types (fitted on a `--kmeans-sample` vertex stride, every
 * vertex given its nearest centroid) → majority-vote smoothing of the types over the vertex graph → connected
 * components per type → small components (per-type rule, then < `minPart` × the median part) merged into their
 * neighbour → part boundaries moved onto the mesh's concave creases (`--crease-band` hops each side, a watershed
 * over the crease strength, `refinePartsAtCreases`; 0 = off). Which layer and k: `--choose agreement` (default)
 * segments with every layer × k ∈ {2..5} and keeps the partition that agrees best (mean ARI) with all the others;
 * `--choose cut` takes k by silhouette on a 3,000-vertex subset and the layer whose parts are cut apart by the
 * fewest mesh edges (the choice before 2026-12-07); `silhouette` / `consensus` are cheap choices on the subset.
 * Ground truth (railing8.labels.txt) then scores the segmentation of the original mesh's vertices by ARI;
 * the decoder's own mesh is scored through its nearest original vertex. Classifiers (nearest centroid, softmax)
 * fitted on the segmentation of even vertices are scored against the truth on odd vertices (surface) and on
 * interior points of the solid (exact sdf < −0.004 in the unit-sphere frame, truth where the point's 8 nearest
 * vertices share one true part).
 *
 * `--cache DIR` keeps the trained decoder as an inference bundle (trainer's saveInferenceBundle): a run
 * whose DIR already holds one loads it instead of training, so the segmentation can be iterated on.
 *
 * Run: `pnpm --filter @sdfkit/example-segment-railing start -- [--out DIR] [--cache DIR] [--epochs 300]
 *   [--samples 8192] [--preset seed-v2|DIMS like 128,128,128] [--pe 6] [--res 128] [--types auto|K]
 *   [--smooth 5] [--min-part 0.2] [--crease-band 12] [--crease-merge 0] [--kmeans-sample 10000] [--interior 4000]
 *   [--choose agreement|cut|consensus|silhouette] [--seed 0] [--seg-seed SEED]`
 * `--seed` seeds the training (decoder initialisation, sample pool) and, unless `--seg-seed` is given, the
 * segmentation's k-means and layer scores too; with a cached decoder only the segmentation (and the classifiers'
 * seeds and interior points) depend on it.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { KdTree, createRng, normalizeMesh, serializeObj, type Mesh } from "@sdfkit/sdf-core";
import { readMesh, writeFileAtomicSync } from "@sdfkit/sdf-core/node";
import { DECODER_PRESETS, DeepSdfDecoder, selectBackend } from "@sdfkit/sdf-core/model";
import { MeshSampleSource, sampleBands } from "@sdfkit/sampling";
import { ActivationClassifier, adjustedRandIndex, bestPermutationAccuracy, colorByLabels, segmentMeshByActivations, serializeColoredPly, splitMeshByLabels, type LayerCriterion } from "@sdfkit/segmentation";
import { CurriculumTrainer, INFERENCE_FILES, decoderSpecsFrom, extractMesh, fastCurriculum, loadInferenceBundle, saveInferenceBundle, sparseGridRes, validateSpecs } from "@sdfkit/trainer";

const here = dirname(fileURLToPath(import.meta.url));
const sharedDir = process.env.SDFKIT_SHARED_DATA ? resolve(process.env.SDFKIT_SHARED_DATA) : resolve(here, "../../../shared/data");

/** Options of {@link segmentRailing}. */
export interface SegmentRailingOptions {
  out: string;
  /** Folder of the cached decoder (inference bundle): loaded when present, written after training otherwise. */
  cache?: string;
  epochs: number;
  samples: number;
  /** Hidden widths, or a preset name of @sdfkit/sdf-core/model. */
  preset: string;
  /** Positional-encoding frequencies (overrides the preset's). */
  pe?: number;
  /** Marching-cubes grid resolution for the decoder mesh. */
  res: number;
  /** Semantic types for k-means, or "auto" (silhouette over 2..5 together with the layer). */
  types: number | "auto";
  /** Label-free layer choice: best silhouette, or the most coherent types on the mesh graph (see chosenFeatures). */
  choose: Choice;
  /** Majority-vote smoothing passes of the types over the vertex graph. */
  smooth: number;
  /** Components under this fraction of the median part are merged. */
  minPart: number;
  /** Hops each side of a part boundary re-assigned at the mesh's concave creases (0 = off). */
  creaseBand: number;
  /** Parts whose shared boundary has a mean concavity below this are joined after the refinement (0 = off). */
  creaseMerge: number;
  /** k-means fitted on this many vertices (a stride), every vertex then given its nearest centroid; 0 = all. */
  kmeansSample: number;
  /** Interior points scored by the classifiers. */
  interior: number;
  /** Training samples drawn once from the mesh (the pool each step draws from). */
  pool: number;
  /** Training seed (decoder initialisation, sample pool) and the default of `segSeed`. */
  seed: number;
  /** Seed of the segmentation's random choices (k-means, the subset's layer scores); defaults to `seed`. Lets a cached decoder be segmented with several seeds. */
  segSeed?: number;
  log?: (s: string) => void;
}

/** Label-free layer choices of the example (see `segmentMeshByActivations`' `criterion`). */
type Choice = LayerCriterion;

/** Train the decoder on the normalised railing (fit-railing's recipe), or load it from `cache`. */
const decoderFor = async (o: SegmentRailingOptions, mesh: Mesh, norm: { offset: [number, number, number]; scale: number }, log: (s: string) => void) => {
  if (o.cache && existsSync(join(o.cache, INFERENCE_FILES.json))) {
    const m = await loadInferenceBundle(o.cache);
    log(`decoder loaded from ${o.cache}`);
    return { decoder: m.decoder, code: m.latent(0), cached: true, trainSeconds: Number(m.meta.trainSeconds ?? NaN), finalL1: Number(m.meta.finalL1 ?? NaN), epochs: Number(m.meta.epochs ?? NaN), samples: Number(m.meta.samples ?? NaN) };
  }
  const base = o.preset in DECODER_PRESETS ? DECODER_PRESETS[o.preset as keyof typeof DECODER_PRESETS] : { ...DECODER_PRESETS["seed-v2"], dims: o.preset.split(",").map(Number), latentIn: [] };
  const specs = validateSpecs({
    NetworkSpecs: { Preset: "seed-v2", dims: base.dims, latent_in: base.latentIn, dropout_prob: 0, weight_norm: false},
    CodeLength: base.latentSize,
    SamplesPerScene: o.samples,
    ScenesPerBatch: 1,
    Seed: o.seed,
    CodeRegularization: false,
    Curriculum: fastCurriculum(o.epochs, { tolerance: 0, hardSampleWeight: 0 }),
  });
  const decoder = DeepSdfDecoder.fromSpecs({ ...decoderSpecsFrom(specs), peFrequencies: o.pe ?? base.peFrequencies }, { seed: o.seed });
  const source = new MeshSampleSource({ railing8: mesh }, { normalize: false, poolSize: o.pool, poolSeed: o.seed });
  const trainer = new CurriculumTrainer(decoder, ["railing8"], source, specs, {
    onEpoch: (e) => {
      if (e.epoch % 25 === 0 || e.epoch === o.epochs) log(`epoch ${e.epoch}/${o.epochs} L1 ${e.l1.toFixed(5)}`);
    },
  });
  const t1 = performance.now();
  const logs = await trainer.train();
  const trainSeconds = (performance.now() - t1) / 1000;
  const code = trainer.latent(0);
  trainer.dispose();
  const finalL1 = logs[logs.length - 1]?.l1 ?? NaN;
  if (o.cache) {
    mkdirSync(o.cache, { recursive: true });
    await saveInferenceBundle(o.cache, { decoder, latents: code, shapes: ["railing8"], normalization: { railing8: norm }, meta: { epochs: o.epochs, samples: o.samples, trainSeconds, finalL1 } });
  }
  return { decoder, code, cached: false, trainSeconds, finalL1, epochs: o.epochs, samples: o.samples };
};

/**
 * Up to `count` points inside the solid (exact sdf < −0.004 in the unit-sphere frame, from samples around the
 * surface) whose 8 nearest mesh vertices all carry the same true part: that part is the point's truth.
 */
export const interiorPoints = (mesh: Mesh, truth: Uint32Array, count: number, rng: ReturnType<typeof createRng>) => {
  const s = sampleBands(mesh, 10 * count, { mix: [{ kind: "near", fraction: 100, sigma: 0.02 }], normalize: false, rng }).samples;
  const inside: number[] = [];
  for (let i = 0; i < s.sdf.length; i++) if (s.sdf[i] < -0.004) inside.push(i);
  const pts = Float32Array.from(inside.flatMap((i) => [s.points[3 * i], s.points[3 * i + 1], s.points[3 * i + 2]]));
  const nn = new KdTree(mesh.positions).nearestKBatch(pts, 8).index;
  const keep: number[] = [], lab: number[] = [];
  for (let j = 0; j < inside.length && keep.length < count; j++) {
    const t = truth[nn[8 * j]];
    let agree = true;
    for (let q = 1; q < 8; q++) agree &&= truth[nn[8 * j + q]] === t;
    if (agree) {
      keep.push(j);
      lab.push(t);
    }
  }
  return { points: Float32Array.from(keep.flatMap((j) => [pts[3 * j], pts[3 * j + 1], pts[3 * j + 2]])), truth: Uint32Array.from(lab) };
};

/** The whole pipeline; returns the report it writes. */
export const segmentRailing = async (o: SegmentRailingOptions) => {
  const log = o.log ?? ((s: string) => console.error(s));
  const t0 = performance.now();
  mkdirSync(o.out, { recursive: true });
  const raw = await readMesh(join(sharedDir, "generated", "railing8.obj"));
  const truth = Uint32Array.from(readFileSync(join(sharedDir, "generated", "railing8.labels.txt"), "utf8").trim().split(/\s+/).map(Number));
  const { mesh, offset, scale } = normalizeMesh(raw); // the training frame (unit sphere); same vertex order as raw
  const net = await decoderFor(o, mesh, { offset, scale }, log);
  const { decoder, code } = net;
  const layers = decoder.specs.dims.map((_, i) => i);
  const forward = (pts: Float32Array) => decoder.activations(code, pts, layers);
  const segSeed = o.segSeed ?? o.seed;
  const segOpts = { types: o.types, criterion: o.choose, smoothIterations: o.smooth, minPartFraction: o.minPart, creaseBand: o.creaseBand, creaseMerge: o.creaseMerge, kmeansSample: o.kmeansSample, selectRng: createRng(segSeed + 1), rng: createRng(segSeed + 2) };

  // mesh from the decoder
  const learned: Mesh = extractMesh(decoder, code, { res: sparseGridRes(o.res) }).mesh;
  if (learned.indices.length > 0) writeFileAtomicSync(join(o.out, "decoder-mesh.obj"), serializeObj(learned));

  // segments on the original mesh's vertices (scored against the labels)
  const seg = await segmentMeshByActivations(forward, raw, { ...segOpts, points: mesh.positions });
  const f = { layer: seg.layer, k: seg.k, data: seg.features.data, dim: seg.features.dim };
  const ari = adjustedRandIndex(truth, seg.labels);
  log(`layer ${f.layer}, k ${f.k}: ${seg.parts} parts, ARI ${ari.toFixed(4)}`);
  writeFileAtomicSync(join(o.out, "segmented.ply"), serializeColoredPly(colorByLabels(raw, seg.labels)));
  writeFileAtomicSync(join(o.out, "labels.txt"), `${Array.from(seg.labels).join("\n")}\n`); // one part per vertex of railing8.obj
  for (const p of splitMeshByLabels(raw, seg.labels)) writeFileAtomicSync(join(o.out, `part-${p.label}.obj`), serializeObj(p.mesh));

  // classifier: fit on the segmentation of even vertices, predict odd vertices, score against the truth
  const nv = raw.positions.length / 3, half = Math.ceil(nv / 2);
  const xs = new Float32Array(half * f.dim), ys = new Uint32Array(half), xt = new Float32Array((nv - half) * f.dim), tt = new Uint32Array(nv - half);
  for (let v = 0; v < nv; v++) {
    const i = v >> 1;
    if (v % 2 === 0) {
      xs.set(f.data.subarray(v * f.dim, (v + 1) * f.dim), i * f.dim);
      ys[i] = seg.labels[v];
    } else {
      xt.set(f.data.subarray(v * f.dim, (v + 1) * f.dim), i * f.dim);
      tt[i] = truth[v];
    }
  }
  // interior points with a known part: exact sdf of the mesh, the 8 nearest vertices agreeing on the true part
  const inner = interiorPoints(mesh, truth, o.interior, createRng(o.seed + 4));
  const [innerAct] = await decoder.activations(code, inner.points, [f.layer]);
  const classifier: Record<string, number> = {}, interior: Record<string, number> = {};
  for (const kind of ["centroid", "softmax"] as const) {
    const c = ActivationClassifier.fit(xs, f.dim, ys, { kind, rng: createRng(o.seed + 3), epochs: 60 });
    classifier[kind] = bestPermutationAccuracy(tt, c.predict(xt));
    interior[kind] = bestPermutationAccuracy(inner.truth, c.predict(innerAct));
  }

  // segments on the decoder's own mesh (truth through the nearest original vertex)
  let learnedReport: { vertices: number; parts: number; ari: number; layer: number; k: number } | null = null;
  if (learned.positions.length > 0) {
    const lseg = await segmentMeshByActivations(forward, learned, { ...segOpts, selectRng: createRng(segSeed + 1), rng: createRng(segSeed + 2) });
    const near = new KdTree(mesh.positions).nearestBatch(learned.positions).index;
    const ltruth = Uint32Array.from(near, (i) => truth[i]);
    learnedReport = { vertices: learned.positions.length / 3, parts: lseg.parts, ari: adjustedRandIndex(ltruth, lseg.labels), layer: lseg.layer, k: lseg.k };
    writeFileAtomicSync(join(o.out, "decoder-mesh-segmented.ply"), serializeColoredPly(colorByLabels(learned, lseg.labels)));
  }
  const sizes = new Array<number>(seg.parts).fill(0);
  for (const l of seg.labels) sizes[l]++;
  const report = {
    mesh: "railing8.obj",
    vertices: nv,
    decoder: { dims: decoder.specs.dims, peFrequencies: decoder.specs.peFrequencies, parameters: decoder.parameterCount, cached: net.cached, epochs: net.epochs, samplesPerStep: net.samples, finalL1: net.finalL1, trainSeconds: net.trainSeconds },
    layer: f.layer,
    types: f.k,
    silhouette: seg.scores,
    layerChoice: o.choose,
    consensus: seg.agreement,
    cutFraction: seg.cut.map((c) => (Number.isFinite(c) ? c : null)), // per layer (cut choice): share of mesh edges between parts; null = fewer than k parts
    smoothIterations: o.smooth,
    minPartFraction: o.minPart,
    creaseBand: o.creaseBand,
    creaseMerge: o.creaseMerge,
    kmeansSample: o.kmeansSample,
    segSeed,
    candidates: seg.candidates.map(({ layer, k, parts, agreement }) => ({ layer, k, parts, agreement })), // the labels stay out of the report
    parts: seg.parts,
    expectedParts: 10,
    partVertices: sizes,
    merged: seg.merged,
    ari,
    classifierAccuracy: classifier,
    interiorPoints: inner.truth.length,
    interiorClassifierAccuracy: interior,
    decoderMesh: learnedReport,
    seconds: (performance.now() - t0) / 1000,
  };
  decoder.dispose();
  writeFileAtomicSync(join(o.out, "report.json"), JSON.stringify(report, null, 2));
  writeFileAtomicSync(
    join(o.out, "report.md"),
    `# railing8 segmentation\n\n| metric | value |\n|---|---|\n| decoder | ${decoder.specs.dims.length} × ${decoder.specs.dims[0]}, PE ${decoder.specs.peFrequencies}, ${report.decoder.parameters} parameters${net.cached ? " (loaded from cache)" : ""} |\n| training | ${net.epochs} epochs × ${net.samples} samples, ${net.trainSeconds.toFixed(0)} s, final L1 ${net.finalL1.toFixed(5)} |\n| chosen layer, types (silhouette) | ${f.layer}, ${f.k} |\n| parts (original mesh) | ${seg.parts} (expected 10) |\n| ARI vs labels | ${ari.toFixed(4)} |\n| classifier accuracy, held-out vertices (centroid / softmax) | ${(100 * classifier.centroid).toFixed(1)} % / ${(100 * classifier.softmax).toFixed(1)} % |\n| classifier accuracy, ${inner.truth.length} interior points (centroid / softmax) | ${(100 * interior.centroid).toFixed(1)} % / ${(100 * interior.softmax).toFixed(1)} % |\n| decoder mesh | ${learnedReport ? `${learnedReport.vertices} vertices, ${learnedReport.parts} parts, ARI ${learnedReport.ari.toFixed(4)}` : "empty"} |\n`,
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
      cache: { type: "string" },
      epochs: { type: "string", default: "300" },
      samples: { type: "string", default: "8192" },
      pool: { type: "string", default: "250000" },
      preset: { type: "string", default: "seed-v2" },
      pe: { type: "string" },
      res: { type: "string", default: "128" },
      types: { type: "string", default: "auto" },
      smooth: { type: "string", default: "5" },
      choose: { type: "string", default: "agreement" },
      "kmeans-sample": { type: "string", default: "10000" },
      interior: { type: "string", default: "4000" },
      "min-part": { type: "string", default: "0.2" },
      "crease-band": { type: "string", default: "12" },
      "crease-merge": { type: "string", default: "0" },
      seed: { type: "string", default: "0" },
      "seg-seed": { type: "string" },
    },
  });
  const failChoice = (c: unknown): never => {
    console.error(`segment-railing: --choose must be agreement, cut, consensus or silhouette, got ${String(c)}`);
    process.exit(2);
  };
  await selectBackend({ prefer: "wasm" });
  const r = await segmentRailing({
    out: v.out!,
    cache: v.cache,
    epochs: Number(v.epochs),
    samples: Number(v.samples),
    pool: Number(v.pool),
    preset: v.preset!,
    pe: v.pe === undefined ? undefined : Number(v.pe),
    res: Number(v.res),
    types: v.types === "auto" ? "auto" : Number(v.types),
    smooth: Number(v.smooth),
    choose: (["agreement", "cut", "silhouette", "consensus"] as const).find((c) => c === v.choose) ?? failChoice(v.choose),
    minPart: Number(v["min-part"]),
    creaseBand: Number(v["crease-band"]),
    creaseMerge: Number(v["crease-merge"]),
    kmeansSample: Number(v["kmeans-sample"]),
    interior: Number(v.interior),
    seed: Number(v.seed),
    segSeed: v["seg-seed"] === undefined ? undefined : Number(v["seg-seed"]),
  });
  console.log(JSON.stringify(r));
}
