import * as tf from "@tensorflow/tfjs";
import type { Sdf } from "../api.js";
import type { InferenceEngine } from "./inference-engine.js";
import { InvalidArgumentError, ParseError } from "../errors.js";
import { createRng } from "../rng.js";
import { DECODER_PRESETS, inputSize, layerShapes, parameterCount, validateNetworkSpecs, type NetworkSpecs } from "./api.js";

/** Options of the forward pass. */
export interface ForwardOptions {
  /** Apply dropout (training). @defaultValue false */
  training?: boolean;
  /** Seed of the dropout masks. @defaultValue 0 */
  seed?: number;
  /** Keep the ReLU output of every hidden layer in `hidden`. @defaultValue false */
  keepHidden?: boolean;
}

/**
 * @internal Dense layer with an explicit-transpose gradient: on the wasm backend `matMul` with
 * transpose flags is 10–15× slower than plain `matMul`, and the built-in gradient uses them
 * (RUNTIME.md). Same math as `matMul(x, w) + b`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const __denseWasm = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  const y = tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b as tf.Tensor1D);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D), tf.sum(dy, 0)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...args: tf.Tensor[]) => tf.Tensor;

const __dense = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D =>
  tf.getBackend() === "wasm" ? (__denseWasm(x, w, b) as tf.Tensor2D) : tf.add(tf.matMul(x, w), b);

/** Positional encoding of xyz (stride 3) on tensors: [xyz, sin(2^k π xyz), cos(2^k π xyz)] for k < F. */
export const positionalEncoding = (xyz: tf.Tensor2D, F: number): tf.Tensor2D => {
  if (F === 0) return xyz;
  const parts: tf.Tensor2D[] = [xyz];
  for (let k = 0; k < F; k++) {
    const s = tf.mul(xyz, Math.pow(2, k) * Math.PI) as tf.Tensor2D;
    parts.push(tf.sin(s), tf.cos(s));
  }
  return tf.concat(parts, 1);
};

/** Plain typed-array positional encoding (the `*Impl` the tests compare with). */
export const positionalEncodingImpl = (xyz: Float32Array, F: number): Float32Array => {
  const n = xyz.length / 3, w = 3 + 6 * F;
  const out = new Float32Array(n * w);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) out[i * w + a] = xyz[3 * i + a];
    for (let k = 0; k < F; k++)
      for (let a = 0; a < 3; a++) {
        const s = Math.pow(2, k) * Math.PI * xyz[3 * i + a];
        out[i * w + 3 + 6 * k + a] = Math.sin(s);
        out[i * w + 3 + 6 * k + 3 + a] = Math.cos(s);
      }
  }
  return out;
};

let _instances = 0;

/** The portable form of a decoder: JSON-able header and one Float32Array of all parameters. */
export interface DecoderBundle {
  format: "sdfkit-decoder";
  version: 1;
  specs: NetworkSpecs;
  tensors: { name: string; shape: number[]; offset: number }[];
}

/**
 * The DeepSDF decoder on TensorFlow.js: latent ‖ encoded xyz → MLP (ReLU, optional skip
 * re-injection, dropout, weight norm) → tanh. Parameters are `tf.Variable`s so a trainer can take
 * gradients of {@link DeepSdfDecoder.forward} under `tf.variableGrads`. Same math as PyTorch's
 * DeepSDF decoder (tested against a torch fixture).
 */
export class DeepSdfDecoder {
  readonly specs: NetworkSpecs;
  /** Per Linear layer: weight-norm `v` [in, out] and `g` [out], or plain `w` [in, out]; and bias `b` [out]. */
  readonly layers: { v?: tf.Variable; g?: tf.Variable; w?: tf.Variable; b: tf.Variable }[] = [];

