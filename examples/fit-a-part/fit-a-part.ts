/**
 * A real STEP part end to end: import (OpenCascade) → unit-sphere normalisation → signed-distance
 * samples → train a seed-v2 DeepSDF decoder (4-phase fast curriculum) → inference bundle → mesh from the
 * decoder (sparse grid + marching cubes) → Chamfer ×10³ against the input (DeepSDF definition, 30,000
 * points a side) → front/top/right/iso renders of input and reconstruction side by side → instance
 * segments of the reconstruction from the decoder's own activations (coloured render + PLY) → report.md.
 *
 *   pnpm --filter @sdfkit/example-fit-a-part start [-- --smoke | --demo] [--step FILE] [--out DIR]
 *     [--epochs N] [--samples N] [--pool N] [--res N] [--size PX] [--types T] [--selection-points N] [--seed S]
 *
 * Settings: default (full) 1,500 epochs × 1,024 samples, mesh 129³, renders 320 px; --demo 800 × 512, 65³,
 * 256 px (the README's `pnpm demo`, about 2 minutes on 2 cores); --smoke 6 × 512, 25³, 128 px (the test).
 * One shape means one optimiser step per epoch, and at these budgets the number of steps matters more
 * than the samples per step (measured: 200 × 1,024 → Chamfer×10³ 8.8; 400 × 512 → 1.7, same time). Flags after a setting
 * override it. Output (default <repo>/out/fit-a-part): comparison.png, segments.png, log.png, log.csv,
 * input.obj, reconstruction.obj, segmented.ply, inference.{json,bin}, report.md, report.json.
 * The last stdout line is report.json's content.
 */
import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chamferDistance, createRng, InvalidArgumentError, meshReport, normalizeMesh, type Mesh, type Vec3 } from "@sdfkit/sdf-core";
import { readMesh, writeFileAtomic, writeMesh } from "@sdfkit/sdf-core/node";
import { DECODER_PRESETS, DeepSdfDecoder, selectBackend } from "@sdfkit/sdf-core/model";
import { MeshSampleSource, sampleBands } from "@sdfkit/sampling";
import { CurriculumTrainer, decoderSpecsFrom, extractMesh, fastCurriculum, sampleMetrics, saveInferenceBundle, sparseGridRes, validateSpecs, writeTrainingLog } from "@sdfkit/trainer";
import { renderMesh, tileImages, type ViewName } from "@sdfkit/render";
import { writePng } from "@sdfkit/render/node";
import { colorByLabels, segmentMeshByActivations, serializeColoredPly } from "@sdfkit/segmentation";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..", "..");
const dataDir = process.env.SDFKIT_SHARED_DATA ? resolve(process.env.SDFKIT_SHARED_DATA) : resolve(repoRoot, "..", "shared", "data");

/** Options of {@link fitAPart}. */
export interface FitAPartOptions {
  /** The part: STEP (or any file `readMesh` reads). */
  file: string;
  out: string;
  epochs: number;
  /** Samples per training step. */
  samples: number;
  /** Samples drawn once per curriculum mix; each step draws from that pool. */
  pool: number;
  /** Mesh extraction grid resolution (rounded down to a sparse-grid size). */
  res: number;
  /** Render size in pixels (each view). */
  size: number;
  /** Semantic types for the activation segmentation of the reconstruction. */
  types: number;
  /** Reconstruction vertices whose activations choose the segmented layer (cost grows with its square). */
  selectionPoints: number;
  seed: number;
  log?: (s: string) => void;
}

/** Named settings: full (default), demo (README `pnpm demo`), smoke (the test). */
export const FIT_A_PART_SETTINGS = {
  full: { epochs: 1500, samples: 1024, pool: 250_000, res: 129, size: 320, selectionPoints: 3000 },
  demo: { epochs: 800, samples: 512, pool: 100_000, res: 65, size: 256, selectionPoints: 2000 },
  smoke: { epochs: 6, samples: 512, pool: 20_000, res: 25, size: 128, selectionPoints: 500 },
} as const;

