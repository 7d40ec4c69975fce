import { InvalidArgumentError, UnsupportedError } from "@sdfkit/sdf-core";
import { loadOnnxRuntime, OnnxGraphBuilder } from "@sdfkit/sdf-core/model";
import type { PartSdfSpecs } from "./PartSdfDecoder.js";

/** The loss of one part-wise SDF training step (the default loss of `trainPartSdf`: no clamp, no truncation). */
export interface PartSdfTrainLoss {
  /** Supervised samples per step (N): the first N rows of `xyz`. */
  batchSize: number;
  /** Eikonal points per step (m): rows N … N + 6m of `xyz` are their ±h stencil along x, y, z (0 = no eikonal term). */
  eikonalPoints: number;
  /** Weight of the eikonal term mean (|∇f_k| − 1)². */
  eikonalWeight: number;
  /** Weight of the union term mean |min_k f_k − min_k d_k| (left out of the loss with one part). */
  unionWeight: number;
  /**
   * How the union term's gradient reaches the heads: "min" (|min_k f_k − min_k d_k|: every head at the
   * minimum) or "owner" (relu(min d − min f) + relu(f_owner − min d), owner = argmin_k d_k: a union that
   * is too high pulls down only the head owning the point). As `trainPartSdf`'s option. @defaultValue "min"
   */
  unionRouting?: "min" | "owner";
  /** Central-difference step of the eikonal stencil. @defaultValue 1e-3 */
  h?: number;
}

/** Loss terms and gradients of one step. */
export interface PartSdfTrainStepResult {
  loss: number;
  l1: number;
  union: number;
  eikonal: number;
  /** Gradients in `PartSdfDecoder.variables` order. */
  grads: Float32Array[];
}

/** A compiled part-wise SDF training step (forward + backward) on onnxruntime-node. */
export interface PartSdfTrainStep {
  readonly kind: "onnx";
  /**
   * Loss and gradients at `params` (`PartSdfDecoder.variables` order) for the points `xyz` (N + 6m rows:
   * the supervised samples, then the eikonal stencil) and the targets `gt` (N × parts, row-major).
   */
  step(params: Float32Array[], xyz: Float32Array, gt: Float32Array): Promise<PartSdfTrainStepResult>;
  dispose(): Promise<void>;
}

/** @internal [in, out] of every dense layer of a linear-head decoder: trunk, then the [width, parts] head. */
export const __partSdfLayerShapes = (s: PartSdfSpecs): [number, number][] => {
  const dims = [3 + 6 * s.peFrequencies, ...s.trunk, s.parts];
  return dims.slice(1).map((o, k) => [dims[k], o]);
};

/**
 * Build an ONNX model (opset 17) computing `trainPartSdf`'s default loss AND its gradients (the backward
 * pass written out as graph nodes) for a {@link PartSdfDecoder} with linear heads (`head: 0`), so
 * onnxruntime runs the whole step natively. The optimizer stays outside.
 *
 * Inputs: `xyz` [N + 6m, 3] (the supervised samples, then the stencil of m eikonal points: +h x, −h x,
 * +h y, −h y, +h z, −h z), `gt` [N, P] (the part SDFs), `W0…Wt` [in, out] and `b0…bt` [out] (trunk, then
 * head). Outputs: `loss`, `l1`, `union`, `eikonal`, `dW0…`, `db0…`.
 *
 * Forward (the decoder's): local = (xyz − c) / s, PE, ReLU trunk, f = s · (h · Wt + bt). Loss: l1 =
 * mean |f − d| over N × P; union = mean |min_k f_k − min_k d_k| (the reported term; with
 * `unionRouting: "owner"` the loss uses mean relu(min d − min f) + relu(f_owner − min d) instead); eikonal = mean (√(|∇f|² + 1e-12) − 1)²
 * with ∇f by central differences; loss = l1 + unionWeight · union (with P > 1) + eikonalWeight · eikonal.
 * Backward with TensorFlow.js's conventions: |x|′ = x > 0 ? 1 : −1, relu′ = [x > 0], min′ = [x = min]
 * (every tied head gets the full gradient), argmin = the first of ties, √x′ = 1 / (2√x).
 * @throws InvalidArgumentError on a decoder with hidden head layers, or bad counts or weights.
 */
