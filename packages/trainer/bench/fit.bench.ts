/**
 * Single-shape fit fidelity and time, sdfkit (tfjs, wasm) against PyTorch (Debian python3-torch, 2
 * threads) in the same run: the same network, the same sample pool (250 k samples, written once), the
 * same batch (half sdf ≥ 0, half < 0), Adam at the same rates, clamped L1, global-norm clipping, the
 * same step count. Both decoders are then meshed and measured by the same sdfkit code (sparse grid at
 * RES³, Chamfer of 30 k surface points, DeepSDF definition, unit-sphere normalised ×10³).
 *   node --conditions=source --import tsx packages/trainer/bench/fit.bench.ts [PRESET=seed-v1] [STEPS=500] [SAMPLES=8192] [RES=129] [MESHES=fandisk,rocker-arm,railing8]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chamferDistance, createRng, normalizeMesh, type Rng, type SampleSource } from "../../sdf-core/src/index.js";
import { readMesh } from "../../sdf-core/src/node/index.js";
import { DECODER_PRESETS, DeepSdfDecoder, selectBackend } from "../../sdf-core/src/model/index.js";
import { sampleBands } from "../../sampling/src/index.js";
import { CurriculumTrainer, decoderSpecsFrom, extractMesh, validateSpecs } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const data = process.env.SDFKIT_SHARED_DATA ?? resolve(root, "..", "shared", "data");
const PRESET = (process.argv[2] ?? "seed-v1") as keyof typeof DECODER_PRESETS;
const STEPS = Number(process.argv[3] ?? 500);
const SAMPLES = Number(process.argv[4] ?? 8192);
const RES = Number(process.argv[5] ?? 129);
const MESHES = (process.argv[6] ?? "fandisk,rocker-arm,railing8").split(",");
const LR_DEC = 5e-4, LR_CODE = 1e-3, CLAMP = 0.1;
const p = DECODER_PRESETS[PRESET];
const backend = await selectBackend({ log: false });
const tmp = mkdtempSync(join(tmpdir(), "sdfkit-fit-bench-"));
console.log(`${PRESET} (${p.dims.length}×${p.dims[0]}, latent ${p.latentSize}, PE ${p.peFrequencies}), ${STEPS} steps × ${SAMPLES} samples, tfjs ${backend} vs PyTorch (2 threads); ${cpus().length} CPUs`);

const rows = [];
for (const name of MESHES) {
  const file = name === "railing8" ? join(data, "generated", "railing8.obj") : join(data, "obj", `${name}.obj`);
  const { mesh } = normalizeMesh(await readMesh(file));
  const pool = sampleBands(mesh, 250_000, { rng: createRng(0), mix: "seed-v2", normalize: false }).samples;
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "points.f32"), new Uint8Array(pool.points.buffer));
  writeFileSync(join(dir, "sdf.f32"), new Uint8Array(pool.sdf.buffer));
  // sdfkit
  const source: SampleSource = {
    sample: (_s: string, count: number, _mix: string, rng: Rng) => {
      const points = new Float32Array(3 * count), sdf = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        const j = rng.int(pool.sdf.length);
        points.set(pool.points.subarray(3 * j, 3 * j + 3), 3 * i);
        sdf[i] = pool.sdf[j];
      }
      return { points, sdf };
    },
  };
  const specs = validateSpecs({
    NetworkSpecs: { Preset: PRESET, dims: p.dims, latent_in: p.latentIn, dropout_prob: 0, weight_norm: false },
    CodeLength: p.latentSize,
    NumEpochs: STEPS,
    LearningRateSchedule: [{ Type: "Constant", Value: LR_DEC }, { Type: "Constant", Value: LR_CODE }],
    SamplesPerScene: SAMPLES,
    ScenesPerBatch: 1,
    ClampingDistance: CLAMP,
    CodeRegularization: false,
    CodeBound: null,
    Seed: 0,
  });
  const decoder = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(specs), { seed: 0 });
  const trainer = new CurriculumTrainer(decoder, [name], source, specs);
  let t0 = performance.now();
  const logs = await trainer.train();
  const oursS = (performance.now() - t0) / 1000;
  const oursMesh = extractMesh(decoder, trainer.latent(0), { res: RES }).mesh;
  const oursCd = oursMesh.indices.length ? chamferDistance(oursMesh, mesh).chamfer : Infinity;
  // PyTorch
  const out = join(dir, "torch.json");
  t0 = performance.now();
  const r = spawnSync("/usr/bin/python3", [join(here, "fit_torch.py"), dir, out, String(STEPS), String(SAMPLES), String(p.latentSize), p.dims.join(","), p.latentIn.join(","), String(p.peFrequencies), String(LR_DEC), String(LR_CODE), String(CLAMP), "0"], { encoding: "utf8", env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE" } });
  if (r.status !== 0) throw new Error(`fit_torch.py failed: ${r.stderr}`);
  const torch = JSON.parse(readFileSync(out, "utf8"));
  const td = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(specs), { seed: 1 });
  td.setWeights(torch.weights);
  const torchMesh = extractMesh(td, Float32Array.from(torch.latent), { res: RES }).mesh;
  const torchCd = torchMesh.indices.length ? chamferDistance(torchMesh, mesh).chamfer : Infinity;
  const row = { mesh: name, steps: STEPS, oursSeconds: oursS, torchSeconds: torch.seconds, timeRatio: oursS / torch.seconds, oursChamferX1000: oursCd * 1e3, torchChamferX1000: torchCd * 1e3, oursLoss: logs[logs.length - 1].loss, torchLoss: torch.loss };
  rows.push(row);
  console.log(`${name}: sdfkit ${oursS.toFixed(1)} s, Chamfer×10³ ${(oursCd * 1e3).toFixed(3)} (loss ${row.oursLoss.toExponential(2)}) | PyTorch ${torch.seconds.toFixed(1)} s, Chamfer×10³ ${(torchCd * 1e3).toFixed(3)} (loss ${torch.loss.toExponential(2)}) | time ratio (ours / torch) ${(oursS / torch.seconds).toFixed(2)} (goal ≤ 1.0)`);
  trainer.dispose();
  decoder.dispose();
  td.dispose();
}
rmSync(tmp, { recursive: true, force: true });
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", `fit-${PRESET}.json`), JSON.stringify({ date: new Date().toISOString(), preset: PRESET, steps: STEPS, samples: SAMPLES, res: RES, backend, rows }, null, 2));