const VIEWS: ViewName[] = ["front", "top", "right", "iso"];

/** The whole pipeline; writes into `o.out` and returns the report it writes as report.json. */
export const fitAPart = async (o: FitAPartOptions) => {
  const log = o.log ?? ((s: string) => console.error(s));
  for (const [k, v, min] of [["epochs", o.epochs, 1], ["samples", o.samples, 2], ["pool", o.pool, 2], ["res", o.res, 9], ["size", o.size, 16], ["types", o.types, 2], ["selectionPoints", o.selectionPoints, 10]] as const)
    if (!Number.isInteger(v) || v < min) throw new InvalidArgumentError("fitAPart", k, `an integer >= ${min}`, v);
  const t0 = performance.now();
  const secs = () => (performance.now() - t0) / 1000;
  mkdirSync(o.out, { recursive: true });
  const backend = await selectBackend({ log: false });

  // 1. the part, normalised into DeepSDF's unit sphere (margin 1.03)
  const raw = await readMesh(o.file);
  const rawReport = meshReport(raw);
  const { mesh: input, offset, scale } = normalizeMesh(raw);
  await writeMesh(join(o.out, "input.obj"), input);
  log(`${basename(o.file)}: ${rawReport.triangles} triangles, watertight ${rawReport.watertight} (${secs().toFixed(1)} s)`);

  // 2. samples (exact mesh SDF, a pool per curriculum mix) + held-out samples for validation
  const source = new MeshSampleSource({ part: input }, { normalize: false, poolSize: o.pool, poolSeed: o.seed });
  const held = sampleBands(input, 8000, { rng: createRng(o.seed + 7919), mix: "BALANCED", normalize: false }).samples;

  // 3. train a seed-v2 decoder (8 × 256, skip at 4, positional encoding) on the one part
  const preset = DECODER_PRESETS["seed-v2"];
  const specs = validateSpecs({
    Description: `examples/fit-a-part: ${basename(o.file)}`,
    NetworkSpecs: { Preset: "seed-v2", dims: preset.dims, latent_in: preset.latentIn, dropout_prob: 0, weight_norm: false },
    CodeLength: preset.latentSize,
    SamplesPerScene: o.samples + (o.samples % 2),
    ScenesPerBatch: 1,
    Seed: o.seed,
    CodeRegularization: false,
    ValidationFrequency: Math.max(1, Math.round(o.epochs / 20)),
    ChamferFrequency: o.epochs,
    Curriculum: fastCurriculum(o.epochs),
  });
  await writeFileAtomic(join(o.out, "specs.json"), JSON.stringify(specs, null, 2));
  const decoder = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(specs), { seed: o.seed });
  // the log is written once after training (the trainer's logDir would rewrite log.png every epoch: ~30 % of a short run)
  const trainer = new CurriculumTrainer(decoder, ["part"], source, specs, {
    validation: { samples: () => held },
    onEpoch: (e) => {
      if (e.epoch % Math.max(1, Math.round(o.epochs / 10)) === 0 || e.epoch === o.epochs) log(`epoch ${e.epoch}/${o.epochs} ${e.phase} loss ${e.loss.toExponential(2)} (${secs().toFixed(0)} s)`);
    },
  });
  try {
    const t1 = performance.now();
    const logs = await trainer.train();
    const trainSeconds = (performance.now() - t1) / 1000;
    await writeTrainingLog(o.out, trainer.history);
    const latent = trainer.latent(0);
    const metrics = sampleMetrics(decoder, latent, held, { clamp: specs.ClampingDistance });
    await saveInferenceBundle(o.out, { decoder, latents: latent, shapes: ["part"], normalization: { part: { offset, scale } }, meta: { file: basename(o.file), epochs: o.epochs, backend } });

    // 4. mesh from the decoder, Chamfer against the input (both in the unit-sphere frame)
    const res = sparseGridRes(o.res);
    const fit = extractMesh(decoder, latent, { res });
    const fitMesh: Mesh = fit.mesh;
    const empty = fitMesh.indices.length === 0;
    const chamfer = empty ? Infinity : chamferDistance(fitMesh, input, { samples: 30_000, rng: createRng(o.seed) }).chamfer;
    if (!empty) await writeMesh(join(o.out, "reconstruction.obj"), fitMesh);
    const fitReport = empty ? null : meshReport(fitMesh);
    log(`mesh ${res}³: ${fitReport?.triangles ?? 0} triangles, ${fit.evaluations} decoder evaluations; Chamfer×10³ ${(1e3 * chamfer).toFixed(3)} (${secs().toFixed(0)} s)`);

    // 5. renders: input (top row) and reconstruction (bottom row), one camera frame for both
    const frame = { center: [0, 0, 0] as Vec3, radius: 1 / 1.03 };
    const row = (m: Mesh | null) => VIEWS.map((view) => (m ? renderMesh(m, { view, size: o.size, frame }) : renderMesh(input, { view, size: o.size, frame, color: [255, 255, 255], edges: false })));
    const comparison = tileImages([...row(input), ...row(empty ? null : fitMesh)], VIEWS.length, {
      labels: [...VIEWS.map((v) => `input ${v}`), ...VIEWS.map((v) => (empty ? "empty" : `fit ${v}`))],
      gap: 2,
    });
    await writePng(join(o.out, "comparison.png"), comparison);

    // 6. instance segments of the reconstruction from the decoder's activations (no labels anywhere)
    let segments: { layer: number; parts: number; merged: number; partVertices: number[] } | null = null;
    if (!empty && fitMesh.positions.length / 3 > 3 * o.types) {
      const layers = decoder.specs.dims.map((_, i) => i);
      const seg = await segmentMeshByActivations((pts) => decoder.activations(latent, pts, layers), fitMesh, { types: o.types, selectionPoints: o.selectionPoints, rng: createRng(o.seed + 2), selectRng: createRng(o.seed + 1) });
      const partVertices = new Array<number>(seg.parts).fill(0);
      for (const l of seg.labels) partVertices[l]++;
      segments = { layer: seg.layer, parts: seg.parts, merged: seg.merged, partVertices };
      await writeFileAtomic(join(o.out, "segmented.ply"), serializeColoredPly(colorByLabels(fitMesh, seg.labels)));
      const segViews = (["iso", "front"] as const).map((view) => renderMesh(fitMesh, { view, size: o.size, frame, labels: seg.labels }));
      await writePng(join(o.out, "segments.png"), tileImages(segViews, 2, { labels: [`${seg.parts} parts, iso`, "front"], gap: 2 }));
      log(`segments: ${seg.parts} parts from layer ${seg.layer} (${secs().toFixed(0)} s)`);
    }

    const last = logs[logs.length - 1];
    const report = {
      file: o.file,
      input: { triangles: rawReport.triangles, watertight: rawReport.watertight, normalization: { offset, scale } },
      decoder: { preset: "seed-v2", parameters: decoder.parameterCount, backend },
      training: { epochs: o.epochs, samplesPerStep: specs.SamplesPerScene, pool: o.pool, seconds: trainSeconds, finalLoss: last?.loss ?? null },
      signAccuracy: metrics.signAccuracy,
      heldOutL1: metrics.l1,
      mesh: { res, triangles: fitReport?.triangles ?? 0, watertight: fitReport?.watertight ?? false, components: fitReport?.components ?? 0, evaluations: fit.evaluations, seconds: fit.seconds },
      chamferX1000: 1e3 * chamfer,
      segments,
      seconds: secs(),
      files: ["comparison.png", "log.png", "log.csv", "specs.json", "input.obj", "inference.json", "inference.bin", "report.md", "report.json", ...(empty ? [] : ["reconstruction.obj"]), ...(segments ? ["segmented.ply", "segments.png"] : [])],
    };
    const md = `# Fitting ${basename(o.file)} with a seed-v2 DeepSDF decoder

![input (top) and reconstruction (bottom): front, top, right, iso](comparison.png)

| | |
|---|---|
| input | ${basename(o.file)}: ${rawReport.triangles} triangles, watertight ${rawReport.watertight}; normalised into the unit sphere (margin 1.03, scale ${scale.toPrecision(4)}) |
| decoder | seed-v2 (8 × 256, skip at layer 4, positional encoding 6), ${decoder.parameterCount.toLocaleString("en")} parameters, backend ${backend} |
| training | ${o.epochs} epochs × ${specs.SamplesPerScene.toLocaleString("en")} samples (fast 4-phase curriculum, pools of ${o.pool.toLocaleString("en")} samples per mix), ${trainSeconds.toFixed(1)} s |
| held-out samples | sign accuracy ${(100 * metrics.signAccuracy).toFixed(2)} %, clamped L1 ${metrics.l1.toExponential(3)} |
| mesh | ${res}³ sparse grid, ${fit.evaluations.toLocaleString("en")} decoder evaluations, ${fitReport?.triangles ?? 0} triangles, ${fitReport?.components ?? 0} component(s), watertight ${fitReport?.watertight ?? false} |
| **Chamfer ×10³** | **${(1e3 * chamfer).toFixed(3)}** (DeepSDF definition: mean squared nearest distance both ways, 30,000 surface points a side, unit-sphere frame) |
| segments | ${segments ? `${segments.parts} parts from hidden layer ${segments.layer} (chosen by silhouette, ${o.types} k-means types, ${segments.merged} small components merged)` : "none (empty mesh)"} |
| total time | ${secs().toFixed(1)} s |

${segments ? "![instance segments of the reconstruction from the decoder's activations](segments.png)\n\n" : ""}Loss and validation curves (training L1, held-out L1 and sign error):

![loss curves](log.png)

Files: ${report.files.join(", ")}. The inference bundle loads with \`loadInferenceBundle\` (@sdfkit/trainer) or \`unpackInferenceBundle\` (@sdfkit/sdf-core/model).
`;
    await writeFileAtomic(join(o.out, "report.md"), md);
    await writeFileAtomic(join(o.out, "report.json"), JSON.stringify(report, null, 2));
    return report;
  } finally {
    trainer.dispose();
    decoder.dispose();
  }
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `pnpm --filter … start -- --flag` hands the script a leading "--"; drop it so the flags stay flags
  const argv = process.argv.slice(2);
  const { values: v } = parseArgs({
    args: argv[0] === "--" ? argv.slice(1) : argv,
    options: {
      step: { type: "string", default: join(dataDir, "step", "io1-cm-214.stp") },
      out: { type: "string", default: join(repoRoot, "out", "fit-a-part") },
      smoke: { type: "boolean", default: false },
      demo: { type: "boolean", default: false },
      epochs: { type: "string" },
      samples: { type: "string" },
      pool: { type: "string" },
      res: { type: "string" },
      size: { type: "string" },
      types: { type: "string", default: "3" },
      "selection-points": { type: "string" },
      seed: { type: "string", default: "0" },
    },
  });
  if (!existsSync(v.step!)) {
    console.error(`fit-a-part: part not found at ${resolve(v.step!)}. Put the shared data beside the repository (../shared/data), set SDFKIT_SHARED_DATA, or pass --step FILE.`);
    process.exit(1);
  }
  const base = FIT_A_PART_SETTINGS[v.smoke ? "smoke" : v.demo ? "demo" : "full"];
  const num = (s: string | undefined, d: number) => (s === undefined ? d : Number(s));
  const report = await fitAPart({
    file: resolve(v.step!),
    out: resolve(v.out!),
    epochs: num(v.epochs, base.epochs),
    samples: num(v.samples, base.samples),
    pool: num(v.pool, base.pool),
    res: num(v.res, base.res),
    size: num(v.size, base.size),
    types: Number(v.types),
    selectionPoints: num(v["selection-points"], base.selectionPoints),
    seed: Number(v.seed),
  });
  console.error(`wrote ${resolve(v.out!)}/report.md`);
  console.log(JSON.stringify(report));
}
