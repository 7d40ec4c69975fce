import { layerShapes, type NetworkSpecs } from "./api.js";
import { InvalidArgumentError } from "../errors.js";

/**
 * Plain weights of a decoder ready for an inference graph: per Linear layer the effective weight
 * (weight norm folded: w = v · g / ‖v‖ per output column) as [in, out] row-major, and the bias.
 */
export interface FoldedLayer {
  w: Float32Array;
  b: Float32Array;
  inDim: number;
  outDim: number;
}

/** Options of {@link buildDecoderOnnx}. */
export interface BuildDecoderOnnxOptions {
  /** Add every hidden layer's ReLU output as graph outputs `h0`, `h1`, … @defaultValue false */
  taps: boolean;
  /** Clamp the tanh output to [−clamp, clamp] (`Clip`); 0 = no clamp. @defaultValue 0 */
  clamp: number;
}

/** Defaults of {@link BuildDecoderOnnxOptions}. */
export const DEFAULT_BUILD_DECODER_ONNX: BuildDecoderOnnxOptions = { taps: false, clamp: 0 };

/**
 * Fold weight norm into plain weights: from the decoder's parameter list (in
 * `DeepSdfDecoder.variables` order: `[v, g, b]` per weight-norm layer, `[w, b]` otherwise).
 */
export const foldDecoderWeights = (specs: NetworkSpecs, params: Float32Array[]): FoldedLayer[] => {
  const shapes = layerShapes(specs);
  const out: FoldedLayer[] = [];
  let p = 0;
  shapes.forEach(([inDim, outDim], k) => {
    const wn = specs.weightNorm && k < shapes.length - 1;
    const need = wn ? 3 : 2;
    if (p + need > params.length) throw new InvalidArgumentError("foldDecoderWeights", "params", `${need} arrays for layer ${k}`, `${params.length - p} left`);
    let w: Float32Array;
    if (wn) {
      const v = params[p], g = params[p + 1];
      w = new Float32Array(inDim * outDim);
      for (let o = 0; o < outDim; o++) {
        let s = 0;
        for (let i = 0; i < inDim; i++) s += v[i * outDim + o] * v[i * outDim + o];
        const f = g[o] / Math.sqrt(s);
        for (let i = 0; i < inDim; i++) w[i * outDim + o] = v[i * outDim + o] * f;
      }
    } else w = params[p];
    const b = params[p + need - 1];
    if (w.length !== inDim * outDim || b.length !== outDim)
      throw new InvalidArgumentError("foldDecoderWeights", "params", `layer ${k} of shape [${inDim}, ${outDim}]`, `${w.length} weights, ${b.length} biases`);
    out.push({ w, b, inDim, outDim });
    p += need;
  });
  return out;
};

// ── a tiny protobuf writer (only what ONNX ModelProto needs) ──────────────────────────────────
/** @internal */
class __Pb {
  private buf = new Uint8Array(256);
  private n = 0;
  private ensure(k: number) {
    if (this.n + k <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.n + k) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }
  varint(v: number): this {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.n++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.n++] = v;
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  int(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }
  str(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: __Pb): this {
    return this.bytes(field, m.finish());
  }
  float(field: number, v: number): this {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.buf.buffer, this.n, 4).setFloat32(0, v, true);
    this.n += 4;
    return this;
  }
  finish(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
}

const FLOAT = 1, INT64 = 7;

const __tensor = (name: string, dims: number[], data: Float32Array | BigInt64Array, type: number): __Pb => {
  const t = new __Pb();
  for (const d of dims) t.int(1, d);
  t.int(2, type).str(8, name);
  return t.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
};

const __valueInfo = (name: string, dims: (number | string)[]): __Pb => {
  const shape = new __Pb();
  for (const d of dims) shape.msg(1, typeof d === "number" ? new __Pb().int(1, d) : new __Pb().str(2, d));
  const tensorType = new __Pb().int(1, FLOAT).msg(2, shape);
  return new __Pb().str(1, name).msg(2, new __Pb().msg(1, tensorType));
};

/**
 * Build an ONNX model (opset 17, serialized ModelProto bytes) computing the decoder's forward pass
 * for one latent code: inputs `latent` [1, L] and `xyz` [N, 3], output `sdf` [N, 1] (tanh, then an
 * optional clamp) and, with `taps`, hidden ReLU outputs `h0`… [N, width]. Weight norm is folded,
 * the positional encoding is `Sin`/`Cos` of `xyz · 2^k π`, and the latent's share of each layer
 * that reads the input (layer 0 and the skip layers) is one [1, L] × [L, out] product added as a
 * bias, so per point only the xyz encoding and hidden widths are multiplied.
 */
