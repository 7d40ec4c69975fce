import type { AsyncSdf } from "../sample-grid-async.js";
import { InvalidArgumentError, UnsupportedError } from "../errors.js";
import { DeepSdfDecoder } from "./DeepSdfDecoder.js";
import { layerShapes } from "./api.js";
import { buildDecoderOnnx } from "./onnx-graph.js";

/** Engines {@link createInferenceEngine} knows. `auto`: `onnx` when onnxruntime-node loads, else `tfjs`. */
export type InferenceEngineName = "auto" | "tfjs" | "onnx";

/** Options of {@link createInferenceEngine}. */
export interface InferenceEngineOptions {
  /** Which engine; the environment variable SDFKIT_INFERENCE_ENGINE overrides `auto`. @defaultValue "auto" */
  engine: InferenceEngineName;
  /** Points per batch (memory is bounded by batch × widest layer). @defaultValue 65536 */
  batchSize: number;
  /** onnxruntime intra-op threads; 0 = onnxruntime's default (all cores). @defaultValue 0 */
  threads: number;
  /** Clamp predictions to [−clamp, clamp]; 0 = none (the plain tanh output). @defaultValue 0 */
  clamp: number;
}

/** Defaults of {@link InferenceEngineOptions}. */
export const DEFAULT_INFERENCE_ENGINE: InferenceEngineOptions = { engine: "auto", batchSize: 65536, threads: 0, clamp: 0 };

/**
 * Batched inference of a decoder for large evaluations (grids, probing). Built from a SNAPSHOT of
 * the decoder's weights: after training further, create a new engine.
 */
export interface InferenceEngine {
  /** The engine actually used. */
  readonly kind: "tfjs" | "onnx";
  /** SDF at points (xyz triples) for one latent code; writes into `out` when given. */
  predict(latent: Float32Array, xyz: Float32Array, out?: Float32Array): Promise<Float32Array>;
  /** Hidden-layer ReLU outputs at points: one Float32Array [N × width] per requested layer. */
  activations(latent: Float32Array, xyz: Float32Array, layers: number[]): Promise<Float32Array[]>;
  /** The SDF of one latent code as an asynchronous batch SDF (for `sampleGridAsync`). */
  toSdf(latent: Float32Array): AsyncSdf;
  /** Hidden activations of one latent code as the `forward` of segmentation's `probeActivations`. */
  layerForward(latent: Float32Array, layers: number[]): (points: Float32Array) => Promise<Float32Array[]>;
  /** Release the engine's sessions (the decoder itself is untouched). */
  dispose(): Promise<void>;
}

/** @internal The part of onnxruntime-node's API used here (kept local so the .d.ts never needs the package). */
interface __Ort {
  InferenceSession: { create(model: Uint8Array, o: Record<string, unknown>): Promise<__OrtSession> };
  Tensor: new (type: "float32", data: Float32Array, dims: number[]) => { data: unknown; dispose?: () => void };
}
interface __OrtSession {
  run(feeds: Record<string, unknown>, fetches?: string[]): Promise<Record<string, { data: unknown; dispose?: () => void }>>;
  release(): Promise<void>;
}

let _ort: Promise<__Ort | null> | undefined;

/** Load onnxruntime-node if installed (it is an optional peer dependency); null when it is not. */
export const loadOnnxRuntime = (): Promise<__Ort | null> =>
  (_ort ??= import(/* @vite-ignore */ "onnxruntime-node" as string).then(
    (m) => ((m as { default?: __Ort }).default ?? (m as __Ort)) as __Ort,
    () => null,
  ));