export const buildPartSdfTrainOnnx = (specs: PartSdfSpecs, loss: PartSdfTrainLoss): Uint8Array => {
  const fn = "buildPartSdfTrainOnnx";
  if (specs.head !== 0) throw new InvalidArgumentError(fn, "specs.head", "0 (linear heads)", specs.head);
  const { batchSize: N, eikonalPoints: m, eikonalWeight: ew, h = 1e-3 } = loss;
  if (!Number.isInteger(N) || N < 1) throw new InvalidArgumentError(fn, "loss.batchSize", "an integer >= 1", N);
  if (!Number.isInteger(m) || m < 0) throw new InvalidArgumentError(fn, "loss.eikonalPoints", "an integer >= 0", m);
  const routing = loss.unionRouting ?? "min";
  if (routing !== "min" && routing !== "owner") throw new InvalidArgumentError(fn, "loss.unionRouting", '"min" or "owner"', routing);
  for (const [k, v] of [["eikonalWeight", ew], ["unionWeight", loss.unionWeight], ["h", h]] as const)
    if (!(v >= 0) || !Number.isFinite(v)) throw new InvalidArgumentError(fn, `loss.${k}`, "a finite number >= 0", v);
  const P = specs.parts, F = specs.peFrequencies, shapes = __partSdfLayerShapes(specs), T = shapes.length - 1;
  const eik = ew > 0 && m > 0, uw = P > 1 ? loss.unionWeight : 0, M = N + (eik ? 6 * m : 0);
  const { center: c, scale: s } = specs.frame, moved = s !== 1 || c.some((x) => x !== 0);
  const g = new OnnxGraphBuilder();
  const f32 = (name: string, v: number) => g.init(name, [], Float32Array.of(v));
  const axis = (i: number) => ({ name: "axis", i });
  const keep0 = { name: "keepdims", i: 0 };
  const mask = (cond: string) => g.op("Cast", [cond], [{ name: "to", i: 1 }]);
  const ax0 = g.initI64("c_axes0", [0]);
  const i64 = new Map<number, string>();
  const int = (v: number) => i64.get(v) ?? (i64.set(v, g.initI64(`c_i${v}`, [v])), i64.get(v)!);
  const slice0 = (x: string, a: number, b: number) => g.op("Slice", [x, int(a), int(b), ax0]);

  g.input("xyz", [M, 3]);
  g.input("gt", [N, P]);
  shapes.forEach(([i, o], k) => {
    g.input(`W${k}`, [i, o]);
    g.input(`b${k}`, [o]);
  });
  const zero = f32("c_zero", 0), one = f32("c_one", 1), minusOne = f32("c_minus_one", -1);

  // ── forward ──
  const local = moved ? g.op("Div", [g.op("Sub", ["xyz", g.init("c_center", [3], Float32Array.from(c))]), f32("c_scale", s)]) : "xyz";
  const enc = [local];
  for (let k = 0; k < F; k++) {
    const a = g.op("Mul", [local, f32(`pe_f${k}`, Math.pow(2, k) * Math.PI)]);
    enc.push(g.op("Sin", [a]), g.op("Cos", [a]));
  }
  let x = F > 0 ? g.op("Concat", enc, [axis(1)]) : local;
  const ins: string[] = [], pre: string[] = [];
  for (let k = 0; k < T; k++) {
    ins[k] = x;
    pre[k] = g.node("Gemm", [x, `W${k}`, `b${k}`], [`a${k}`]);
    x = g.node("Relu", [pre[k]], [`h${k}`]);
  }
  ins[T] = x;
  const y = g.node("Gemm", [x, `W${T}`, `b${T}`], ["y"]);
  const out = s !== 1 ? g.op("Mul", [y, f32("c_out_scale", s)]) : y;
  const pred = eik ? slice0(out, 0, N) : out;
  const diff = g.op("Sub", [pred, "gt"]);
  const l1 = g.node("ReduceMean", [g.op("Abs", [diff])], ["l1"], [keep0]);
  const minPred = g.op("ReduceMin", [pred], [{ name: "axes", is: [1] }, { name: "keepdims", i: 1 }]);
  const minGt = g.op("ReduceMin", ["gt"], [{ name: "axes", is: [1] }, { name: "keepdims", i: 1 }]);
  const ud = g.op("Sub", [minPred, minGt]);
  const union = g.node("ReduceMean", [g.op("Abs", [ud])], ["union"], [keep0]);
  // owner routing: lo = min d − min f (union too low), hi = f_owner − min d (union too high at the owner)
  let lo = "", hi = "", ownerMask = "";
  let unionLoss = union;
  if (uw > 0 && routing === "owner") {
    const owner = g.op("ArgMin", ["gt"], [axis(1), { name: "keepdims", i: 1 }]);
    ownerMask = mask(g.op("Equal", [owner, g.initI64("c_parts", Array.from({ length: P }, (_, k) => k))]));
    const fOwner = g.op("ReduceSum", [g.op("Mul", [pred, ownerMask]), int(1)], [{ name: "keepdims", i: 1 }]);
    lo = g.op("Sub", [minGt, minPred]);
    hi = g.op("Sub", [fOwner, minGt]);
    unionLoss = g.op("ReduceMean", [g.op("Add", [g.op("Relu", [lo]), g.op("Relu", [hi])])], [keep0]);
  }
  let total = uw > 0 ? g.op("Add", [l1, g.op("Mul", [f32("c_uw", uw), unionLoss])]) : l1;
  const inv2h = 2 * h, d: string[] = [];
  let e = "";
  let r = "";
  if (eik) {
    const st = (j: number) => slice0(out, N + j * m, N + (j + 1) * m);
    let g2 = "";
    for (let a = 0; a < 3; a++) {
      d[a] = g.op("Div", [g.op("Sub", [st(2 * a), st(2 * a + 1)]), f32(`c_2h_${a}`, inv2h)]);
      const sq = g.op("Mul", [d[a], d[a]]);
      g2 = a === 0 ? sq : g.op("Add", [g2, sq]);
    }
    r = g.op("Sqrt", [g.op("Add", [g2, f32("c_tiny", 1e-12)])]);
    e = g.op("Sub", [r, one]);
    g.node("ReduceMean", [g.op("Mul", [e, e])], ["eikonal"], [keep0]);
    total = g.op("Add", [total, g.op("Mul", [f32("c_ew", ew), "eikonal"])]);
  } else g.node("Mul", [zero, one], ["eikonal"]);
  g.node("Identity", [total], ["loss"]);

  // ── backward ──
  const sign = (v: string) => g.op("Where", [g.op("Greater", [v, zero]), one, minusOne]);
  let dPred = g.op("Mul", [sign(diff), f32("c_inv_np", 1 / (N * P))]);
  if (uw > 0 && routing === "owner") {
    const k = f32("c_uw_over_n", uw / N);
    const gLo = g.op("Mul", [mask(g.op("Greater", [lo, zero])), g.op("Neg", [k])]);
    const gHi = g.op("Mul", [mask(g.op("Greater", [hi, zero])), k]);
    dPred = g.op("Add", [dPred, g.op("Add", [g.op("Mul", [mask(g.op("Equal", [pred, minPred])), gLo]), g.op("Mul", [ownerMask, gHi])])]);
  } else if (uw > 0) {
    const gU = g.op("Mul", [sign(ud), f32("c_uw_over_n", uw / N)]);
    dPred = g.op("Add", [dPred, g.op("Mul", [mask(g.op("Equal", [pred, minPred])), gU])]);
  }
  let dOut = dPred;
  if (eik) {
    const gE = g.op("Mul", [e, f32("c_eik_scale", (2 * ew) / (m * P))]);
    const gG2 = g.op("Div", [gE, g.op("Mul", [r, f32("c_two", 2)])]);
    const parts = [dPred];
    for (let a = 0; a < 3; a++) {
      const gPlus = g.op("Div", [g.op("Mul", [g.op("Mul", [d[a], f32(`c_two_${a}`, 2)]), gG2]), f32(`c_2h_b${a}`, inv2h)]);
      parts.push(gPlus, g.op("Neg", [gPlus]));
    }
    dOut = g.op("Concat", parts, [axis(0)]);
  }
  let gA = s !== 1 ? g.op("Mul", [dOut, f32("c_out_scale_b", s)]) : dOut;
  for (let k = T; k >= 0; k--) {
    g.node("Gemm", [ins[k], gA], [`dW${k}`], [{ name: "transA", i: 1 }]);
    g.node("ReduceSum", [gA, ax0], [`db${k}`], [keep0]);
    if (k === 0) break;
    const gh = g.op("Gemm", [gA, `W${k}`], [{ name: "transB", i: 1 }]);
    gA = g.op("Mul", [gh, mask(g.op("Greater", [pre[k - 1], zero]))]);
  }

  for (const o of ["loss", "l1", "union", "eikonal"]) g.output(o, []);
  shapes.forEach(([i, o], k) => {
    g.output(`dW${k}`, [i, o]);
    g.output(`db${k}`, [o]);
  });
  return g.finish("sdfkit_part_sdf_train");
};

