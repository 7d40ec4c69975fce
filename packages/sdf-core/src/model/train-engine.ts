import { InvalidArgumentError, UnsupportedError } from "../errors.js";
import { layerShapes, validateNetworkSpecs, type NetworkSpecs } from "./api.js";
import { foldDecoderWeights } from "./onnx-graph.js";
import { buildDecoderTrainOnnx } from "./onnx-train-graph.js";
import { loadOnnxRuntime } from "./inference-engine.js";

/** One batch of a training step: samples, their shape rows and the current code table. */
export interface TrainStepBatch {
  /** Sample points, xyz triples (N × 3). */
  xyz: Float32Array;
  /** Target SDF per sample (N); clamped to ±`clamp` by the engine. */
  sdf: Float32Array;
  /** Row of `codes` per sample (N). */
  shape: Int32Array;
  /** The latent code table, S × latentSize. */
  codes: Float32Array;
}

/** The loss of a training step (the trainer's: clamped L1 with Curriculum-DeepSDF terms + code regularisation). */
export interface TrainStepLoss {
  /** Clamp δ of predictions and targets. */
  clamp: number;
  /** Curriculum-DeepSDF tolerance ε. @defaultValue 0 */
  tolerance: number;
  /** Curriculum-DeepSDF hard-sample weight λ. @defaultValue 0 */
  hardSampleWeight: number;
  /** Scale of mean ‖z‖ added to the loss (DeepSDF's code regularisation). @defaultValue 0 */
  codeRegularization: number;
  /** Scale of mean(z²) added to the loss (DeepSDF's reconstruction prior). @defaultValue 0 */
  codeL2: number;
  /** Seed of this step's dropout masks (decoders with dropout). @defaultValue 0 */
  dropoutSeed: number;
}

/** Defaults of {@link TrainStepLoss}. */
export const DEFAULT_TRAIN_STEP_LOSS: TrainStepLoss = { clamp: 0.1, tolerance: 0, hardSampleWeight: 0, codeRegularization: 0, codeL2: 0, dropoutSeed: 0 };

/** Loss value and gradients of one step. */
export interface TrainStepResult {
  loss: number;
  l1: number;
  /** Gradients of the decoder's parameters, in `DeepSdfDecoder.variables` order (empty with `codesOnly`). */
  grads: Float32Array[];
  /** Gradient of the code table (S × latentSize; zero rows for shapes not in the batch). */
  codeGrads: Float32Array;
}

/** A compiled training step (forward + backward) on a native engine. */
export interface TrainStepEngine {
  readonly kind: "onnx";
  /** Loss and gradients at parameters `params` (in `DeepSdfDecoder.getWeights()` order). */
  step(params: Float32Array[], batch: TrainStepBatch, loss?: Partial<TrainStepLoss>): Promise<TrainStepResult>;
  /** Release the session. */
  dispose(): Promise<void>;
}

/** Options of {@link createTrainStepEngine}. */
export interface TrainStepEngineOptions {
  /** onnxruntime intra-op threads; 0 = onnxruntime's default (all cores). @defaultValue 0 */
  threads: number;
  /** Only the code gradients (the decoder stays fixed: latent reconstruction); skips a third of the work. @defaultValue false */
  codesOnly: boolean;
}

/** Defaults of {@link TrainStepEngineOptions}. */
export const DEFAULT_TRAIN_STEP_ENGINE: TrainStepEngineOptions = { threads: 0, codesOnly: false };

const __LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * @internal Keep-masks of dropout (1 = keep, probability 1 − p quantised to 1/65536): two xorshift32
 * streams seeded per step and layer, 16 bits per mask byte, written four bytes at a time.
 */
export const __dropoutMask = (count: number, p: number, seed: number, layer: number): Uint8Array => {
  const m = new Uint8Array((count + 3) & ~3);
  const w = new Uint32Array(m.buffer, 0, m.length >> 2);
  let x = (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(layer + 1, 0x85ebca6b)) >>> 0 || 0x6d2b79f5;
  let y = (x ^ 0x5bd1e995) >>> 0 || 1;
  const thr = Math.floor(p * 65536);
  const little = __LITTLE_ENDIAN;
  for (let i = 0; i < w.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    y ^= y << 13;
    y ^= y >>> 17;
    y ^= y << 5;
    const b0 = (x & 0xffff) >= thr ? 1 : 0, b1 = x >>> 16 >= thr ? 1 : 0, b2 = (y & 0xffff) >= thr ? 1 : 0, b3 = y >>> 16 >= thr ? 1 : 0;
    w[i] = little ? b0 | (b1 << 8) | (b2 << 16) | (b3 << 24) : b3 | (b2 << 8) | (b1 << 16) | (b0 << 24);
  }
  return m.subarray(0, count);
};