  private constructor(specs: NetworkSpecs, seed: number) {
    this.specs = validateNetworkSpecs(specs);
    const prefix = `sdfkit_decoder_${_instances++}`;
    const rng = createRng(seed);
    const shapes = layerShapes(this.specs);
    shapes.forEach(([i, o], k) => {
      // PyTorch nn.Linear init: U(−1/√in, 1/√in) for weight and bias
      const bound = 1 / Math.sqrt(i);
      const w = Float32Array.from({ length: i * o }, () => rng.uniform(-bound, bound));
      const b = tf.variable(tf.tensor1d(Float32Array.from({ length: o }, () => rng.uniform(-bound, bound))), true, `${prefix}/b${k}`);
      if (this.specs.weightNorm && k < shapes.length - 1) {
        const v = tf.tensor2d(w, [i, o]);
        const g = tf.tidy(() => tf.norm(v, "euclidean", 0)) as tf.Tensor1D;
        this.layers.push({ v: tf.variable(v, true, `${prefix}/v${k}`), g: tf.variable(g, true, `${prefix}/g${k}`), b });
        v.dispose();
        g.dispose();
      } else this.layers.push({ w: tf.variable(tf.tensor2d(w, [i, o]), true, `${prefix}/w${k}`), b });
    });
  }

  /** A decoder from specs or a preset name, initialised like PyTorch's nn.Linear from a seed. */
  static fromSpecs(specs: NetworkSpecs | keyof typeof DECODER_PRESETS, opts: { seed?: number } = {}): DeepSdfDecoder {
    if (typeof specs === "string") {
      const p = DECODER_PRESETS[specs];
      if (!p) throw new InvalidArgumentError("DeepSdfDecoder.fromSpecs", "specs", `a NetworkSpecs object or one of ${Object.keys(DECODER_PRESETS).join(", ")}`, specs);
      return new DeepSdfDecoder(p, opts.seed ?? 0);
    }
    return new DeepSdfDecoder(specs, opts.seed ?? 0);
  }

  /** Number of trainable parameters. */
  get parameterCount(): number {
    return parameterCount(this.specs);
  }