/**
 * Whether the onnx training step covers these options: linear heads and the default loss shape (no clamp,
 * no truncation). Returns the reason when it does not.
 * @internal
 */
export const __partSdfOnnxUnsupported = (specs: PartSdfSpecs, o: { clamp: number; truncation: number }): string | null =>
  specs.head !== 0 ? `hidden head layers (head ${specs.head})` : o.clamp > 0 ? `clamp ${o.clamp}` : o.truncation > 0 ? `truncation ${o.truncation}` : null;

/**
 * A part-wise SDF training step compiled for onnxruntime-node (optional peer dependency of
 * `@sdfkit/sdf-core`): {@link buildPartSdfTrainOnnx}'s graph run with MLAS GEMMs on all cores (or
 * `threads`). Gradients equal TensorFlow.js `variableGrads` of `trainPartSdf`'s loss within float32
 * rounding (tested).
 * @throws UnsupportedError when onnxruntime-node is not installed; InvalidArgumentError as
 *   {@link buildPartSdfTrainOnnx}.
 */
export const createPartSdfTrainStep = async (specs: PartSdfSpecs, loss: PartSdfTrainLoss, opts: { threads?: number } = {}): Promise<PartSdfTrainStep> => {
  const threads = opts.threads ?? 0;
  if (!Number.isInteger(threads) || threads < 0) throw new InvalidArgumentError("createPartSdfTrainStep", "threads", "an integer >= 0", threads);
  const model = buildPartSdfTrainOnnx(specs, loss);
  const ort = await loadOnnxRuntime();
  if (!ort) throw new UnsupportedError("createPartSdfTrainStep needs the optional peer dependency onnxruntime-node (install it with ONNXRUNTIME_NODE_INSTALL_CUDA=skip for CPU only)");
  // no spin-waiting between ops: on a busy machine spinning threads fight the other jobs (measured 45 → 30 ms per step)
  const sessOpts: Record<string, unknown> = { graphOptimizationLevel: "all", executionProviders: ["cpu"], extra: { session: { intra_op: { allow_spinning: "0" } } } };
  if (threads > 0) sessOpts.intraOpNumThreads = threads;
  const session = await ort.InferenceSession.create(model, sessOpts);
  const shapes = __partSdfLayerShapes(specs), P = specs.parts, N = loss.batchSize;
  const M = N + (loss.eikonalWeight > 0 && loss.eikonalPoints > 0 ? 6 * loss.eikonalPoints : 0);
  const Tensor = ort.Tensor as unknown as new (type: string, data: unknown, dims: number[]) => { dispose?: () => void };
  const fetches = ["loss", "l1", "union", "eikonal", ...shapes.flatMap((_, k) => [`dW${k}`, `db${k}`])];
  const fn = "PartSdfTrainStep.step";
  return {
    kind: "onnx",
    async step(params, xyz, gt) {
      if (!Array.isArray(params) || params.length !== 2 * shapes.length || params.some((p, i) => !(p instanceof Float32Array) || p.length !== (i % 2 === 0 ? shapes[i >> 1][0] * shapes[i >> 1][1] : shapes[i >> 1][1])))
        throw new InvalidArgumentError(fn, "params", `${2 * shapes.length} Float32Arrays in PartSdfDecoder.variables order`, params);
      if (!(xyz instanceof Float32Array) || xyz.length !== 3 * M) throw new InvalidArgumentError(fn, "xyz", `a Float32Array of ${M} xyz triples`, xyz);
      if (!(gt instanceof Float32Array) || gt.length !== N * P) throw new InvalidArgumentError(fn, "gt", `a Float32Array of ${N} × ${P} values`, gt);
      const feeds: Record<string, unknown> = { xyz: new Tensor("float32", xyz, [M, 3]), gt: new Tensor("float32", gt, [N, P]) };
      shapes.forEach(([i, o], k) => {
        feeds[`W${k}`] = new Tensor("float32", params[2 * k], [i, o]);
        feeds[`b${k}`] = new Tensor("float32", params[2 * k + 1], [o]);
      });
      const res = await session.run(feeds, fetches);
      const scalar = (k: string) => (res[k].data as Float32Array)[0];
      const out = {
        loss: scalar("loss"),
        l1: scalar("l1"),
        union: scalar("union"),
        eikonal: scalar("eikonal"),
        grads: shapes.flatMap((_, k) => [Float32Array.from(res[`dW${k}`].data as Float32Array), Float32Array.from(res[`db${k}`].data as Float32Array)]),
      };
      for (const k of fetches) res[k].dispose?.();
      for (const t of Object.values(feeds)) (t as { dispose?: () => void }).dispose?.();
      return out;
    },
    async dispose() {
      await session.release();
    },
  };
};

