import { encodedPointSize, layerShapes, type NetworkSpecs } from "./api.js";
import { __OnnxGraph, BOOL, INT64 } from "./onnx-proto.js";

/**
 * Build an ONNX model (opset 17) computing one auto-decoder training step's loss AND its gradients
 * (the backward pass written out as graph nodes), so a native engine (onnxruntime-node: MLAS GEMMs,
 * all cores) runs the whole forward + backward. The optimizer stays outside.
 *
 * Inputs: `xyz` [N, 3]; `shape` [N] int64 (row of `codes` per sample); `gt` [N, 1] (targets, already
 * clamped); `codes` [S, L]; `W0…Wn` [in, out] effective weights (weight norm folded by the caller) and
 * `b0…bn` [out]; `mask<k>` [N, width] bool for every dropout layer (when `dropout` is true); scalars
 * `delta` (prediction clamp δ), `eps` (tolerance), `hard` (hard-sample weight λ), `reg` (scale of
 * mean‖z‖), `l2` (scale of mean(z²)) and `invN` (1/N).
 * Outputs: `loss`, `l1`, `dW0…`, `db0…` (not with `codesOnly`), `dcodes` [S, L].
 *
 * Loss (the trainer's, TensorFlow.js gradient conventions): pred = clip(tanh(f(z ‖ enc(xyz))), −δ, δ);
 * err = relu(|pred − gt| − ε) · (1 + λ · sign(gt) · sign(gt − pred)); l1 = mean(err);
 * loss = l1 + reg · mean‖z‖ + l2 · mean(z²) (z: the code row of each sample). Dropout multiplies the
 * ReLU output by mask / (1 − p). With `codesOnly` the weight gradients are left out (latent-only
 * optimisation, e.g. reconstruction of an unseen shape).
 */