/**
 * @internal Chain rule through weight normalisation w = g · v / ‖v‖ (per output column): from dL/dw
 * to dL/dv and dL/dg.
 */
export const __weightNormGrads = (v: Float32Array, gain: Float32Array, dW: Float32Array, inDim: number, outDim: number): { dv: Float32Array; dg: Float32Array } => {
  const dv = new Float32Array(inDim * outDim), dg = new Float32Array(outDim);
  const norm = new Float64Array(outDim), dot = new Float64Array(outDim);
  for (let i = 0; i < inDim; i++)
    for (let o = 0, r = i * outDim; o < outDim; o++) {
      norm[o] += v[r + o] * v[r + o];
      dot[o] += dW[r + o] * v[r + o];
    }
  for (let o = 0; o < outDim; o++) {
    norm[o] = Math.sqrt(norm[o]);
    dg[o] = dot[o] / norm[o];
  }
  for (let i = 0; i < inDim; i++)
    for (let o = 0, r = i * outDim; o < outDim; o++) {
      const s = gain[o] / norm[o];
      dv[r + o] = s * (dW[r + o] - (v[r + o] * dg[o]) / norm[o]);
    }
  return { dv, dg };
};

/**
 * A training step compiled for onnxruntime-node (optional peer dependency): the decoder's forward
 * AND backward pass as one ONNX graph (built by {@link buildDecoderTrainOnnx}) run with MLAS GEMMs
 * on all cores, returning the loss and the gradients of the decoder parameters and the code table.
 * The optimizer (Adam, clipping) stays with the caller; gradients match TensorFlow.js's
 * `variableGrads` of the same loss within float32 rounding (tested).
 * @throws UnsupportedError when onnxruntime-node is not installed.
 * @example
 * ```ts
 * const engine = await createTrainStepEngine(decoder.specs);
 * const { loss, grads, codeGrads } = await engine.step(decoder.getWeights(), { xyz, sdf, shape, codes }, { clamp: 0.1 });
 * ```
 */