const __validate = (decoder: DeepSdfDecoder, fn: string, latent: unknown, xyz: unknown): number => {
  if (!(latent instanceof Float32Array) || latent.length !== decoder.specs.latentSize)
    throw new InvalidArgumentError(fn, "latent", `a Float32Array of ${decoder.specs.latentSize} values`, latent);
  for (let i = 0; i < latent.length; i++) if (!Number.isFinite(latent[i])) throw new InvalidArgumentError(fn, "latent", "finite values", `${latent[i]} at index ${i}`);
  if (!(xyz instanceof Float32Array) || xyz.length % 3 !== 0) throw new InvalidArgumentError(fn, "xyz", "a Float32Array of xyz triples", xyz);
  for (let i = 0; i < xyz.length; i++) if (!Number.isFinite(xyz[i])) throw new InvalidArgumentError(fn, "xyz", "finite coordinates", `${xyz[i]} at index ${i}`);
  return xyz.length / 3;
};

const __validateLayers = (decoder: DeepSdfDecoder, fn: string, layers: unknown): number[] => {
  const n = decoder.specs.dims.length;
  if (!Array.isArray(layers) || layers.some((l) => !Number.isInteger(l) || l < 0 || l >= n))
    throw new InvalidArgumentError(fn, "layers", `hidden layer indices in 0..${n - 1}`, layers);
  return layers as number[];
};

const __clampInPlace = (a: Float32Array, c: number) => {
  if (c > 0) for (let i = 0; i < a.length; i++) a[i] = a[i] < -c ? -c : a[i] > c ? c : a[i];
};

type __Core = Omit<InferenceEngine, "toSdf" | "layerForward">;
const __withHelpers = (e: __Core, decoder: DeepSdfDecoder): InferenceEngine => ({
  ...e,
  toSdf(latent) {
    __validate(decoder, "InferenceEngine.toSdf", latent, new Float32Array(0));
    return (points, out) => e.predict(latent, points, out);
  },
  layerForward(latent, layers) {
    __validate(decoder, "InferenceEngine.layerForward", latent, new Float32Array(0));
    __validateLayers(decoder, "InferenceEngine.layerForward", layers);
    return (points) => e.activations(latent, points, layers);
  },
});

const __tfjsEngine = (decoder: DeepSdfDecoder, o: InferenceEngineOptions): __Core => {
  const b = decoder.toBundle();
  const snap = DeepSdfDecoder.fromBundle(b.json, b.data);
  return {
    kind: "tfjs",
    async predict(latent, xyz, out) {
      const n = __validate(snap, "InferenceEngine.predict", latent, xyz);
      if (out !== undefined && (!(out instanceof Float32Array) || out.length < n)) throw new InvalidArgumentError("InferenceEngine.predict", "out", `a Float32Array of at least ${n} values`, out);
      const r = snap.toSdf(latent, { batchSize: Math.min(o.batchSize, 16384) })(xyz, out);
      __clampInPlace(n === r.length ? r : r.subarray(0, n), o.clamp);
      return r;
    },
    async activations(latent, xyz, layers) {
      __validate(snap, "InferenceEngine.activations", latent, xyz);
      return snap.activations(latent, xyz, __validateLayers(snap, "InferenceEngine.activations", layers), { batchSize: Math.min(o.batchSize, 16384) });
    },
    async dispose() {
      snap.dispose();
    },
  };
};

