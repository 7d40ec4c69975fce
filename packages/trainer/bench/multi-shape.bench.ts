/**
 * Multi-shape auto-decoder: train ONE decoder on the 7 OBJ meshes of ../shared/data/obj together
 * (seed-v2, the fast curriculum), then reconstruct every shape from fresh samples with the trained
 * decoder (DeepSDF protocol: latent only, 800 iterations, lr 5e-3 ÷10 at 400, 8,000 samples an
 * iteration, init N(0, 0.01²), 1e-4·mean(z²)) and report Chamfer ×10³ per shape (DeepSDF definition,
 * unit sphere, 30 k points; 100 k points too, whose sampling floor is ~4× lower) for the trained code
 * and for the reconstructed code, beside the floor (the same mesh sampled twice). Meshes from the
 * sparse grid at RES³. Writes bench/results/multi-shape.json and the meshes + a contact sheet PNG
 * into OUT (default: packages/trainer/scratch/multi-shape, ignored by git).
 *   node --conditions=source --import tsx packages/trainer/bench/multi-shape.bench.ts [EPOCHS=1000] [SAMPLES=4096] [ITERS=800] [RES=129]
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chamferDistance, createRng, normalizeMesh } from "../../sdf-core/src/index.js";
import { readMesh, writeMesh } from "../../sdf-core/src/node/index.js";
import { DECODER_PRESETS, DeepSdfDecoder, selectBackend } from "../../sdf-core/src/model/index.js";
import { MeshSampleSource, sampleBands } from "../../sampling/src/index.js";
import { CurriculumTrainer, decoderSpecsFrom, extractMesh, fastCurriculum, reconstruct, sparseGridRes, validateSpecs } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const data = process.env.SDFKIT_SHARED_DATA ?? resolve(root, "..", "shared", "data");
const EPOCHS = Number(process.argv[2] ?? 1000);
const SAMPLES = Number(process.argv[3] ?? 4096);
const ITERS = Number(process.argv[4] ?? 800);
const RES = Number(process.argv[5] ?? 129);
const out = resolve(process.env.OUT ?? join(here, "..", "scratch", "multi-shape"));
mkdirSync(out, { recursive: true });

const backend = await selectBackend({ log: false });
const files = readdirSync(join(data, "obj")).filter((f) => f.endsWith(".obj")).sort();
const meshes = await Promise.all(files.map(async (f) => ({ name: basename(f, ".obj"), mesh: normalizeMesh(await readMesh(join(data, "obj", f))).mesh })));
const names = meshes.map((m) => m.name);
const byName = Object.fromEntries(meshes.map((m) => [m.name, m.mesh]));
const p = DECODER_PRESETS["seed-v2"];
const specs = validateSpecs({
  NetworkSpecs: { Preset: "seed-v2", dims: p.dims, latent_in: p.latentIn, dropout_prob: 0, weight_norm: false },
  CodeLength: p.latentSize,
  SamplesPerScene: SAMPLES,
  ScenesPerBatch: names.length,
  Seed: 0,
  Curriculum: fastCurriculum(EPOCHS),
});
const decoder = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(specs), { seed: 0 });
const source = new MeshSampleSource(byName, { normalize: false, poolSize: 250_000, poolSeed: 0 });
const trainer = new CurriculumTrainer(decoder, names, source, specs, {
  logDir: out,
  onEpoch: (e) => e.epoch % 50 === 0 && console.error(`epoch ${e.epoch}/${EPOCHS} ${e.phase} loss ${e.loss.toExponential(3)} (${e.seconds.toFixed(2)} s)`),
});
const engine = await trainer.engine();
console.log(`${names.length} shapes (${names.join(", ")}), seed-v2, ${EPOCHS} epochs × ${names.length} × ${SAMPLES} samples, engine ${engine} (tfjs ${backend}); ${cpus().length} CPUs`);
let t0 = performance.now();
await trainer.train();
const trainSeconds = (performance.now() - t0) / 1000;
console.log(`trained in ${trainSeconds.toFixed(0)} s`);
const codes = trainer.codes.dataSync() as Float32Array;

const cd = (a: Parameters<typeof chamferDistance>[0], b: Parameters<typeof chamferDistance>[1], samples: number) => (a.indices.length ? chamferDistance(a, b, { rng: createRng(1), samples }).chamfer * 1e3 : Infinity);
type Row = { shape: string; floor30: number; trained30: number; reconstructed30: number; floor100: number; trained100: number; reconstructed100: number; reconSeconds: number };
const rows: Row[] = [];
for (let i = 0; i < names.length; i++) {
  const name = names[i], mesh = byName[name];
  const floor30 = cd(mesh, mesh, 30_000), floor100 = cd(mesh, mesh, 100_000);
  const trained = extractMesh(decoder, trainer.latent(i, codes), { res: sparseGridRes(RES) }).mesh;
  const samples = sampleBands(mesh, 100_000, { rng: createRng(1000 + i), mix: "deepsdf", normalize: false }).samples;
  t0 = performance.now();
  const r = await reconstruct(decoder, samples, { rng: createRng(2000 + i), iterations: ITERS, decayAt: Math.round(ITERS / 2) });
  const reconSeconds = (performance.now() - t0) / 1000;
  const recon = extractMesh(decoder, r.latent, { res: sparseGridRes(RES) }).mesh;
  await writeMesh(join(out, `${name}-trained.obj`), trained);
  await writeMesh(join(out, `${name}-reconstructed.obj`), recon);
  const row: Row = { shape: name, floor30, trained30: cd(trained, mesh, 30_000), reconstructed30: cd(recon, mesh, 30_000), floor100, trained100: cd(trained, mesh, 100_000), reconstructed100: cd(recon, mesh, 100_000), reconSeconds };
  rows.push(row);
  console.log(`${name}: Chamfer×10³ @30k floor ${row.floor30.toFixed(3)} trained ${row.trained30.toFixed(3)} reconstructed ${row.reconstructed30.toFixed(3)} | @100k floor ${row.floor100.toFixed(3)} trained ${row.trained100.toFixed(3)} reconstructed ${row.reconstructed100.toFixed(3)} | reconstruct ${reconSeconds.toFixed(0)} s`);
}
const mean = (k: Exclude<keyof Row, "shape">) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
console.log(`mean Chamfer×10³ @30k: trained ${mean("trained30").toFixed(3)}, reconstructed ${mean("reconstructed30").toFixed(3)} (floor ${mean("floor30").toFixed(3)})`);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "multi-shape.json"), JSON.stringify({ date: new Date().toISOString(), epochs: EPOCHS, samples: SAMPLES, iterations: ITERS, res: RES, engine, trainSeconds, rows }, null, 2));
trainer.dispose();
decoder.dispose();