export const createTrainStepEngine = async (specs: NetworkSpecs, opts: Partial<TrainStepEngineOptions> = {}): Promise<TrainStepEngine> => {
  const o = { ...DEFAULT_TRAIN_STEP_ENGINE, ...opts };
  const S = validateNetworkSpecs(specs);
  if (!Number.isInteger(o.threads) || o.threads < 0) throw new InvalidArgumentError("createTrainStepEngine", "threads", "an integer >= 0", o.threads);
  if (typeof o.codesOnly !== "boolean") throw new InvalidArgumentError("createTrainStepEngine", "codesOnly", "true or false", o.codesOnly);
  if (S.latentSize === 0) throw new UnsupportedError("createTrainStepEngine: decoders without a latent code (latentSize 0) train on TensorFlow.js");
  const ort = await loadOnnxRuntime();
  if (!ort) throw new UnsupportedError("createTrainStepEngine needs the optional peer dependency onnxruntime-node (install it with ONNXRUNTIME_NODE_INSTALL_CUDA=skip for CPU only)");
  const sessOpts: Record<string, unknown> = { graphOptimizationLevel: "all", executionProviders: ["cpu"] };
  if (o.threads > 0) sessOpts.intraOpNumThreads = o.threads;
  const session = await ort.InferenceSession.create(buildDecoderTrainOnnx(S, { codesOnly: o.codesOnly }), sessOpts);
  const shapes = layerShapes(S);
  const L = S.latentSize, nParams = shapes.length * 2 + (S.weightNorm ? S.dims.length : 0);
  const dropLayers = S.dropoutProb > 0 ? [...new Set(S.dropout)] : [];
  const Tensor = ort.Tensor as unknown as new (type: string, data: unknown, dims: number[]) => { dispose?: () => void };
  const fetches = ["loss", "l1", ...(o.codesOnly ? [] : shapes.flatMap((_, k) => [`dW${k}`, `db${k}`])), "dcodes"];
  const fn = "TrainStepEngine.step";
  return {
    kind: "onnx",
    async step(params, batch, lossOpts = {}) {
      const lo = { ...DEFAULT_TRAIN_STEP_LOSS, ...lossOpts };
      if (!Array.isArray(params) || params.length !== nParams) throw new InvalidArgumentError(fn, "params", `${nParams} arrays in DeepSdfDecoder.variables order`, Array.isArray(params) ? `${params.length} arrays` : params);
      const { xyz, sdf, shape, codes } = batch ?? ({} as TrainStepBatch);
      if (!(xyz instanceof Float32Array) || xyz.length % 3 !== 0 || xyz.length === 0) throw new InvalidArgumentError(fn, "batch.xyz", "a non-empty Float32Array of xyz triples", xyz);
      const N = xyz.length / 3;
      if (!(sdf instanceof Float32Array) || sdf.length !== N) throw new InvalidArgumentError(fn, "batch.sdf", `a Float32Array of ${N} values`, sdf);
      if (!(codes instanceof Float32Array) || codes.length === 0 || codes.length % L !== 0) throw new InvalidArgumentError(fn, "batch.codes", `a Float32Array of S × ${L} values`, codes);
      const nS = codes.length / L;
      if (!(shape instanceof Int32Array) || shape.length !== N) throw new InvalidArgumentError(fn, "batch.shape", `an Int32Array of ${N} code rows`, shape);
      for (let i = 0; i < N; i++) if (!(shape[i] >= 0 && shape[i] < nS)) throw new InvalidArgumentError(fn, "batch.shape", `rows in 0..${nS - 1}`, `${shape[i]} at ${i}`);
      for (const [name, a] of [["batch.xyz", xyz], ["batch.sdf", sdf], ["batch.codes", codes]] as const)
        for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new InvalidArgumentError(fn, name, "finite values", `${a[i]} at ${i}`);
      for (const k of ["clamp", "tolerance", "hardSampleWeight", "codeRegularization", "codeL2"] as const)
        if (!(lo[k] >= 0) || !Number.isFinite(lo[k]) || (k === "clamp" && lo[k] === 0)) throw new InvalidArgumentError(fn, `loss.${k}`, k === "clamp" ? "a finite number > 0" : "a finite number >= 0", lo[k]);
      const layers = foldDecoderWeights(S, params);
      const gt = new Float32Array(N);
      for (let i = 0; i < N; i++) gt[i] = sdf[i] < -lo.clamp ? -lo.clamp : sdf[i] > lo.clamp ? lo.clamp : sdf[i];
      const feeds: Record<string, unknown> = {
        xyz: new Tensor("float32", xyz, [N, 3]),
        shape: new Tensor("int64", BigInt64Array.from(shape, (v) => BigInt(v)), [N]),
        gt: new Tensor("float32", gt, [N, 1]),
        codes: new Tensor("float32", codes, [nS, L]),
        delta: new Tensor("float32", Float32Array.of(lo.clamp), []),
        eps: new Tensor("float32", Float32Array.of(lo.tolerance), []),
        hard: new Tensor("float32", Float32Array.of(lo.hardSampleWeight), []),
        reg: new Tensor("float32", Float32Array.of(lo.codeRegularization), []),
        l2: new Tensor("float32", Float32Array.of(lo.codeL2), []),
        invN: new Tensor("float32", Float32Array.of(1 / N), []),
      };
      layers.forEach((l, k) => {
        feeds[`W${k}`] = new Tensor("float32", l.w, [l.inDim, l.outDim]);
        feeds[`b${k}`] = new Tensor("float32", l.b, [l.outDim]);
      });
      for (const k of dropLayers) feeds[`mask${k}`] = new Tensor("bool", __dropoutMask(N * shapes[k][1], S.dropoutProb, lo.dropoutSeed, k), [N, shapes[k][1]]);
      const res = await session.run(feeds, fetches);
      const read = (name: string) => Float32Array.from(res[name].data as Float32Array);
      const grads: Float32Array[] = [];
      let p = 0;
      if (!o.codesOnly)
        shapes.forEach(([inDim, outDim], k) => {
          const dW = read(`dW${k}`), db = read(`db${k}`);
          if (S.weightNorm && k < shapes.length - 1) {
            const { dv, dg } = __weightNormGrads(params[p], params[p + 1], dW, inDim, outDim);
            grads.push(dv, dg, db);
            p += 3;
          } else {
            grads.push(dW, db);
            p += 2;
          }
        });
      const out = { loss: (res.loss.data as Float32Array)[0], l1: (res.l1.data as Float32Array)[0], grads, codeGrads: read("dcodes") };
      for (const k of fetches) res[k].dispose?.();
      for (const t of Object.values(feeds)) (t as { dispose?: () => void }).dispose?.();
      return out;
    },
    async dispose() {
      await session.release();
    },
  };
};
