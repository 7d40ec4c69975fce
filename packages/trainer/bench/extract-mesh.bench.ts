/**
 * Mesh extraction from a trained decoder at 257³ (the 256 cells): the dense reference grid
 * against the sparse coarse-to-fine grid, decoder evaluations and wall time, and whether the two
 * meshes agree (triangle counts; Chamfer between their vertex sets). The decoder is fitted to a real
 * part (fandisk, unit sphere) for STEPS steps so its SDF is a learned one, not an analytic one; both
 * grids are evaluated through `extractMeshAsync` (the inference engine: onnxruntime-node when installed).
 *   node --conditions=source --import tsx packages/trainer/bench/extract-mesh.bench.ts [PRESET=seed-v1] [STEPS=300] [RES=257] [MARGINS=1.5,1,0.75]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chamferDistancePoints, normalizeMesh } from "../../sdf-core/src/index.js";
import { readMesh } from "../../sdf-core/src/node/index.js";
import { DECODER_PRESETS, DeepSdfDecoder, selectBackend } from "../../sdf-core/src/model/index.js";
import { MeshSampleSource } from "../../sampling/src/index.js";
import { CurriculumTrainer, decoderSpecsFrom, extractMeshAsync, validateSpecs } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const data = process.env.SDFKIT_SHARED_DATA ?? resolve(root, "..", "shared", "data");
const PRESET = (process.argv[2] ?? "seed-v1") as keyof typeof DECODER_PRESETS;
const STEPS = Number(process.argv[3] ?? 300);
const RES = Number(process.argv[4] ?? 257);
const MARGINS = (process.argv[5] ?? "1.5,1,0.75").split(",").map(Number);
await selectBackend({ log: false });
const { mesh } = normalizeMesh(await readMesh(join(data, "obj", "fandisk.obj")));
const source = new MeshSampleSource({ fandisk: mesh }, { normalize: false, poolSize: 200_000, poolSeed: 0 });
const p = DECODER_PRESETS[PRESET];
const specs = validateSpecs({
  NetworkSpecs: { Preset: PRESET, dims: p.dims, latent_in: p.latentIn, dropout_prob: 0, weight_norm: false },
  CodeLength: p.latentSize,
  NumEpochs: STEPS,
  LearningRateSchedule: [{ Type: "Constant", Value: 5e-4 }, { Type: "Constant", Value: 1e-3 }],
  SamplesPerScene: 8192,
  ScenesPerBatch: 1,
  Seed: 0,
});
const decoder = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(specs), { seed: 0 });
const trainer = new CurriculumTrainer(decoder, ["fandisk"], source, specs);
await trainer.train();
const latent = trainer.latent(0);
const dense = await extractMeshAsync(decoder, latent, { res: RES, sparse: false });
const engine = await trainer.engine();
const rows = [];
for (const margin of MARGINS) {
  const sparse = await extractMeshAsync(decoder, latent, { res: RES, sparse: true, margin });
  const vertexChamfer = chamferDistancePoints(dense.mesh.positions, sparse.mesh.positions).chamfer;
  const row = { margin, evaluations: sparse.evaluations, share: sparse.evaluations / dense.evaluations, seconds: sparse.seconds, triangles: sparse.mesh.indices.length / 3, sameTriangleCount: sparse.mesh.indices.length === dense.mesh.indices.length, vertexChamfer };
  rows.push(row);
  console.log(
    `${RES}³ from a ${PRESET} decoder fitted to fandisk (${STEPS} steps, ${engine}): dense ${dense.evaluations} evaluations ${dense.seconds.toFixed(1)} s, ${dense.mesh.indices.length / 3} triangles; ` +
      `sparse (margin ${margin}) ${sparse.evaluations} evaluations = ${(100 * row.share).toFixed(1)} % (goal ≤ 10 %) ${sparse.seconds.toFixed(1)} s, ${row.triangles} triangles; vertex-set Chamfer dense↔sparse ${vertexChamfer.toExponential(2)}`,
  );
}
const row = { preset: PRESET, steps: STEPS, engine, res: RES, dense: { evaluations: dense.evaluations, seconds: dense.seconds, triangles: dense.mesh.indices.length / 3 }, sparse: rows };
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "extract-mesh.json"), JSON.stringify({ date: new Date().toISOString(), ...row }, null, 2));
trainer.dispose();
decoder.dispose();