  /** All variables in a fixed order (for optimizers and checkpoints). */
  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => (l.w ? [l.w, l.b] : [l.v!, l.g!, l.b]));
  }

  /** @internal The effective weight of layer k. */
  private __weight(k: number): tf.Tensor2D {
    const l = this.layers[k];
    if (l.w) return l.w as tf.Tensor2D;
    return tf.mul(l.v!, tf.div(l.g!, tf.norm(l.v!, "euclidean", 0))) as tf.Tensor2D;
  }

  /**
   * Forward pass on [N, latentSize + 3] rows (latent ‖ xyz). Returns the tanh output [N, 1] and,
   * with `keepHidden`, the post-ReLU activation of every hidden layer. Call inside `tf.tidy` or
   * dispose the results.
   */
  forward(input: tf.Tensor2D, opts: ForwardOptions = {}): { out: tf.Tensor2D; hidden: tf.Tensor2D[] } {
    const L = this.specs.latentSize;
    if (input.rank !== 2 || input.shape[1] !== L + 3)
      throw new InvalidArgumentError("DeepSdfDecoder.forward", "input", `a [N, ${L + 3}] tensor (latent ${L} ‖ xyz)`, `shape [${input.shape}]`);
    const x0 =
      this.specs.peFrequencies > 0
        ? (tf.concat([tf.slice(input, [0, 0], [-1, L]), positionalEncoding(tf.slice(input, [0, L], [-1, 3]) as tf.Tensor2D, this.specs.peFrequencies)], 1) as tf.Tensor2D)
        : input;
    const hidden: tf.Tensor2D[] = [];
    let h = x0;
    const n = this.specs.dims.length;
    for (let k = 0; k < n; k++) {
      const inp = this.specs.latentIn.includes(k) ? (tf.concat([h, x0], 1) as tf.Tensor2D) : h;
      h = tf.relu(__dense(inp, this.__weight(k), this.layers[k].b as tf.Tensor1D));
      if (opts.keepHidden) hidden.push(h);
      if (opts.training && this.specs.dropoutProb > 0 && this.specs.dropout.includes(k))
        h = tf.dropout(h, this.specs.dropoutProb, undefined, (opts.seed ?? 0) * 131 + k) as tf.Tensor2D;
    }
    const out = tf.tanh(__dense(h, this.__weight(n), this.layers[n].b as tf.Tensor1D)) as tf.Tensor2D;
    return { out, hidden };
  }

  /** SDF of points [N, 3] for one latent code: [N] (in [−1, 1]). */
  predict(latent: tf.Tensor1D | Float32Array, points: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const z = latent instanceof Float32Array ? tf.tensor1d(latent) : latent;
      this.__checkLatent("predict", z.shape[0]);
      if (points.rank !== 2 || points.shape[1] !== 3) throw new InvalidArgumentError("DeepSdfDecoder.predict", "points", "a [N, 3] tensor", `shape [${points.shape}]`);
      const n = points.shape[0];
      const input = this.specs.latentSize > 0 ? (tf.concat([tf.tile(tf.reshape(z, [1, -1]), [n, 1]), points], 1) as tf.Tensor2D) : points;
      return tf.reshape(this.forward(input).out, [n]) as tf.Tensor1D;
    });
  }

  /**
   * The SDF of one latent code as a batch `Sdf` (for `sampleGrid`, marching cubes, the renderer).
   * Evaluates in batches of `batchSize` points; throws on NaN/∞ input coordinates.
   */
  toSdf(latent: Float32Array, opts: { batchSize?: number } = {}): Sdf {
    this.__checkLatent("toSdf", latent.length);
    const bs = opts.batchSize ?? 16384;
    return (points: Float32Array, out?: Float32Array): Float32Array => {
      const n = this.__checkPoints("toSdf", points);
      const r = out ?? new Float32Array(n);
      for (let s = 0; s < n; s += bs) {
        const e = Math.min(n, s + bs);
        const v = tf.tidy(() => this.predict(latent, tf.tensor2d(points.subarray(3 * s, 3 * e), [e - s, 3])).dataSync());
        r.set(v, s);
      }
      return r;
    };
  }

  /**
   * Hidden-layer ReLU activations at points for one latent code, in batches (memory bounded by
   * `batchSize`): one Float32Array [N × width] per requested layer. With `engine` (from
   * `createInferenceEngine(decoder)`, e.g. onnxruntime) the engine computes them instead.
   */
  async activations(latent: Float32Array, points: Float32Array, layers: number[], opts: { batchSize?: number; engine?: InferenceEngine } = {}): Promise<Float32Array[]> {
    if (opts.engine) return opts.engine.activations(latent, points, layers);
    this.__checkLatent("activations", latent.length);
    const n = this.__checkPoints("activations", points);
    const shapes = layerShapes(this.specs);
    for (const l of layers)
      if (!Number.isInteger(l) || l < 0 || l >= this.specs.dims.length)
        throw new InvalidArgumentError("DeepSdfDecoder.activations", "layers", `hidden layer indices in 0..${this.specs.dims.length - 1}`, layers);
    const outs = layers.map((l) => new Float32Array(n * shapes[l][1]));
    const bs = opts.batchSize ?? 8192;
    const L = this.specs.latentSize;
    for (let s = 0; s < n; s += bs) {
      const e = Math.min(n, s + bs);
      const hs = tf.tidy(() => {
        const pts = tf.tensor2d(points.subarray(3 * s, 3 * e), [e - s, 3]);
        const input = L > 0 ? (tf.concat([tf.tile(tf.tensor2d(latent, [1, L]), [e - s, 1]), pts], 1) as tf.Tensor2D) : pts;
        const { hidden } = this.forward(input, { keepHidden: true });
        return layers.map((l) => hidden[l]);
      });
      const data = await Promise.all(hs.map((t) => t.data()));
      layers.forEach((l, j) => outs[j].set(data[j] as Float32Array, s * shapes[l][1]));
      tf.dispose(hs);
    }
    return outs;
  }

  /** Parameter values as plain arrays in {@link DeepSdfDecoder.variables} order. */
  getWeights(): Float32Array[] {
    return this.variables.map((v) => v.dataSync() as Float32Array);
  }

  /** Set parameter values (same order and sizes as {@link DeepSdfDecoder.getWeights}). */
  setWeights(weights: ArrayLike<number>[]): void {
    const vars = this.variables;
    if (!Array.isArray(weights) || weights.length !== vars.length)
      throw new InvalidArgumentError("DeepSdfDecoder.setWeights", "weights", `${vars.length} arrays`, weights);
    weights.forEach((w, i) => {
      if (w.length !== vars[i].size) throw new InvalidArgumentError("DeepSdfDecoder.setWeights", `weights[${i}]`, `${vars[i].size} values (shape [${vars[i].shape}])`, `${w.length} values`);
      for (let k = 0; k < w.length; k++) if (!Number.isFinite(w[k])) throw new InvalidArgumentError("DeepSdfDecoder.setWeights", `weights[${i}]`, "finite values", `${w[k]} at ${k}`);
      vars[i].assign(tf.tensor(Float32Array.from(w), vars[i].shape));
    });
  }

  /** The portable bundle: a JSON header and all parameters in one Float32Array (browser and Node alike). */
  toBundle(): { json: DecoderBundle; data: Float32Array } {
    const vars = this.variables;
    let off = 0;
    const tensors = vars.map((v) => {
      const t = { name: v.name.slice(v.name.lastIndexOf("/") + 1), shape: v.shape, offset: off };
      off += v.size;
      return t;
    });
    const data = new Float32Array(off);
    vars.forEach((v, i) => data.set(v.dataSync() as Float32Array, tensors[i].offset));
    return { json: { format: "sdfkit-decoder", version: 1, specs: this.specs, tensors }, data };
  }

  /** Rebuild a decoder from {@link DeepSdfDecoder.toBundle} output. @throws ParseError on a corrupt or mismatched bundle. */
  static fromBundle(json: unknown, data: Float32Array): DeepSdfDecoder {
    const j = json as DecoderBundle;
    if (!j || j.format !== "sdfkit-decoder" || j.version !== 1) throw new ParseError("decoder bundle", `not an sdfkit-decoder v1 header (format ${JSON.stringify(j?.format)}, version ${JSON.stringify(j?.version)})`);
    const d = new DeepSdfDecoder(j.specs, 0);
    const vars = d.variables;
    if (!Array.isArray(j.tensors) || j.tensors.length !== vars.length) throw new ParseError("decoder bundle", `expected ${vars.length} tensors for these specs, got ${j.tensors?.length}`);
    const total = vars.reduce((n, v) => n + v.size, 0);
    if (!(data instanceof Float32Array) || data.length !== total) throw new ParseError("decoder bundle", `expected ${total} float32 parameters, got ${data?.length}`);
    d.setWeights(j.tensors.map((t, i) => {
      if (t.shape.join() !== vars[i].shape.join()) throw new ParseError("decoder bundle", `tensor ${i} (${t.name}) has shape [${t.shape}], the specs need [${vars[i].shape}]`);
      return data.subarray(t.offset, t.offset + vars[i].size);
    }));
    return d;
  }

  /** Free every variable. */
  dispose(): void {
    tf.dispose(this.variables);
  }

  private __checkLatent(fn: string, n: number) {
    if (n !== this.specs.latentSize) throw new InvalidArgumentError(`DeepSdfDecoder.${fn}`, "latent", `${this.specs.latentSize} values`, `${n}`);
  }

  private __checkPoints(fn: string, points: unknown): number {
    if (!(points instanceof Float32Array) || points.length % 3 !== 0) throw new InvalidArgumentError(`DeepSdfDecoder.${fn}`, "points", "a Float32Array of xyz triples", points);
    for (let i = 0; i < points.length; i++) if (!Number.isFinite(points[i])) throw new InvalidArgumentError(`DeepSdfDecoder.${fn}`, "points", "finite coordinates", `${points[i]} at index ${i}`);
    return points.length / 3;
  }
}

export { inputSize };
