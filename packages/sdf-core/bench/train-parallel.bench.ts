/**
 * Experiment: data-parallel decoder training on worker_threads (tfjs-wasm is one thread per
 * process/worker). Each of W workers holds the same decoder, receives the current weights, computes
 * the gradients of its 1/W share of the batch, and sends them back; the main thread averages them
 * and applies Adam. Compared, in the same run and interleaved, with one thread doing the whole
 * batch (same loss: mean |clamp(out) − t| + 1e-4 · mean(z²), codes by one-hot matMul).
 *   pnpm bench train-parallel   [PRESET] [BATCH] [WORKERS] [REPS]   (defaults: seed-v2 16384 2 3)
 */
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { DeepSdfDecoder, DECODER_PRESETS, selectBackend, type NetworkSpecs } from "../src/model/index.js";

const nShapes = 8;
const lossOf = (d: DeepSdfDecoder, codes: tf.Tensor2D, oneHot: tf.Tensor2D, xyz: tf.Tensor2D, target: tf.Tensor2D, training: boolean) => {
  const z = tf.matMul(oneHot, codes);
  const out = d.forward(tf.concat([z, xyz], 1) as tf.Tensor2D, { training }).out;
  return tf.add(tf.mean(tf.abs(tf.sub(tf.clipByValue(out, -0.1, 0.1), target))), tf.mul(1e-4, tf.mean(tf.square(z)))) as tf.Scalar;
};
const dataFor = (batch: number, L: number, seed: number) => ({
  xyz: tf.randomUniform([batch, 3], -1, 1, "float32", seed) as tf.Tensor2D,
  target: tf.randomUniform([batch, 1], -0.1, 0.1, "float32", seed + 1) as tf.Tensor2D,
  oneHot: tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % nShapes), "int32"), nShapes).toFloat() as tf.Tensor2D,
  L,
});

if (!isMainThread) {
  const { specs, batch, seed } = workerData as { specs: NetworkSpecs; batch: number; seed: number };
  await selectBackend({ prefer: "wasm", log: false });
  const d = DeepSdfDecoder.fromSpecs(specs, { seed: 0 });
  const codes = tf.variable(tf.zeros([nShapes, specs.latentSize]) as tf.Tensor2D);
  const data = dataFor(batch, specs.latentSize, seed);
  const vars = [...d.variables, codes];
  parentPort!.on("message", (weights: Float32Array[]) => {
    vars.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape)));
    const { grads, value } = tf.variableGrads(() => lossOf(d, codes, data.oneHot, data.xyz, data.target, specs.dropoutProb > 0), vars);
    const out = vars.map((v) => grads[v.name].dataSync() as Float32Array);
    tf.dispose([value, ...Object.values(grads)]);
    parentPort!.postMessage(out, out.map((a) => a.buffer));
  });
  parentPort!.postMessage("ready");
} else {
  const preset = (process.argv[2] ?? "seed-v2") as keyof typeof DECODER_PRESETS;
  const batch = Number(process.argv[3] ?? 16384);
  const W = Number(process.argv[4] ?? 2);
  const reps = Number(process.argv[5] ?? 3);
  const specs = DECODER_PRESETS[preset];
  await selectBackend({ prefer: "wasm", log: false });
  const d = DeepSdfDecoder.fromSpecs(specs, { seed: 0 });
  const codes = tf.variable(tf.randomNormal([nShapes, specs.latentSize], 0, 0.01, "float32", 1) as tf.Tensor2D);
  const vars = [...d.variables, codes];
  const data = dataFor(batch, specs.latentSize, 2);
  const opt1 = tf.train.adam(1e-4);
  const single = () => opt1.minimize(() => lossOf(d, codes, data.oneHot, data.xyz, data.target, specs.dropoutProb > 0), false, vars);

  const self = fileURLToPath(import.meta.url);
  const workers = Array.from({ length: W }, (_, w) => new Worker(`import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(self).href)}); });`, { eval: true, workerData: { specs, batch: batch / W, seed: 10 + 2 * w } }));
  await Promise.all(workers.map((w) => new Promise((r) => w.once("message", r))));
  const optP = tf.train.adam(1e-4);
  const parallel = async () => {
    const weights = vars.map((v) => v.dataSync() as Float32Array);
    const parts = await Promise.all(workers.map((w) => new Promise<Float32Array[]>((r) => { w.once("message", r); w.postMessage(weights); })));
    const avg = vars.map((_, i) => {
      const a = new Float32Array(parts[0][i].length);
      for (const p of parts) for (let k = 0; k < a.length; k++) a[k] += p[i][k] / W;
      return a;
    });
    const named = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(avg[i], v.shape)]));
    optP.applyGradients(named);
    tf.dispose(Object.values(named));
  };
  single();
  await parallel();
  const time = async (f: () => unknown) => {
    const t0 = performance.now();
    await f();
    return batch / ((performance.now() - t0) / 1000);
  };
  const one: number[] = [], par: number[] = [];
  for (let r = 0; r < reps; r++) {
    one.push(await time(single));
    par.push(await time(parallel));
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(`${preset} batch ${batch}: one thread ${Math.round(med(one))} samples/s, ${W} workers ${Math.round(med(par))} samples/s (${(med(par) / med(one)).toFixed(2)}×) [one: ${one.map(Math.round)}; workers: ${par.map(Math.round)}]`);
  await Promise.all(workers.map((w) => w.terminate()));
}
