/**
 * railing8 end to end: mesh → signed-distance samples → train a decoder (one shape) → mesh from the
 * decoder (marching cubes) → per-vertex activations → instance segments (k-means types + connected
 * components) → coloured PLY, one OBJ per part, report.json / report.md (no renders).
 * Ground truth (railing8.labels.txt) scores the segmentation of the original mesh's vertices by ARI;
 * the decoder mesh is scored through its nearest original vertex.
 *
 * Run: `pnpm --filter @sdfkit/example-segment-railing start -- [--out DIR] [--epochs 300] [--samples 8192]
 *   [--preset seed-v2|DIMS like 128,128,128] [--pe 6] [--res 128] [--types 3] [--seed 0]`
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { KdTree, createRng, marchingCubes, sampleGrid, serializeObj, type Mesh, type Rng, type SampleSource, type SdfSamples } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { DECODER_PRESETS, DeepSdfDecoder, selectBackend, type NetworkSpecs } from "@sdfkit/sdf-core/model";
import { sampleBands } from "@sdfkit/sampling";
import { ActivationClassifier, adjustedRandIndex, bestPermutationAccuracy, colorByLabels, segmentMeshByActivations, serializeColoredPly, splitMeshByLabels } from "@sdfkit/segmentation";
import { CurriculumTrainer, validateSpecs } from "@sdfkit/trainer";

const here = dirname(fileURLToPath(import.meta.url));
const sharedDir = process.env.SDFKIT_SHARED_DATA ? resolve(process.env.SDFKIT_SHARED_DATA) : resolve(here, "../../../shared/data");

/** Options of {@link segmentRailing}. */
export interface SegmentRailingOptions {
  out: string;
  epochs: number;
  samples: number;
  /** Hidden widths, or a preset name of @sdfkit/sdf-core/model. */
  preset: string;
  /** Positional-encoding frequencies (overrides the preset's). */
  pe?: number;
  /** Marching-cubes grid resolution for the decoder mesh. */
  res: number;
  /** Semantic types for k-means (base, rail, balusters = 3). */
  types: number;
  /** Training samples drawn once from the mesh (the pool each step draws from). */
  pool: number;
  seed: number;
  log?: (s: string) => void;
}

const atomic = (path: string, data: string | Uint8Array) => {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
};

