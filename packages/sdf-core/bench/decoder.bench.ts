/**
 * Decoder speed on this CPU: samples/s of one full training step (forward, backward, Adam on the
 * decoder and the latent codes) and inference points/s, tfjs (wasm backend, one thread) and the onnx
 * training step (`createTrainStepEngine`: forward + backward graph on onnxruntime-node, 2 threads, then
 * Adam over the parameter arrays) against the same network in PyTorch (Debian python3-torch, 2
 * threads, OMP_WAIT_POLICY=PASSIVE) in the same run.
 *   pnpm bench decoder   [PRESET] [BATCH]   (defaults: seed-v2 16384)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { createTrainStepEngine, DeepSdfDecoder, DECODER_PRESETS, loadOnnxRuntime, selectBackend, type NetworkSpecs } from "../src/model/index.js";

const preset = (process.argv[2] ?? "seed-v2") as keyof typeof DECODER_PRESETS;
const batch = Number(process.argv[3] ?? 16384);
const inferN = 262144;
const specs: NetworkSpecs = DECODER_PRESETS[preset];
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");

await selectBackend({ prefer: "wasm" });
const d = DeepSdfDecoder.fromSpecs(specs, { seed: 0 });
const L = specs.latentSize;
const nShapes = 8;
const codes = tf.variable(tf.randomNormal([nShapes, L], 0, 0.01, "float32", 1));
const xyz = tf.randomUniform([batch, 3], -1, 1, "float32", 2);
const target = tf.randomUniform([batch, 1], -0.1, 0.1, "float32", 3);
const oneHot = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % nShapes), "int32"), nShapes).toFloat(); // gather-free code lookup
const opt = tf.train.adam(1e-4);
const step = () =>
  opt.minimize(() => {
    const z = tf.matMul(oneHot, codes);
    const out = d.forward(tf.concat([z, xyz], 1) as tf.Tensor2D, { training: specs.dropoutProb > 0 }).out;
    return tf.add(tf.mean(tf.abs(tf.sub(tf.clipByValue(out, -0.1, 0.1), target))), tf.mul(1e-4, tf.mean(tf.square(z)))) as tf.Scalar;
  }, false, [...d.variables, codes]);
for (let i = 0; i < 2; i++) step();
const reps = 5;
let t0 = performance.now();
for (let i = 0; i < reps; i++) step();
await tf.ready();
const trainTfjs = (batch * reps) / ((performance.now() - t0) / 1000);
// onnx: the compiled forward + backward step, then Adam (β 0.9/0.999) over the plain parameter arrays
let trainOnnx = NaN;
if (await loadOnnxRuntime()) {
  const engine = await createTrainStepEngine(specs, { threads: 2 });
  const params = d.getWeights().map((w) => Float32Array.from(w));
  const codeArr = Float32Array.from(codes.dataSync());
  const all = [...params, codeArr];
  const m = all.map((a) => new Float32Array(a.length)), v = all.map((a) => new Float32Array(a.length));
  const xyzA = xyz.dataSync() as Float32Array, tA = target.dataSync() as Float32Array;
  const shapeA = Int32Array.from({ length: batch }, (_, i) => i % nShapes);
  let t = 0;
  const onnxStep = async () => {
    const r = await engine.step(params, { xyz: xyzA, sdf: tA, shape: shapeA, codes: codeArr }, { clamp: 0.1, codeRegularization: 1e-4 });
    const grads = [...r.grads, r.codeGrads];
    t++;
    const c1 = 1 - 0.9 ** t, c2 = 1 - 0.999 ** t, lr = 1e-4;
    all.forEach((p, i) => {
      const g = grads[i], mi = m[i], vi = v[i];
      for (let k = 0; k < p.length; k++) {
        mi[k] = 0.9 * mi[k] + 0.1 * g[k];
        vi[k] = 0.999 * vi[k] + 0.001 * g[k] * g[k];
        p[k] -= (lr * mi[k]) / c1 / (Math.sqrt(vi[k] / c2) + 1e-8);
      }
    });
  };
  for (let i = 0; i < 2; i++) await onnxStep();
  t0 = performance.now();
  for (let i = 0; i < reps; i++) await onnxStep();
  trainOnnx = (batch * reps) / ((performance.now() - t0) / 1000);
  await engine.dispose();
}
const sdf = d.toSdf(new Float32Array(L).fill(0.01), { batchSize: 16384 });
const pts = new Float32Array(3 * inferN).map((_, i) => Math.sin(i * 12.9898) * 0.9);
sdf(pts.subarray(0, 3 * 16384));
t0 = performance.now();
sdf(pts);
const inferTfjs = inferN / ((performance.now() - t0) / 1000);

const py = `
import sys, time, torch, torch.nn as nn
torch.set_num_threads(2)
sys.path.insert(0, ${JSON.stringify(join(here, "..", "scripts"))})
from torch_decoder import Decoder
L, dims, lin, F, wn, p = ${L}, ${JSON.stringify(specs.dims)}, ${JSON.stringify(specs.latentIn)}, ${specs.peFrequencies}, ${specs.weightNorm ? "True" : "False"}, ${specs.dropoutProb}
m = Decoder(L, dims, lin, wn, F, p); codes = nn.Embedding(8, L); opt = torch.optim.Adam(list(m.parameters()) + list(codes.parameters()), 1e-4)
B = ${batch}; idx = torch.arange(B) % 8; xyz = torch.rand(B, 3) * 2 - 1; t = torch.rand(B, 1) * 0.2 - 0.1
def step():
    opt.zero_grad(); z = codes(idx); o = m(torch.cat([z, xyz], 1))
    loss = torch.mean(torch.abs(torch.clamp(o, -0.1, 0.1) - t)) + 1e-4 * torch.mean(z * z); loss.backward(); opt.step()
for _ in range(2): step()
t0 = time.perf_counter()
for _ in range(${reps}): step()
train = B * ${reps} / (time.perf_counter() - t0)
m.eval(); x = torch.cat([torch.full((${inferN}, L), 0.01), torch.rand(${inferN}, 3) * 1.8 - 0.9], 1)
with torch.no_grad():
    m(x[:16384]); t0 = time.perf_counter(); m(x); infer = ${inferN} / (time.perf_counter() - t0)
print(train, infer)
`;
const dir = mkdtempSync(join(tmpdir(), "sdfkit-decoder-bench-"));
writeFileSync(join(dir, "ref.py"), py);
const r = spawnSync("/usr/bin/python3", [join(dir, "ref.py")], { encoding: "utf8", env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE", OMP_NUM_THREADS: "2" } });
if (r.status !== 0) throw new Error(`PyTorch reference failed: ${r.stderr}`);
const [trainTorch, inferTorch] = r.stdout.trim().split(/\s+/).map(Number);
const row = { preset, params: d.parameterCount, batch, trainTfjs, trainOnnx, trainTorch, trainRatio: trainTfjs / trainTorch, trainOnnxRatio: trainOnnx / trainTorch, inferN, inferTfjs, inferTorch, inferRatio: inferTfjs / inferTorch };
console.log(`${preset} (${row.params} params), batch ${batch}: train tfjs-wasm ${Math.round(trainTfjs)} samples/s (${row.trainRatio.toFixed(2)}×), onnx ${Math.round(trainOnnx)} (${row.trainOnnxRatio.toFixed(2)}×) vs PyTorch ${Math.round(trainTorch)}; inference ${Math.round(inferTfjs)} vs ${Math.round(inferTorch)} points/s = ${row.inferRatio.toFixed(2)}×`);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", `decoder-${preset}.json`), JSON.stringify({ date: new Date().toISOString(), ...row }, null, 2));