export const buildDecoderOnnx = (specs: NetworkSpecs, params: Float32Array[], opts: Partial<BuildDecoderOnnxOptions> = {}): Uint8Array => {
  const o = { ...DEFAULT_BUILD_DECODER_ONNX, ...opts };
  if (!(o.clamp >= 0) || !Number.isFinite(o.clamp)) throw new InvalidArgumentError("buildDecoderOnnx", "opts.clamp", "a finite number >= 0", o.clamp);
  const layers = foldDecoderWeights(specs, params);
  const L = specs.latentSize, F = specs.peFrequencies, E = 3 + 6 * F;
  const nodes: __Pb[] = [];
  const inits: __Pb[] = [];
  const node = (op: string, inputs: string[], outputs: string[], attrs: __Pb[] = []) => {
    const n = new __Pb();
    for (const i of inputs) n.str(1, i);
    for (const x of outputs) n.str(2, x);
    n.str(3, `${op}_${nodes.length}`).str(4, op);
    for (const a of attrs) n.msg(5, a);
    nodes.push(n);
  };
  const init = (name: string, dims: number[], data: Float32Array) => inits.push(__tensor(name, dims, data, FLOAT));
  const initI64 = (name: string, vals: number[]) => inits.push(__tensor(name, [vals.length], BigInt64Array.from(vals.map(BigInt)), INT64));

  // positional encoding: enc = [xyz, sin(S), cos(S)], S[n, 3k + a] = xyz[n, a] · 2^k π (k-major)
  let enc = "xyz";
  // row of the decoder's encoded input (xyz, then per k: sin xyz, cos xyz) for our column c
  const encRow = (c: number): number => {
    if (c < 3 || F === 0) return c;
    const s = c - 3, isCos = s >= 3 * F, r = isCos ? s - 3 * F : s;
    const k = Math.floor(r / 3), a = r % 3;
    return 3 + 6 * k + (isCos ? 3 : 0) + a;
  };
  if (F > 0) {
    initI64("pe_shape3", [-1, 1, 3]);
    initI64("pe_shapeS", [-1, 3 * F]);
    init("pe_freq", [F, 1], Float32Array.from({ length: F }, (_, k) => Math.pow(2, k) * Math.PI));
    node("Reshape", ["xyz", "pe_shape3"], ["pe_x3"]);
    node("Mul", ["pe_x3", "pe_freq"], ["pe_s3"]);
    node("Reshape", ["pe_s3", "pe_shapeS"], ["pe_s"]);
    node("Sin", ["pe_s"], ["pe_sin"]);
    node("Cos", ["pe_s"], ["pe_cos"]);
    node("Concat", ["xyz", "pe_sin", "pe_cos"], ["enc"], [new __Pb().str(1, "axis").int(3, 1).int(20, 2)]);
    enc = "enc";
  }
  const rows = (l: FoldedLayer, from: number, count: number, map: (r: number) => number = (r) => r): Float32Array => {
    const w = new Float32Array(count * l.outDim);
    for (let r = 0; r < count; r++) w.set(l.w.subarray((from + map(r)) * l.outDim, (from + map(r) + 1) * l.outDim), r * l.outDim);
    return w;
  };
  const n = specs.dims.length;
  let h = "";
  for (let k = 0; k <= n; k++) {
    const l = layers[k];
    const readsInput = k === 0 || specs.latentIn.includes(k);
    const prevW = readsInput ? (k === 0 ? 0 : l.inDim - L - E) : l.inDim;
    const terms: string[] = [];
    if (k > 0) {
      init(`W${k}_h`, [prevW, l.outDim], rows(l, 0, prevW));
      node("MatMul", [h, `W${k}_h`], [`t${k}_h`]);
      terms.push(`t${k}_h`);
    }
    let bias = `b${k}`;
    init(bias, [1, l.outDim], l.b);
    if (readsInput) {
      init(`W${k}_x`, [E, l.outDim], rows(l, prevW + L, E, encRow));
      node("MatMul", [enc, `W${k}_x`], [`t${k}_x`]);
      terms.push(`t${k}_x`);
      if (L > 0) {
        init(`W${k}_z`, [L, l.outDim], rows(l, prevW, L));
        node("MatMul", ["latent", `W${k}_z`], [`t${k}_z`]);
        node("Add", [`t${k}_z`, bias], [`c${k}`]);
        bias = `c${k}`;
      }
    }
    let acc = terms[0];
    for (let t = 1; t < terms.length; t++) {
      node("Add", [acc, terms[t]], [`s${k}_${t}`]);
      acc = `s${k}_${t}`;
    }
    node("Add", [acc, bias], [`a${k}`]);
    if (k < n) {
      h = o.taps ? `h${k}` : `r${k}`;
      node("Relu", [`a${k}`], [h]);
    } else if (o.clamp > 0) {
      node("Tanh", [`a${k}`], ["tanh"]);
      init("clip_min", [], Float32Array.of(-o.clamp));
      init("clip_max", [], Float32Array.of(o.clamp));
      node("Clip", ["tanh", "clip_min", "clip_max"], ["sdf"]);
    } else node("Tanh", [`a${k}`], ["sdf"]);
  }
  const graph = new __Pb();
  for (const x of nodes) graph.msg(1, x);
  graph.str(2, "sdfkit_decoder");
  for (const x of inits) graph.msg(5, x);
  graph.msg(11, __valueInfo("latent", [1, L]));
  graph.msg(11, __valueInfo("xyz", ["N", 3]));
  graph.msg(12, __valueInfo("sdf", ["N", 1]));
  if (o.taps) for (let k = 0; k < n; k++) graph.msg(12, __valueInfo(`h${k}`, ["N", layers[k].outDim]));
  return new __Pb()
    .int(1, 8)
    .str(2, "sdfkit")
    .msg(7, graph)
    .msg(8, new __Pb().str(1, "").int(2, 17))
    .finish();
};