/** The whole pipeline; returns the report it writes. */
export const segmentRailing = async (o: SegmentRailingOptions) => {
  const log = o.log ?? ((s: string) => console.error(s));
  const t0 = performance.now();
  mkdirSync(o.out, { recursive: true });
  const mesh = await readMesh(join(sharedDir, "generated", "railing8.obj"));
  const truth = Uint32Array.from(readFileSync(join(sharedDir, "generated", "railing8.labels.txt"), "utf8").trim().split(/\s+/).map(Number));
  const rng = createRng(o.seed);

  // samples: one pool from the exact mesh sdf (the railing already lies in [-0.55, 0.55]³), drawn from every step
  const { samples } = sampleBands(mesh, o.pool, { rng, mix: "seed-v2", normalize: false });
  const source: SampleSource = {
    sample(_s: string, count: number, _mix: string, r: Rng): SdfSamples {
      const points = new Float32Array(3 * count), sdf = new Float32Array(count), np = samples.sdf.length;
      for (let i = 0; i < count; i++) {
        const j = r.int(np);
        points.set(samples.points.subarray(3 * j, 3 * j + 3), 3 * i);
        sdf[i] = samples.sdf[j];
      }
      return { points, sdf };
    },
  };
  log(`samples: ${o.pool} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // decoder + training (one shape: the code is learned along with the weights)
  const base: NetworkSpecs = o.preset in DECODER_PRESETS ? DECODER_PRESETS[o.preset as keyof typeof DECODER_PRESETS] : { ...DECODER_PRESETS["seed-v2"], dims: o.preset.split(",").map(Number), latentIn: [] };
  const net: NetworkSpecs = { ...base, latentSize: 16, dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: o.pe ?? base.peFrequencies };
  const decoder = DeepSdfDecoder.fromSpecs(net, { seed: o.seed });
  const specs = validateSpecs({
    NetworkSpecs: { Preset: "seed-v2", dims: net.dims, latent_in: net.latentIn, dropout_prob: 0, weight_norm: false },
    CodeLength: net.latentSize,
    NumEpochs: o.epochs,
    LearningRateSchedule: [
      { Type: "Step", Initial: 5e-4, Interval: Math.max(1, Math.round(o.epochs / 2)), Factor: 0.3 },
      { Type: "Step", Initial: 1e-3, Interval: Math.max(1, Math.round(o.epochs / 2)), Factor: 0.3 },
    ],
    SamplesPerScene: o.samples,
    ScenesPerBatch: 1,
    ClampingDistance: 0.1,
    Seed: o.seed,
  });
  // two names for the one shape: CurriculumTrainer's one-hot code lookup needs >= 2 codes (tf.oneHot depth >= 2);
  // each epoch then takes two steps on railing8, and code 0 is the one used below
  const trainer = new CurriculumTrainer(decoder, ["railing8", "railing8-b"], source, specs, {
    onEpoch: (e) => {
      if (e.epoch % 25 === 0 || e.epoch === o.epochs) log(`epoch ${e.epoch}/${o.epochs} L1 ${e.l1.toFixed(5)}`);
    },
  });
  const t1 = performance.now();
  const logs = await trainer.train();
  const trainSeconds = (performance.now() - t1) / 1000;
  const code = (trainer.codes.dataSync() as Float32Array).slice(0, net.latentSize);
  trainer.dispose();

  // mesh from the decoder
  const grid = sampleGrid(decoder.toSdf(code), { res: o.res, bounds: { min: [-0.6, -0.6, -0.6], max: [0.6, 0.6, 0.6] } });
  const learned: Mesh = marchingCubes(grid);
  atomic(join(o.out, "decoder-mesh.obj"), serializeObj(learned));

  // segments on the original mesh (scored against the labels)
  const layers = decoder.specs.dims.map((_, i) => i);
  const forward = (pts: Float32Array) => decoder.activations(code, pts, layers);
  const seg = await segmentMeshByActivations(forward, mesh, { types: o.types, rng: createRng(o.seed + 2), selectRng: createRng(o.seed + 1) });
  const f = { layer: seg.layer, scores: seg.scores, data: seg.features.data, dim: seg.features.dim };
  const ari = adjustedRandIndex(truth, seg.labels);
  atomic(join(o.out, "segmented.ply"), serializeColoredPly(colorByLabels(mesh, seg.labels)));
  for (const p of splitMeshByLabels(mesh, seg.labels)) atomic(join(o.out, `part-${p.label}.obj`), serializeObj(p.mesh));

  // classifier: fit on the segmentation of even vertices, predict odd vertices, score against the truth
  const nv = mesh.positions.length / 3, half = Math.floor(nv / 2);
  const xs = new Float32Array(half * f.dim), ys = new Uint32Array(half), xt = new Float32Array((nv - half) * f.dim), tt = new Uint32Array(nv - half);
  for (let v = 0, a = 0, b = 0; v < nv; v++) {
    if (v % 2 === 0 && a < half) {
      xs.set(f.data.subarray(v * f.dim, (v + 1) * f.dim), a * f.dim);
      ys[a++] = seg.labels[v];
    } else {
      xt.set(f.data.subarray(v * f.dim, (v + 1) * f.dim), b * f.dim);
      tt[b++] = truth[v];
    }
  }
  const classifier: Record<string, number> = {};
  for (const kind of ["centroid", "softmax"] as const) {
    const c = ActivationClassifier.fit(xs, f.dim, ys, { kind, rng: createRng(o.seed + 3), epochs: 60 });
    classifier[kind] = bestPermutationAccuracy(tt, c.predict(xt));
  }

  // segments on the decoder's own mesh (truth through the nearest original vertex)
  let learnedReport: Record<string, number> | null = null;
  if (learned.positions.length > 0) {
    const lseg = await segmentMeshByActivations(forward, learned, { types: o.types, rng: createRng(o.seed + 2), selectRng: createRng(o.seed + 1) });
    const near = new KdTree(mesh.positions).nearestBatch(learned.positions).index;
    const ltruth = Uint32Array.from(near, (i) => truth[i]);
    learnedReport = { vertices: learned.positions.length / 3, parts: lseg.parts, ari: adjustedRandIndex(ltruth, lseg.labels) };
    atomic(join(o.out, "decoder-mesh-segmented.ply"), serializeColoredPly(colorByLabels(learned, lseg.labels)));
  }
  decoder.dispose();

  const report = {
    mesh: "railing8.obj",
    vertices: nv,
    decoder: { dims: net.dims, peFrequencies: net.peFrequencies, parameters: decoder.parameterCount, epochs: o.epochs, samplesPerStep: o.samples, finalL1: logs[logs.length - 1]?.l1 ?? null, trainSeconds },
    layer: f.layer,
    silhouette: f.scores,
    parts: seg.parts,
    expectedParts: 10,
    merged: seg.merged,
    ari,
    classifierAccuracy: classifier,
    decoderMesh: learnedReport,
    seconds: (performance.now() - t0) / 1000,
  };
  atomic(join(o.out, "report.json"), JSON.stringify(report, null, 2));
  atomic(
    join(o.out, "report.md"),
    `# railing8 segmentation\n\n| metric | value |\n|---|---|\n| decoder | ${net.dims.length} × ${net.dims[0]}, PE ${net.peFrequencies}, ${report.decoder.parameters} parameters |\n| training | ${o.epochs} epochs × ${o.samples} samples, ${trainSeconds.toFixed(0)} s, final L1 ${report.decoder.finalL1?.toFixed(5)} |\n| chosen layer (silhouette) | ${f.layer} |\n| parts (original mesh) | ${seg.parts} (expected 10) |\n| ARI vs labels | ${ari.toFixed(4)} |\n| classifier accuracy, held-out vertices (centroid / softmax) | ${(100 * classifier.centroid).toFixed(1)} % / ${(100 * classifier.softmax).toFixed(1)} % |\n| decoder mesh | ${learnedReport ? `${learnedReport.vertices} vertices, ${learnedReport.parts} parts, ARI ${learnedReport.ari.toFixed(4)}` : "empty"} |\n`,
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
      epochs: { type: "string", default: "300" },
      samples: { type: "string", default: "8192" },
      pool: { type: "string", default: "400000" },
      preset: { type: "string", default: "seed-v2" },
      pe: { type: "string" },
      res: { type: "string", default: "128" },
      types: { type: "string", default: "3" },
      seed: { type: "string", default: "0" },
    },
  });
  await selectBackend({ prefer: "wasm" });
  const r = await segmentRailing({
    out: v.out!,
    epochs: Number(v.epochs),
    samples: Number(v.samples),
    pool: Number(v.pool),
    preset: v.preset!,
    pe: v.pe === undefined ? undefined : Number(v.pe),
    res: Number(v.res),
    types: Number(v.types),
    seed: Number(v.seed),
  });
  console.log(JSON.stringify(r));
}
