/**
 * Single-shape fit fidelity and time-to-target, sdfkit (the trainer's step engine: onnxruntime-node
 * when installed, else tfjs) against PyTorch (Debian python3-torch, 2 threads) in the same run: the
 * same network, the same sample pool (250 k samples, written once), the same batch (half sdf ≥ 0, half
 * < 0), Adam at the same rates, clamped L1, global-norm clipping, the same step count. Both sides keep
 * a snapshot every EVAL steps with the training time so far; afterwards every snapshot is meshed and
 * measured by the same sdfkit code (sparse grid at RES³; Chamfer ×10³, DeepSDF definition, unit
 * sphere, at 30 k points and at 100 k points — the 30 k figure cannot fall below the sampling floor,
 * the same mesh sampled twice, ≈0.07–0.11 here). Time-to-target = training seconds of the first
 * snapshot whose 100 k-point Chamfer is ≤ TARGET. With FAST=1 a third run trains the same network with
 * sdfkit's shipped preset (`fastCurriculum(STEPS)`: COARSE → BALANCED → DENSE → MANUFACTURING mixes from
 * `MeshSampleSource`, 1e-3 → 1e-4) and reports its curve beside the constant-rate one.
 *   node --conditions=source --import tsx packages/trainer/bench/fit.bench.ts [PRESET=seed-v2] [STEPS=1000] [SAMPLES=4096] [RES=129] [MESHES=fandisk,rocker-arm,railing8] [EVAL=200] [TARGET=0.05]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chamferDistance, createRng, normalizeMesh, type Rng, type SampleSource } from "../../sdf-core/src/index.js";
import { readMesh } from "../../sdf-core/src/node/index.js";
import { DECODER_PRESETS, DeepSdfDecoder, selectBackend } from "../../sdf-core/src/model/index.js";
import { MeshSampleSource, sampleBands } from "../../sampling/src/index.js";
import { CurriculumTrainer, decoderSpecsFrom, extractMeshAsync, fastCurriculum, validateSpecs } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const data = process.env.SDFKIT_SHARED_DATA ?? resolve(root, "..", "shared", "data");
const PRESET = (process.argv[2] ?? "seed-v2") as keyof typeof DECODER_PRESETS;
const STEPS = Number(process.argv[3] ?? 1000);
const SAMPLES = Number(process.argv[4] ?? 4096);
const RES = Number(process.argv[5] ?? 129);
const MESHES = (process.argv[6] ?? "fandisk,rocker-arm,railing8").split(",");
const EVAL = Number(process.argv[7] ?? 200);
const TARGET = Number(process.argv[8] ?? 0.05);
const LR_DEC = 5e-4, LR_CODE = 1e-3, CLAMP = 0.1;
const p = DECODER_PRESETS[PRESET];
const backend = await selectBackend({ log: false });
const tmp = mkdtempSync(join(tmpdir(), "sdfkit-fit-bench-"));
console.log(`${PRESET} (${p.dims.length}×${p.dims[0]}, latent ${p.latentSize}, PE ${p.peFrequencies}), ${STEPS} steps × ${SAMPLES} samples, snapshot every ${EVAL}, target Chamfer×10³ ≤ ${TARGET} at 100 k points, vs PyTorch (2 threads); ${cpus().length} CPUs`);

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
  const base = {
    NetworkSpecs: { Preset: PRESET, dims: p.dims, latent_in: p.latentIn, dropout_prob: 0, weight_norm: false },
    CodeLength: p.latentSize,
    SamplesPerScene: SAMPLES,
    ScenesPerBatch: 1,
    ClampingDistance: CLAMP,
    CodeRegularization: false,
    CodeBound: null,
    Seed: 0,
  };
  const specs = validateSpecs({ ...base, NumEpochs: STEPS, LearningRateSchedule: [{ Type: "Constant", Value: LR_DEC }, { Type: "Constant", Value: LR_CODE }] });
  type Snap = { step: number; seconds: number; weights: Float32Array[]; latent: Float32Array };
  /** Train with snapshots every EVAL steps; returns them with the training seconds so far. */
  const run = async (s: typeof specs, src: SampleSource) => {
    const decoder = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(s), { seed: 0 });
    const trainer = new CurriculumTrainer(decoder, [name], src, s);
    const snaps: Snap[] = [];
    let seconds = 0;
    for (let step = Math.min(EVAL, STEPS); ; step = Math.min(step + EVAL, STEPS)) {
      const t0 = performance.now();
      await trainer.train(step);
      seconds += (performance.now() - t0) / 1000;
      snaps.push({ step, seconds, weights: decoder.getWeights(), latent: trainer.latent(0) });
      if (step === STEPS) break;
    }
    const engine = await trainer.engine();
    trainer.dispose();
    decoder.dispose();
    return { snaps, seconds, engine };
  };
  const constant = await run(specs, source);
  const ours = constant.snaps, oursS = constant.seconds, engine = constant.engine;
  const fast = process.env.FAST === "1" ? await run(validateSpecs({ ...base, Curriculum: fastCurriculum(STEPS) }), new MeshSampleSource({ [name]: mesh }, { normalize: false, poolSize: 250_000, poolSeed: 0 })) : null;
  // PyTorch
  const out = join(dir, "torch.json");
  const r = spawnSync("/usr/bin/python3", [join(here, "fit_torch.py"), dir, out, String(STEPS), String(SAMPLES), String(p.latentSize), p.dims.join(","), p.latentIn.join(","), String(p.peFrequencies), String(LR_DEC), String(LR_CODE), String(CLAMP), "0", String(EVAL)], { encoding: "utf8", env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE" } });
  if (r.status !== 0) throw new Error(`fit_torch.py failed: ${r.stderr}`);
  const torch = JSON.parse(readFileSync(out, "utf8")) as { seconds: number; loss: number; snapshots: { step: number; seconds: number; file: string }[] };
  // both sides' snapshots meshed and measured by the same code
  const td = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(specs), { seed: 1 });
  const sizes = ours[0].weights.map((w) => w.length);
  const measure = async (d: DeepSdfDecoder, latent: Float32Array) => {
    const m = (await extractMeshAsync(d, latent, { res: RES })).mesh;
    if (!m.indices.length) return { cd30: Infinity, cd100: Infinity };
    return { cd30: chamferDistance(m, mesh, { samples: 30_000 }).chamfer * 1e3, cd100: chamferDistance(m, mesh, { samples: 100_000 }).chamfer * 1e3 };
  };
  const curve = { ours: [] as { step: number; seconds: number; cd30: number; cd100: number }[], torch: [] as { step: number; seconds: number; cd30: number; cd100: number }[] };
  const measured = async (snaps: Snap[]) => {
    const c: typeof curve.ours = [];
    for (const s of snaps) {
      td.setWeights(s.weights);
      c.push({ step: s.step, seconds: s.seconds, ...(await measure(td, s.latent)) });
    }
    return c;
  };
  curve.ours = await measured(ours);
  const fastCurve = fast ? await measured(fast.snaps) : null;
  for (const s of torch.snapshots) {
    const flat = new Float32Array(readFileSync(s.file).buffer.slice(0));
    let off = 0;
    td.setWeights(sizes.map((n) => flat.subarray(off, (off += n))));
    curve.torch.push({ step: s.step, seconds: s.seconds, ...(await measure(td, flat.subarray(off, off + p.latentSize))) });
  }
  const floor = { cd30: chamferDistance(mesh, mesh, { samples: 30_000 }).chamfer * 1e3, cd100: chamferDistance(mesh, mesh, { samples: 100_000 }).chamfer * 1e3 };
  const hit = (c: typeof curve.ours) => c.find((x) => x.cd100 <= TARGET) ?? null;
  const [ho, ht] = [hit(curve.ours), hit(curve.torch)];
  const lo = curve.ours[curve.ours.length - 1], lt = curve.torch[curve.torch.length - 1];
  const row = { mesh: name, engine, steps: STEPS, oursSeconds: oursS, torchSeconds: torch.seconds, timeRatio: oursS / torch.seconds, floor, oursFinal: lo, torchFinal: lt, oursToTarget: ho, torchToTarget: ht, timeToTargetRatio: ho && ht ? ho.seconds / ht.seconds : null, curve, fastCurriculum: fastCurve ? { curve: fastCurve, toTarget: hit(fastCurve) } : null };
  rows.push(row);
  const f = (x: { cd30: number; cd100: number }) => `${x.cd30.toFixed(3)} / ${x.cd100.toFixed(3)}`;
  console.log(`${name} (${engine}): ${STEPS} steps sdfkit ${oursS.toFixed(1)} s vs PyTorch ${torch.seconds.toFixed(1)} s (ratio ${row.timeRatio.toFixed(2)}); Chamfer×10³ @30k / @100k: sdfkit ${f(lo)}, PyTorch ${f(lt)}, floor ${f(floor)}; to ≤ ${TARGET} @100k: sdfkit ${ho ? `${ho.seconds.toFixed(1)} s (step ${ho.step})` : "not reached"}, PyTorch ${ht ? `${ht.seconds.toFixed(1)} s (step ${ht.step})` : "not reached"}${row.timeToTargetRatio !== null ? `, ratio ${row.timeToTargetRatio.toFixed(2)} (goal ≤ 1.0)` : ""}`);
  console.log(`  curve (step: sdfkit s cd100 | torch s cd100): ${curve.ours.map((c, i) => `${c.step}: ${c.seconds.toFixed(0)} ${c.cd100.toFixed(3)} | ${curve.torch[i]?.seconds.toFixed(0)} ${curve.torch[i]?.cd100.toFixed(3)}`).join("; ")}`);
  if (fastCurve) console.log(`  fastCurriculum (step: s cd30 cd100): ${fastCurve.map((c) => `${c.step}: ${c.seconds.toFixed(0)} ${c.cd30.toFixed(3)} ${c.cd100.toFixed(3)}`).join("; ")}`);
  td.dispose();
}
rmSync(tmp, { recursive: true, force: true });
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", `fit-${PRESET}.json`), JSON.stringify({ date: new Date().toISOString(), preset: PRESET, steps: STEPS, samples: SAMPLES, res: RES, eval: EVAL, target: TARGET, backend, rows }, null, 2));