const __onnxEngine = async (ort: __Ort, decoder: DeepSdfDecoder, o: InferenceEngineOptions): Promise<__Core> => {
  const params = decoder.getWeights();
  const sessOpts: Record<string, unknown> = { graphOptimizationLevel: "all", executionProviders: ["cpu"] };
  if (o.threads > 0) sessOpts.intraOpNumThreads = o.threads;
  const session = await ort.InferenceSession.create(buildDecoderOnnx(decoder.specs, params, { clamp: o.clamp }), sessOpts);
  let tapSession: Promise<__OrtSession> | undefined;
  const widths = layerShapes(decoder.specs).map(([, w]) => w);
  const L = decoder.specs.latentSize;
  const feeds = (latent: Float32Array, xyz: Float32Array, s: number, e: number) => ({
    latent: new ort.Tensor("float32", latent, [1, L]),
    xyz: new ort.Tensor("float32", xyz.subarray(3 * s, 3 * e), [e - s, 3]),
  });
  return {
    kind: "onnx",
    async predict(latent, xyz, out) {
      const n = __validate(decoder, "InferenceEngine.predict", latent, xyz);
      if (out !== undefined && (!(out instanceof Float32Array) || out.length < n)) throw new InvalidArgumentError("InferenceEngine.predict", "out", `a Float32Array of at least ${n} values`, out);
      const r = out ?? new Float32Array(n);
      for (let s = 0; s < n; s += o.batchSize) {
        const e = Math.min(n, s + o.batchSize);
        const res = await session.run(feeds(latent, xyz, s, e), ["sdf"]);
        r.set(res.sdf.data as Float32Array, s);
        res.sdf.dispose?.();
      }
      return r;
    },
    async activations(latent, xyz, layers) {
      const n = __validate(decoder, "InferenceEngine.activations", latent, xyz);
      __validateLayers(decoder, "InferenceEngine.activations", layers);
      const sess = await (tapSession ??= ort.InferenceSession.create(buildDecoderOnnx(decoder.specs, params, { clamp: o.clamp, taps: true }), sessOpts));
      const outs = layers.map((l) => new Float32Array(n * widths[l]));
      const names = [...new Set(layers.map((l) => `h${l}`))];
      const bs = Math.max(1, Math.floor(o.batchSize / 4));
      for (let s = 0; s < n; s += bs) {
        const e = Math.min(n, s + bs);
        const res = await sess.run(feeds(latent, xyz, s, e), names);
        layers.forEach((l, j) => outs[j].set(res[`h${l}`].data as Float32Array, s * widths[l]));
        for (const k of names) res[k].dispose?.();
      }
      return outs;
    },
    async dispose() {
      await session.release();
      if (tapSession) await (await tapSession).release();
    },
  };
};

/**
 * An inference engine for a decoder: `onnx` runs an ONNX graph built from the decoder's weights on
 * onnxruntime-node (optional peer dependency; CPU, all cores), `tfjs` runs the decoder on the current
 * TensorFlow.js backend. `auto` picks `onnx` when onnxruntime-node loads. Both give the same
 * outputs within 1e-5.
 * @throws UnsupportedError when `engine: "onnx"` is asked for and onnxruntime-node is not installed.
 * @example
 * ```ts
 * const engine = await createInferenceEngine(decoder, { engine: "auto" });
 * const sdf = await engine.predict(latent, points);
 * ```
 */
export const createInferenceEngine = async (decoder: DeepSdfDecoder, opts: Partial<InferenceEngineOptions> = {}): Promise<InferenceEngine> => {
  const o = { ...DEFAULT_INFERENCE_ENGINE, ...opts };
  const env = typeof process !== "undefined" ? process.env.SDFKIT_INFERENCE_ENGINE : undefined;
  const name = o.engine === "auto" && env ? (env as InferenceEngineName) : o.engine;
  if (!["auto", "tfjs", "onnx"].includes(name)) throw new InvalidArgumentError("createInferenceEngine", "engine", "auto, tfjs or onnx", name);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new InvalidArgumentError("createInferenceEngine", "batchSize", "an integer >= 1", o.batchSize);
  if (!Number.isInteger(o.threads) || o.threads < 0) throw new InvalidArgumentError("createInferenceEngine", "threads", "an integer >= 0", o.threads);
  if (!(o.clamp >= 0) || !Number.isFinite(o.clamp)) throw new InvalidArgumentError("createInferenceEngine", "clamp", "a finite number >= 0", o.clamp);
  if (name === "tfjs") return __withHelpers(__tfjsEngine(decoder, o), decoder);
  const ort = await loadOnnxRuntime();
  if (!ort) {
    if (name === "onnx") throw new UnsupportedError("createInferenceEngine: engine 'onnx' needs the optional peer dependency onnxruntime-node (install it with ONNXRUNTIME_NODE_INSTALL_CUDA=skip for CPU only)");
    return __withHelpers(__tfjsEngine(decoder, o), decoder);
  }
  return __withHelpers(await __onnxEngine(ort, decoder, o), decoder);
};