/**
 * @internal Adam over Float32Arrays with TensorFlow.js `tf.train.adam`'s exact arithmetic (β1 0.9,
 * β2 0.999, ε 1e-7 = the float32 backends' epsilon; β^t accumulated in float32; every operation
 * rounded to float32 as the wasm backend does), so a native step engine follows the tfjs optimizer.
 */
export class __AdamF32 {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private accB1 = Math.fround(0.9);
  private accB2 = Math.fround(0.999);
  constructor(readonly params: Float32Array[]) {
    this.m = params.map((p) => new Float32Array(p.length));
    this.v = params.map((p) => new Float32Array(p.length));
  }

  /** One update of `params` in place. */
  apply(grads: Float32Array[], lr: number): void {
    const f = Math.fround, b1 = f(0.9), b2 = f(0.999);
    const o1 = f(1 - this.accB1), o2 = f(1 - this.accB2);
    for (let i = 0; i < this.params.length; i++) __adamF32Update(this.params[i], grads[i], this.m[i], this.v[i], o1, o2, f(-lr));
    this.accB1 = f(this.accB1 * b1);
    this.accB2 = f(this.accB2 * b2);
  }
}

/** @internal tf.train.adam's per-element update in float32 (β1 0.9, β2 0.999, ε 1e-7); o1 = 1 − β1^t, o2 = 1 − β2^t. */
const __adamF32Update = (x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, o1: number, o2: number, nlr: number): void => {
  const f = Math.fround, b1 = f(0.9), b2 = f(0.999), c1 = f(1 - 0.9), c2 = f(1 - 0.999), eps = f(1e-7);
  for (let j = 0; j < x.length; j++) {
    const gj = g[j], mj = f(f(m[j] * b1) + f(gj * c1)), vj = f(f(v[j] * b2) + f(f(gj * gj) * c2));
    m[j] = mj;
    v[j] = vj;
    x[j] = f(f(f(f(mj / o1) / f(f(Math.sqrt(f(vj / o2))) + eps)) * nlr) + x[j]);
  }
};
