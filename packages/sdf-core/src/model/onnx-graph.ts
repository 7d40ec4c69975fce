import { layerShapes, type NetworkSpecs } from "./api.js";
import { InvalidArgumentError } from "../errors.js";
import { __OnnxGraph } from "./onnx-proto.js";

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
  const gr = new __OnnxGraph();
  const node = (op: string, inputs: string[], outputs: string[], attrs: Parameters<__OnnxGraph["node"]>[3] = []) => gr.node(op, inputs, outputs, attrs);
  const init = (name: string, dims: number[], data: Float32Array) => gr.init(name, dims, data);
  const initI64 = (name: string, vals: number[]) => gr.initI64(name, vals);

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
    node("Concat", ["xyz", "pe_sin", "pe_cos"], ["enc"], [{ name: "axis", i: 1 }]);
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
  gr.input("latent", [1, L]);
  gr.input("xyz", ["N", 3]);
  gr.output("sdf", ["N", 1]);
  if (o.taps) for (let k = 0; k < n; k++) gr.output(`h${k}`, ["N", layers[k].outDim]);
  return gr.finish("sdfkit_decoder");
};
