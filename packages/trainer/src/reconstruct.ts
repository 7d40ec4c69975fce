import * as tf from "@tensorflow/tfjs";
import { InvalidArgumentError, type Rng, type SdfSamples } from "@sdfkit/sdf-core";
import type { DeepSdfDecoder } from "@sdfkit/sdf-core/model";
import { resolveStepEngine, type StepEngineName } from "./internal/step-engine.js";

/** Options of {@link reconstruct} (DeepSDF's reconstruct.py protocol by default). */
export interface ReconstructOptions {
  rng: Rng;
  /** @defaultValue 800 */
  iterations: number;
  /** Adam learning rate. @defaultValue 5e-3 */
  learningRate: number;
  /** The learning rate is divided by 10 at this iteration. @defaultValue 400 */
  decayAt: number;
  /** Samples per iteration, half with sdf ≥ 0 and half < 0 when both exist. @defaultValue 8000 */
  samplesPerIteration: number;
  /** Standard deviation of the initial latent. @defaultValue 0.01 */
  initStd: number;
  /** Weight of mean(z²). @defaultValue 1e-4 */
  l2: number;
  /** Clamp of predictions and targets. @defaultValue 0.1 */
  clamp: number;
  /** What computes each iteration's gradient: `onnx` (onnxruntime-node, the latent-only training graph), `tfjs`, or `auto` (onnx when it loads; SDFKIT_TRAIN_ENGINE overrides). @defaultValue "auto" */
  engine: StepEngineName;
  /** onnxruntime intra-op threads; 0 = all cores. @defaultValue 0 */
  threads: number;
  signal?: AbortSignal;
  onIteration?: (e: { iteration: number; loss: number }) => void;
}
export const DEFAULT_RECONSTRUCT: Omit<ReconstructOptions, "rng"> = { iterations: 800, learningRate: 5e-3, decayAt: 400, samplesPerIteration: 8000, initStd: 0.01, l2: 1e-4, clamp: 0.1, engine: "auto", threads: 0 };

/** The reconstructed latent and the loss curve. */
export interface Reconstruction {
  latent: Float32Array;
  /** Loss per iteration. */
  losses: Float32Array;
  seconds: number;
}

/**
 * Latent-only optimisation for an unseen shape (auto-decoder inference): the decoder stays fixed, a
 * code initialised N(0, initStd²) is fitted to the shape's SDF samples with Adam on the clamped L1 loss
 * plus `l2`·mean(z²). Seeded: the same rng state gives the same latent (on the same engine).
 */
export const reconstruct = async (decoder: DeepSdfDecoder, samples: SdfSamples, opts: Partial<ReconstructOptions> & { rng: Rng }): Promise<Reconstruction> => {
  const o = { ...DEFAULT_RECONSTRUCT, ...opts };
  const fn = "reconstruct";
  if (!o.rng || typeof o.rng.next !== "function") throw new InvalidArgumentError(fn, "opts.rng", "an Rng (createRng(seed))", o.rng);
  const n = samples?.sdf?.length ?? 0;
  if (!(samples?.points instanceof Float32Array) || !(samples.sdf instanceof Float32Array) || samples.points.length !== 3 * n || n === 0)
    throw new InvalidArgumentError(fn, "samples", "SdfSamples with points (3N) and sdf (N), N ≥ 1", samples);
  for (const k of ["iterations", "samplesPerIteration"] as const) if (!Number.isInteger(o[k]) || o[k] < 1) throw new InvalidArgumentError(fn, `opts.${k}`, "an integer >= 1", o[k]);
  for (const k of ["learningRate", "clamp"] as const) if (!(o[k] > 0)) throw new InvalidArgumentError(fn, `opts.${k}`, "a number > 0", o[k]);
  const L = decoder.specs.latentSize;
  const engine = await resolveStepEngine(fn, decoder.specs, o.engine, { threads: o.threads, codesOnly: true });
  const params = engine ? decoder.getWeights() : [];
  const pos: number[] = [], neg: number[] = [];
  for (let i = 0; i < n; i++) (samples.sdf[i] >= 0 ? pos : neg).push(i);
  const z = new Float32Array(L);
  for (let k = 0; k < L; k++) z[k] = o.initStd * o.rng.normal();
  const m = new Float64Array(L), v = new Float64Array(L);
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const losses = new Float32Array(o.iterations);
  const t0 = performance.now();
  const per = o.samplesPerIteration;
  const xyz = new Float32Array(3 * per), sdf = new Float32Array(per);
  const rows = new Int32Array(per); // every sample reads code row 0
  // loss and gradient of the clamped L1 + l2·mean(z²) w.r.t. z, on the onnx graph or in TensorFlow.js
  const lossAndGrad = async (): Promise<readonly [number, Float32Array]> => {
    if (engine) {
      const r = await engine.step(params, { xyz, sdf, shape: rows, codes: z }, { clamp: o.clamp, codeL2: o.l2 });
      return [r.loss, r.codeGrads];
    }
    return tf.tidy(() => {
      const zv = tf.tensor2d(z, [1, L]);
      const pts = tf.tensor2d(xyz, [per, 3]);
      const gt = tf.clipByValue(tf.tensor2d(sdf, [per, 1]), -o.clamp, o.clamp);
      const ones = tf.ones([per, 1]);
      const f = (zz: tf.Tensor) => {
        // ones · z rather than tile(z): tfjs's tile gradient is one slice + add per repeated row
        const input = tf.concat([tf.matMul(ones, zz as tf.Tensor2D), pts], 1) as tf.Tensor2D;
        const pred = tf.clipByValue(decoder.forward(input).out, -o.clamp, o.clamp);
        return tf.add(tf.mean(tf.abs(tf.sub(pred, gt))), tf.mul(o.l2, tf.mean(tf.square(zz)))) as tf.Scalar;
      };
      const { value, grad: g } = tf.valueAndGrad(f)(zv);
      return [value.dataSync()[0], g.dataSync() as Float32Array] as const;
    });
  };
  let it = 0;
  try {
    for (; it < o.iterations; it++) {
      if (o.signal?.aborted) break;
      for (let k = 0; k < per; k++) {
        const from = pos.length && neg.length ? (k < per / 2 ? pos : neg) : pos.length ? pos : neg;
        const j = from[o.rng.int(from.length)];
        xyz[3 * k] = samples.points[3 * j];
        xyz[3 * k + 1] = samples.points[3 * j + 1];
        xyz[3 * k + 2] = samples.points[3 * j + 2];
        sdf[k] = samples.sdf[j];
      }
      const lr = it < o.decayAt ? o.learningRate : o.learningRate / 10;
      const [loss, grad] = await lossAndGrad();
      losses[it] = loss;
      // Adam on the latent (plain arithmetic: one small vector)
      const t = it + 1;
      for (let k = 0; k < L; k++) {
        m[k] = b1 * m[k] + (1 - b1) * grad[k];
        v[k] = b2 * v[k] + (1 - b2) * grad[k] * grad[k];
        const mh = m[k] / (1 - b1 ** t), vh = v[k] / (1 - b2 ** t);
        z[k] -= (lr * mh) / (Math.sqrt(vh) + eps);
      }
      o.onIteration?.({ iteration: it, loss });
    }
  } finally {
    await engine?.dispose();
  }
  return { latent: z, losses: losses.slice(0, it), seconds: (performance.now() - t0) / 1000 };
};