export const buildDecoderTrainOnnx = (specs: NetworkSpecs, opts: { dropout?: boolean; codesOnly?: boolean } = {}): Uint8Array => {
  const g = new __OnnxGraph();
  const shapes = layerShapes(specs);
  const n = specs.dims.length, L = specs.latentSize, F = specs.peFrequencies, E = encodedPointSize(F);
  const useDropout = (opts.dropout ?? true) && specs.dropoutProb > 0;
  const dropLayers = new Set(useDropout ? specs.dropout : []);
  const axis = (i: number) => ({ name: "axis", i });

  g.input("xyz", ["N", 3]);
  g.input("shape", ["N"], INT64);
  g.input("gt", ["N", 1]);
  g.input("codes", ["S", L]);
  shapes.forEach(([i, o], k) => {
    g.input(`W${k}`, [i, o]);
    g.input(`b${k}`, [o]);
  });
  for (const k of dropLayers) g.input(`mask${k}`, ["N", shapes[k][1]], BOOL);
  for (const s of ["delta", "eps", "hard", "reg", "l2", "invN"]) g.input(s, []);
  const zero = g.init("c_zero", [], Float32Array.of(0));
  const one = g.init("c_one", [], Float32Array.of(1));
  const minusOne = g.init("c_minus_one", [], Float32Array.of(-1));
  const ax0 = g.initI64("c_axes0", [0]);
  const ax1 = g.initI64("c_axes1", [1]);

  // ── forward ──
  const z = g.node("Gather", ["codes", "shape"], ["z"], [axis(0)]);
  const parts = ["xyz"];
  for (let k = 0; k < F; k++) {
    const s = g.op("Mul", ["xyz", g.init(`pe_f${k}`, [], Float32Array.of(Math.pow(2, k) * Math.PI))]);
    parts.push(g.op("Sin", [s]), g.op("Cos", [s]));
  }
  const enc = F > 0 ? g.op("Concat", parts, [axis(1)]) : "xyz";
  const x0 = g.node("Concat", [z, enc], ["x0"], [axis(1)]);
  const ins: string[] = [], pre: string[] = [], drop: string[] = [];
  let h = x0;
  for (let k = 0; k < n; k++) {
    ins[k] = k > 0 && specs.latentIn.includes(k) ? g.op("Concat", [h, x0], [axis(1)]) : h;
    pre[k] = g.node("Gemm", [ins[k], `W${k}`, `b${k}`], [`a${k}`]);
    h = g.node("Relu", [pre[k]], [`h${k}`]);
    if (dropLayers.has(k)) {
      drop[k] = g.op("Mul", [g.op("Cast", [`mask${k}`], [{ name: "to", i: 1 }]), g.init(`keep_scale${k}`, [], Float32Array.of(1 / (1 - specs.dropoutProb)))]);
      h = g.op("Mul", [h, drop[k]]);
    }
  }
  ins[n] = h;
  const y = g.node("Tanh", [g.node("Gemm", [h, `W${n}`, `b${n}`], [`a${n}`])], ["y"]);
  const negDelta = g.op("Neg", ["delta"]);
  const pred = g.node("Clip", [y, negDelta, "delta"], ["pred"]);
  const diff = g.op("Sub", [pred, "gt"]);
  const excess = g.op("Sub", [g.op("Abs", [diff]), "eps"]);
  const w = g.op("Sub", [one, g.op("Mul", ["hard", g.op("Mul", [g.op("Sign", ["gt"]), g.op("Sign", [diff])])])]); // 1 + λ sign(gt) sign(gt − pred)
  const l1 = g.node("ReduceMean", [g.op("Mul", [g.op("Relu", [excess]), w])], ["l1"], [{ name: "keepdims", i: 0 }]);
  const zNorm = g.op("ReduceL2", [z], [{ name: "axes", is: [1] }, { name: "keepdims", i: 1 }]);
  const regTerm = g.op("Mul", ["reg", g.op("ReduceMean", [zNorm], [{ name: "keepdims", i: 0 }])]);
  const l2Term = g.op("Mul", ["l2", g.op("ReduceMean", [g.op("Mul", [z, z])], [{ name: "keepdims", i: 0 }])]);
  g.node("Add", [g.op("Add", [l1, regTerm]), l2Term], ["loss"]);

  // ── backward (TensorFlow.js conventions: relu′ = [x > 0], |x|′ = x > 0 ? 1 : −1, clip′ = [min ≤ x ≤ max]) ──
  const mask = (cond: string) => g.op("Cast", [cond], [{ name: "to", i: 1 }]);
  const gErr = g.op("Mul", [w, "invN"]);
  const gAbs = g.op("Mul", [gErr, mask(g.op("Greater", [excess, zero]))]);
  const gPred = g.op("Mul", [gAbs, g.op("Where", [g.op("Greater", [diff, zero]), one, minusOne])]);
  const inRange = mask(g.op("And", [g.op("GreaterOrEqual", [y, negDelta]), g.op("LessOrEqual", [y, "delta"])]));
  const gy = g.op("Mul", [gPred, inRange]);
  let gA = g.op("Mul", [gy, g.op("Sub", [one, g.op("Mul", [y, y])])]);
  const gz: string[] = [];
  for (let k = n; k >= 0; k--) {
    if (!opts.codesOnly) {
      g.node("Gemm", [ins[k], gA], [`dW${k}`], [{ name: "transA", i: 1 }]);
      g.node("ReduceSum", [gA, ax0], [`db${k}`], [{ name: "keepdims", i: 0 }]);
    }
    const [inDim] = shapes[k];
    if (k === 0) {
      // only the latent columns of the input need a gradient
      const wz = g.op("Slice", [`W0`, g.initI64("c_s0", [0]), g.initI64("c_sL", [L]), ax0]);
      gz.push(g.op("Gemm", [gA, wz], [{ name: "transB", i: 1 }]));
      break;
    }
    const gIn = g.op("Gemm", [gA, `W${k}`], [{ name: "transB", i: 1 }]);
    let gh = gIn;
    if (specs.latentIn.includes(k)) {
      const prevW = inDim - L - E;
      gh = g.op("Slice", [gIn, g.initI64(`c_h0_${k}`, [0]), g.initI64(`c_h1_${k}`, [prevW]), ax1]);
      gz.push(g.op("Slice", [gIn, g.initI64(`c_z0_${k}`, [prevW]), g.initI64(`c_z1_${k}`, [prevW + L]), ax1]));
    }
    const k1 = k - 1;
    if (dropLayers.has(k1)) gh = g.op("Mul", [gh, drop[k1]]);
    gA = g.op("Mul", [gh, mask(g.op("Greater", [pre[k1], zero]))]);
  }
  let gZ = g.op("Mul", [g.op("Mul", ["reg", "invN"]), g.op("Div", [z, zNorm])]);
  // d(l2 · mean(z²))/dz = 2 · l2 · z / (N · L)
  gZ = g.op("Add", [gZ, g.op("Mul", [g.op("Mul", ["l2", g.op("Mul", ["invN", g.init("c_two_over_L", [], Float32Array.of(2 / L))])]), z])]);
  for (const t of gz) gZ = g.op("Add", [gZ, t]);
  const zeros = g.op("ConstantOfShape", [g.op("Shape", ["codes"])]);
  g.node("ScatterND", [zeros, g.op("Unsqueeze", ["shape", ax1]), gZ], ["dcodes"], [{ name: "reduction", s: "add" }]);

  g.output("loss", []);
  g.output("l1", []);
  if (!opts.codesOnly)
    shapes.forEach(([i, o], k) => {
      g.output(`dW${k}`, [i, o]);
      g.output(`db${k}`, [o]);
    });
  g.output("dcodes", ["S", L]);
  return g.finish("sdfkit_decoder_train");
};
