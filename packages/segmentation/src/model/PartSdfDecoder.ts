import * as tf from "@tensorflow/tfjs";
import { createRng, InvalidArgumentError, sdfGradient, UnsupportedError, type Rng, type Sdf } from "@sdfkit/sdf-core";
import { loadOnnxRuntime, positionalEncoding } from "@sdfkit/sdf-core/model";
import { __AdamF32, __partSdfOnnxUnsupported, createPartSdfTrainStep, type PartSdfTrainStep } from "./part-sdf-train-engine.js";

/** Architecture of a {@link PartSdfDecoder}. */
export interface PartSdfSpecs {
  /** Number of parts = number of SDF heads. */
  parts: number;
  /** Widths of the shared trunk's hidden ReLU layers. */
  trunk: number[];
  /** Width of each head's one hidden ReLU layer (0 = a linear head; the default — hidden ReLU heads were seen to die, a head stuck outside). */
  head: number;
  /** Positional-encoding frequencies of xyz (0 = raw xyz). */
  peFrequencies: number;
  /**
   * Frame of the input: the trunk sees (xyz − center) / scale and the heads' outputs are multiplied by
   * `scale`, so the SDFs stay in world units (|∇f| = 1 holds in both frames). Giving the shape's own box
   * (`partSdfFrame(insideBounds(parts))`: centre, half of its largest side) spends the encoding's
   * frequencies and the trunk's resolution on the shape instead of empty space. @defaultValue
   * { center: [0, 0, 0], scale: 1 } (the [−1, 1]³ cube)
   */
  frame: { center: [number, number, number]; scale: number };
}

/** Default {@link PartSdfSpecs} (parts must be given). */
export const DEFAULT_PART_SDF_SPECS: Omit<PartSdfSpecs, "parts"> = { trunk: [128, 128, 128], head: 0, peFrequencies: 4, frame: { center: [0, 0, 0], scale: 1 } };

/**
 * The {@link PartSdfSpecs.frame} of a box: its centre and half of its largest side, so the box maps into
 * [−1, 1]³ (with its aspect kept). E.g. `partSdfFrame(insideBounds(parts))`.
 * @throws InvalidArgumentError on a box with a non-finite corner or max ≤ min on an axis.
 */
export const partSdfFrame = (box: { min: [number, number, number]; max: [number, number, number] }): PartSdfSpecs["frame"] => {
  const ok = box && [0, 1, 2].every((c) => Number.isFinite(box.min?.[c]) && Number.isFinite(box.max?.[c]) && box.max[c] > box.min[c]);
  if (!ok) throw new InvalidArgumentError("partSdfFrame", "box", "{ min, max } with finite corners and max > min on every axis", box);
  const c = [0, 1, 2].map((a) => (box.min[a] + box.max[a]) / 2) as [number, number, number];
  return { center: c, scale: Math.max(...[0, 1, 2].map((a) => (box.max[a] - box.min[a]) / 2)) };
};

type Dense = { w: tf.Variable; b: tf.Variable };

/**
 * @internal `x·w + b` with an explicit-transpose gradient: the wasm backend's transposed `matMul`
 * (used by the built-in gradient) is 10–15× slower than a plain one (RUNTIME.md; same trick as the
 * DeepSdfDecoder). First-order only — the eikonal term uses central differences.
 */
const __denseFast = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D), tf.sum(dy, 0)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...args: tf.Tensor[]) => tf.Tensor;

const __dense = (x: tf.Tensor2D, l: Dense): tf.Tensor2D => __denseFast(x, l.w, l.b) as tf.Tensor2D;

/**
 * Multi-head SDF decoder: a shared trunk (encoded xyz → ReLU MLP) and one small SDF head per part;
 * the shape's SDF is the union of the parts, min over heads — which keeps the sharp junction a union
 * of separate parts has, where one smooth network blurs it. Parameters are `tf.Variable`s.
 */
export class PartSdfDecoder {
  readonly specs: PartSdfSpecs;
  private readonly trunkLayers: Dense[] = [];
  private readonly headLayers: Dense[][] = [];

  constructor(specs: Partial<PartSdfSpecs> & { parts: number }, opts: { seed?: number } = {}) {
    const s = { ...DEFAULT_PART_SDF_SPECS, ...specs };
    if (!Number.isInteger(s.parts) || s.parts < 1) throw new InvalidArgumentError("PartSdfDecoder", "parts", "an integer >= 1", s.parts);
    if (!Array.isArray(s.trunk) || s.trunk.length === 0 || s.trunk.some((d) => !Number.isInteger(d) || d < 1))
      throw new InvalidArgumentError("PartSdfDecoder", "trunk", "a non-empty array of integer widths >= 1", s.trunk);
    if (!Number.isInteger(s.head) || s.head < 0) throw new InvalidArgumentError("PartSdfDecoder", "head", "an integer >= 0", s.head);
    if (!Number.isInteger(s.peFrequencies) || s.peFrequencies < 0) throw new InvalidArgumentError("PartSdfDecoder", "peFrequencies", "an integer >= 0", s.peFrequencies);
    const fr = s.frame;
    if (!fr || !Array.isArray(fr.center) || fr.center.length !== 3 || !fr.center.every(Number.isFinite) || !(fr.scale > 0 && Number.isFinite(fr.scale)))
      throw new InvalidArgumentError("PartSdfDecoder", "frame", "{ center: 3 finite numbers, scale: a finite number > 0 }", fr);
    this.specs = s;
    const rng = createRng(opts.seed ?? 0);
    const dense = (i: number, o: number): Dense => {
      const bound = 1 / Math.sqrt(i); // PyTorch nn.Linear init
      return {
        w: tf.variable(tf.tensor2d(Float32Array.from({ length: i * o }, () => rng.uniform(-bound, bound)), [i, o])),
        b: tf.variable(tf.tensor1d(Float32Array.from({ length: o }, () => rng.uniform(-bound, bound)))),
      };
    };
    let prev = 3 + 6 * s.peFrequencies;
    for (const d of s.trunk) {
      this.trunkLayers.push(dense(prev, d));
      prev = d;
    }
    // linear heads are one [width, parts] layer (one matMul for all heads; column k = head k)
    if (s.head === 0) this.headLayers.push([dense(prev, s.parts)]);
    else for (let k = 0; k < s.parts; k++) this.headLayers.push([dense(prev, s.head), dense(s.head, 1)]);
  }

  /** All variables (trunk, then heads in part order; linear heads are one [width, parts] layer). */
  get variables(): tf.Variable[] {
    return [...this.trunkLayers, ...this.headLayers.flat()].flatMap((l) => [l.w, l.b]);
  }

  /** Per-part SDFs [N, parts] at points [N, 3]. Call inside `tf.tidy`. */
  forward(xyz: tf.Tensor2D): tf.Tensor2D {
    const { center: c, scale } = this.specs.frame, moved = scale !== 1 || c.some((x) => x !== 0);
    const local = moved ? (tf.div(tf.sub(xyz, tf.tensor1d(c)), scale) as tf.Tensor2D) : xyz;
    let h = this.specs.peFrequencies > 0 ? positionalEncoding(local, this.specs.peFrequencies) : local;
    for (const l of this.trunkLayers) h = tf.relu(__dense(h, l));
    const outs = this.headLayers.map((layers) => {
      let y = h;
      layers.forEach((l, i) => {
        y = __dense(y, l);
        if (i < layers.length - 1) y = tf.relu(y);
      });
      return y;
    });
    const y = (outs.length === 1 ? outs[0] : tf.concat(outs, 1)) as tf.Tensor2D;
    return scale !== 1 ? (tf.mul(y, scale) as tf.Tensor2D) : y;
  }

  /** Per-part SDF values at points (xyz, stride 3): [N × parts] row-major, in batches. */
  evaluateParts(points: Float32Array, opts: { batchSize?: number } = {}): Float32Array {
    const n = __checkPoints("PartSdfDecoder.evaluateParts", points), P = this.specs.parts, bs = opts.batchSize ?? 16384;
    const out = new Float32Array(n * P);
    for (let s = 0; s < n; s += bs) {
      const e = Math.min(n, s + bs);
      out.set(tf.tidy(() => this.forward(tf.tensor2d(points.subarray(3 * s, 3 * e), [e - s, 3])).dataSync()), s * P);
    }
    return out;
  }

  /** One part's SDF as a batch `Sdf`. */
  partSdf(part: number): Sdf {
    if (!Number.isInteger(part) || part < 0 || part >= this.specs.parts) throw new InvalidArgumentError("PartSdfDecoder.partSdf", "part", `an integer in [0, ${this.specs.parts - 1}]`, part);
    return (points, out) => {
      const all = this.evaluateParts(points), n = points.length / 3, P = this.specs.parts;
      const r = out ?? new Float32Array(n);
      for (let i = 0; i < n; i++) r[i] = all[i * P + part];
      return r;
    };
  }

  /** The union SDF (min over heads) as a batch `Sdf`, and optionally the owning head per point. */
  unionSdf(): Sdf {
    return (points, out) => {
      const all = this.evaluateParts(points), n = points.length / 3, P = this.specs.parts;
      const r = out ?? new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let m = all[i * P];
        for (let k = 1; k < P; k++) m = Math.min(m, all[i * P + k]);
        r[i] = m;
      }
      return r;
    };
  }

  /** Part label per point: the head with the smallest SDF (argmin, as the analytic ground truth). */
  labels(points: Float32Array): Uint32Array {
    const all = this.evaluateParts(points), n = points.length / 3, P = this.specs.parts;
    const lab = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let b = 0;
      for (let k = 1; k < P; k++) if (all[i * P + k] < all[i * P + b]) b = k;
      lab[i] = b;
    }
    return lab;
  }

  /** Free every variable. */
  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** @internal */
export const __checkPoints = (fn: string, points: unknown): number => {
  if (!(points instanceof Float32Array) || points.length % 3 !== 0) throw new InvalidArgumentError(fn, "points", "a Float32Array of xyz triples", points);
  for (let i = 0; i < points.length; i++) if (!Number.isFinite(points[i])) throw new InvalidArgumentError(fn, "points", "finite coordinates", `${points[i]} at index ${i}`);
  return points.length / 3;
};

/** Options of {@link trainPartSdf}. */
export interface TrainPartSdfOptions {
  /**
   * Optimisation steps. 9,000 since the onnx engine (4.3× the steps/s of tfjs wasm here): table and chair need
   * 6,000–9,000 for union IoU ≥ 0.97 (jittered grid; at 3,000 they stopped at 0.963 / 0.952), and 9,000 onnx
   * steps take 181 / 226 s on them on a loaded 2-core machine (69–107 s per seed shape when it is quiet) —
   * the wall time 3,000 tfjs steps took (156–244 s per shape). Without
   * onnxruntime-node (engine tfjs) 9,000 steps take about 3× that: 8–12 min per seed shape. @defaultValue 9000
   */
  steps: number;
  /** Supervised samples per step. @defaultValue 1024 */
  batchSize: number;
  /** Points per step for the eikonal term (each costs 6 network evaluations). @defaultValue 128 */
  eikonalPoints: number;
  /** Weight of the eikonal term mean (|∇f_k| − 1)² (central differences, h = 1e-3). @defaultValue 0.1 */
  eikonalWeight: number;
  /** Adam learning rate (cosine-decayed to `learningRateFloor` of it over the steps). @defaultValue 2e-3 */
  learningRate: number;
  /**
   * Fraction of `learningRate` the cosine decay ends at (Adam's last steps move the surface by about the
   * step size: table, 3,000 × 512, union IoU 0.943 with 0.05, 0.950 with 0.005). @defaultValue 0.005
   */
  learningRateFloor: number;
  /**
   * Clamp |sdf| of prediction and target to this (DeepSDF δ); 0 = no clamp (the default: the exact part
   * SDFs are valid targets everywhere, and a clamped prediction has no gradient, so a head that starts
   * or drifts beyond +δ everywhere stays outside — seen on the snowman's head). @defaultValue 0
   */
  clamp: number;
  /**
   * Truncation δ of the regression (0 = none): where |target| ≥ δ a head only has to be on the right
   * side of ±δ (hinge relu(δ − sign(target) · pred)), so its capacity goes to the band near its surface;
   * inside the band plain L1 (unclamped, so a head never loses its gradient). Measured to hurt: with 0.1
   * the barbell's sphere heads grew interior far from the shape (529 of the 64³ nodes over [−1, 1]³
   * outside its box, none without) and IoU inside the box did not improve — leave it at 0. @defaultValue 0
   */
  truncation: number;
  /**
   * Weight of a loss on the union (see `unionRouting`; with "min" it is mean |min_k f_k − min_k d_k|)
   * over the supervised samples, added to the per-part L1 — what the union IoU measures, weighted up where
   * heads overlap. On the table (3,000 steps × 512, min routing, union IoU on a jittered box grid): 0.872
   * without, 0.919 with 1, 0.943 with 3; 10 gave 0.962 but wrecked single heads (a leg's IoU 0.04: another
   * head took its place in the union) — with owner routing 10 keeps every head (9 seed shapes, 9,000 steps:
   * union IoU 0.981–0.999, every part ≥ 0.957). @defaultValue 10
   */
  unionWeight: number;
  /**
   * Which head the union loss moves. `"min"`: the lowest head, both ways (the gradient of |min f − min d|).
   * `"owner"`: relu(min d − min f) + relu(f_owner − min d) — where the union is too low the lowest head
   * goes up, where it is too high the head that owns the point (argmin of the targets) comes down, so a
   * head that is merely nearest never grows into another part. Measured: railing8 (10 thin parts, 3,000
   * steps) per-part IoU 0.527 with min (one head took all 8 balusters) → 0.887 with owner; 9 seed shapes at
   * 9,000 steps with owner and weight 10 against min and 3: union IoU mean 0.995 vs 0.993 (chair 0.981 vs
   * 0.972), per-part mean 0.988 both (barbell's bar 0.957 vs 0.988, the chair's worst part 0.974 vs 0.961).
   * @defaultValue "owner"
   */
  unionRouting: "min" | "owner";
  /** Share of each batch drawn uniformly in the bounds (the rest near the parts' own surfaces). @defaultValue 0.25 */
  uniformFraction: number;
  /**
   * Standard deviation of the fine near-surface jitter, per part or one for all; `"auto"` = a quarter
   * of the part's half-thickness (its largest inscribed radius, estimated from its SDF), clamped to
   * [0.002, 0.01] — thin parts get samples that pin their surface closely. Half of the near-surface
   * samples use it, the other half σ = 0.05. @defaultValue "auto"
   */
  sigma: number | number[] | "auto";
  /**
   * Points on each part's own surface (xyz, stride 3; one array per part), the centres of the
   * near-surface samples. Default: found from the part SDFs (uniform points with |d_k| < 0.1 projected
   * onto d_k = 0 by two Newton steps along the finite-difference gradient). Give them when the part
   * SDFs are expensive (e.g. a mesh's parts: sample each part's triangles).
   */
  surfacePoints?: Float32Array[];
  /** Surface points per part found when `surfacePoints` is not given. @defaultValue 4000 */
  surfacePointsPerPart: number;
  /**
   * Supervised samples drawn and evaluated ONCE before training (same mix as the fresh samples), each step's
   * batch then drawn from them with replacement; 0 = fresh samples every step (the default: analytic part
   * SDFs cost next to nothing). For expensive part SDFs — a mesh's parts, where the targets of a fresh batch
   * cost far more than the network's step — a pool evaluates `poolSize` points instead of `steps × batchSize`
   * (DeepSDF itself trains on a fixed sample set). The eikonal points stay fresh (they need no targets).
   * @defaultValue 0
   */
  poolSize: number;
  /** Called with the pool's progress while it is evaluated (`done` of `total` points). */
  onPoolProgress?: (e: { done: number; total: number }) => void;
  /** Bounds of the uniform samples. @defaultValue [-1, 1] on every axis */
  bounds: { min: [number, number, number]; max: [number, number, number] };
  /** Seeded random source of every sample. @defaultValue createRng(0) */
  rng: Rng;
  /**
   * Where the training step runs. `"onnx"`: forward + backward as one ONNX graph on onnxruntime-node
   * (optional peer of `@sdfkit/sdf-core`; both cores, MLAS GEMMs) with Adam in plain JS (tf.train.adam's
   * arithmetic); it covers linear heads (`head: 0`) and the default loss shape (`clamp` 0, `truncation` 0).
   * `"tfjs"`: TensorFlow.js `variableGrads` + `tf.train.adam` on the active backend. `"auto"`: onnx when
   * onnxruntime-node loads and the options are covered, else tfjs. Both draw the same samples from `rng`.
   * @defaultValue "auto"
   */
  engine: "auto" | "tfjs" | "onnx";
  /** onnxruntime intra-op threads of the onnx engine; 0 = onnxruntime's default (all cores). @defaultValue 0 */
  threads: number;
  /** Called every 100 steps and at the end (with engine onnx the decoder's variables are up to date then). */
  onProgress?: (e: { step: number; loss: number; l1: number; eikonal: number; union: number }) => void;
}

/** Default {@link TrainPartSdfOptions}. */
export const DEFAULT_TRAIN_PART_SDF: TrainPartSdfOptions = {
  steps: 9000,
  batchSize: 1024,
  eikonalPoints: 128,
  eikonalWeight: 0.1,
  learningRate: 2e-3,
  learningRateFloor: 0.005,
  clamp: 0,
  truncation: 0,
  unionWeight: 10,
  unionRouting: "owner",
  uniformFraction: 0.25,
  sigma: "auto",
  surfacePointsPerPart: 4000,
  poolSize: 0,
  bounds: { min: [-1, -1, -1], max: [1, 1, 1] },
  rng: createRng(0),
  engine: "auto",
  threads: 0,
};

/**
 * @internal Points on part `f`'s zero set: uniform candidates with |d| < 0.1, then two Newton steps
 * p ← p − d · ∇d / |∇d|² (central differences), keeping those that end within 1e-3 of the surface.
 */
const __surfacePoints = (f: Sdf, count: number, b: TrainPartSdfOptions["bounds"], rng: Rng, k: number): Float32Array => {
  const B = 16384, cand = new Float32Array(3 * B), d = new Float32Array(B);
  const near = new Float32Array(3 * count);
  let got = 0;
  for (let tries = 0; got < count && tries < 2000 && !(got === 0 && tries >= 100); tries++) {
    for (let i = 0; i < 3 * B; i++) cand[i] = rng.uniform(b.min[i % 3], b.max[i % 3]);
    f(cand, d);
    for (let i = 0; i < B && got < count; i++) if (Math.abs(d[i]) < 0.1) near.set(cand.subarray(3 * i, 3 * i + 3), 3 * got++);
  }
  if (got === 0) throw new InvalidArgumentError("trainPartSdf", `parts[${k}]`, "a part SDF with a surface inside the bounds", "no point with |sdf| < 0.1");
  const p = near.subarray(0, 3 * got), n = got;
  const val = new Float32Array(n), g = new Float32Array(3 * n);
  for (let it = 0; it < 3; it++) {
    f(p, val);
    if (it === 2) break;
    sdfGradient(f, p, { step: 1e-4 }, g);
    for (let i = 0; i < n; i++) {
      const gx = g[3 * i], gy = g[3 * i + 1], gz = g[3 * i + 2];
      const g2 = gx * gx + gy * gy + gz * gz;
      if (!(g2 > 1e-8)) continue;
      const s = val[i] / g2;
      p[3 * i] -= s * gx;
      p[3 * i + 1] -= s * gy;
      p[3 * i + 2] -= s * gz;
    }
  }
  let m = 0;
  for (let i = 0; i < n; i++) if (Math.abs(val[i]) < 1e-3) p.copyWithin(3 * m++, 3 * i, 3 * i + 3);
  if (m === 0) throw new InvalidArgumentError("trainPartSdf", `parts[${k}]`, "a part SDF whose zero set Newton steps can reach", "no projected point within 1e-3 of the surface");
  return p.slice(0, 3 * m);
};

/** @internal Half-thickness of a part (its largest inscribed radius): −min d over its surface points moved inwards. */
const __halfThickness = (f: Sdf, surface: Float32Array, rng: Rng): number => {
  const n = Math.min(surface.length / 3, 2000), q = new Float32Array(3 * n * 8);
  for (let i = 0, j = 0; i < n; i++) {
    const s = 3 * rng.int(surface.length / 3);
    for (let r = 0; r < 8; r++, j++) {
      const t = 0.01 * 2 ** r * 0.25; // 0.0025 … 0.32 in every direction: some land deep inside
      for (let c = 0; c < 3; c++) q[3 * j + c] = surface[s + c] + t * rng.normal();
    }
  }
  const d = f(q);
  let m = 0;
  for (let i = 0; i < d.length; i++) if (d[i] < m) m = d[i];
  return -m;
};

/**
 * Train a {@link PartSdfDecoder} with per-part supervision: head k regresses part k's SDF (L1,
 * optionally clamped) at every sample, plus an eikonal term (|∇f_k| = 1, by central differences so
 * only first-order gradients are needed). Samples: `uniformFraction` uniform in the bounds, the rest
 * near the parts' own surfaces (an equal share per part, so a head is also supervised where its part
 * hides inside another), half with a fine σ scaled to the part's thickness and half with σ = 0.05.
 * `parts` are the ground-truth part SDFs (e.g. `partSdfs(spec)` of an analytic assembly, or pseudo
 * ground truth of a labelled mesh). Adam, cosine learning-rate decay (to 0.5 % by default). Returns the last logged losses.
 * @throws InvalidArgumentError on a part list that does not match the heads, bad counts or rates, or a
 *   part without a surface inside the bounds.
 */
export const trainPartSdf = async (decoder: PartSdfDecoder, parts: Sdf[], opts: Partial<TrainPartSdfOptions> = {}): Promise<{ loss: number; l1: number; eikonal: number; union: number; sigma: number[] }> => {
  const o = { ...DEFAULT_TRAIN_PART_SDF, rng: createRng(0), ...opts };
  const P = decoder.specs.parts, fn = "trainPartSdf";
  if (!Array.isArray(parts) || parts.length !== P || parts.some((f) => typeof f !== "function"))
    throw new InvalidArgumentError(fn, "parts", `${P} Sdf functions (one per head)`, parts);
  if (!Number.isInteger(o.threads) || o.threads < 0) throw new InvalidArgumentError(fn, "threads", "an integer >= 0", o.threads);
  for (const [k, v] of [["steps", o.steps], ["batchSize", o.batchSize], ["eikonalPoints", o.eikonalPoints], ["surfacePointsPerPart", o.surfacePointsPerPart]] as const)
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(fn, k, "an integer >= 1", v);
  if (!Number.isInteger(o.poolSize) || o.poolSize < 0) throw new InvalidArgumentError(fn, "poolSize", "an integer >= 0 (0 = fresh samples every step)", o.poolSize);
  if (!(o.learningRate > 0)) throw new InvalidArgumentError(fn, "learningRate", "a number > 0", o.learningRate);
  if (!(o.learningRateFloor >= 0 && o.learningRateFloor <= 1)) throw new InvalidArgumentError(fn, "learningRateFloor", "a number in [0, 1]", o.learningRateFloor);
  if (!(o.eikonalWeight >= 0)) throw new InvalidArgumentError(fn, "eikonalWeight", "a number >= 0", o.eikonalWeight);
  if (!(o.truncation >= 0)) throw new InvalidArgumentError(fn, "truncation", "a number >= 0", o.truncation);
  if (!(o.unionWeight >= 0)) throw new InvalidArgumentError(fn, "unionWeight", "a number >= 0", o.unionWeight);
  if (o.unionRouting !== "min" && o.unionRouting !== "owner") throw new InvalidArgumentError(fn, "unionRouting", '"min" or "owner"', o.unionRouting);
  if (!(o.uniformFraction >= 0 && o.uniformFraction <= 1)) throw new InvalidArgumentError(fn, "uniformFraction", "a number in [0, 1]", o.uniformFraction);
  const sig = o.sigma;
  if (!(sig === "auto" || (typeof sig === "number" && sig > 0) || (Array.isArray(sig) && sig.length === P && sig.every((x) => x > 0))))
    throw new InvalidArgumentError(fn, "sigma", `"auto", a number > 0 or ${P} numbers > 0`, sig);
  if (o.surfacePoints !== undefined && (!Array.isArray(o.surfacePoints) || o.surfacePoints.length !== P || o.surfacePoints.some((a) => !(a instanceof Float32Array) || a.length < 3 || a.length % 3 !== 0)))
    throw new InvalidArgumentError(fn, "surfacePoints", `${P} non-empty Float32Arrays of xyz triples`, o.surfacePoints);

  if (!["auto", "tfjs", "onnx"].includes(o.engine)) throw new InvalidArgumentError(fn, "engine", '"auto", "tfjs" or "onnx"', o.engine);
  const unsupported = __partSdfOnnxUnsupported(decoder.specs, o);
  if (o.engine === "onnx" && unsupported)
    throw new InvalidArgumentError(fn, "engine", `"auto" or "tfjs" with ${unsupported} (engine "onnx" covers linear heads, clamp 0 and truncation 0)`, o.engine);
  const ort = o.engine === "tfjs" || unsupported ? null : await loadOnnxRuntime();
  if (o.engine === "onnx" && !ort) throw new UnsupportedError('trainPartSdf: engine "onnx" needs the optional peer dependency onnxruntime-node (install it with ONNXRUNTIME_NODE_INSTALL_CUDA=skip for CPU only)');

  const surface = o.surfacePoints ?? parts.map((f, k) => __surfacePoints(f, o.surfacePointsPerPart, o.bounds, o.rng, k));
  const sigma = sig === "auto" ? parts.map((f, k) => Math.min(0.01, Math.max(0.002, __halfThickness(f, surface[k], o.rng) / 4))) : Array.isArray(sig) ? sig.slice() : new Array<number>(P).fill(sig);
  const sample = (n: number): Float32Array => {
    const p = new Float32Array(3 * n), u = Math.round(o.uniformFraction * n);
    for (let i = 0; i < n; i++) {
      if (i < u) {
        for (let c = 0; c < 3; c++) p[3 * i + c] = o.rng.uniform(o.bounds.min[c], o.bounds.max[c]);
        continue;
      }
      const k = i % P, sp = surface[k], j = 3 * o.rng.int(sp.length / 3), s = (i - u) % (2 * P) < P ? sigma[k] : 0.05;
      for (let c = 0; c < 3; c++) p[3 * i + c] = sp[j + c] + s * o.rng.normal();
    }
    return p;
  };

  const pool = o.poolSize > 0 ? await __evaluatePool(parts, sample(o.poolSize), o.onPoolProgress) : null;
  const vars = decoder.variables;
  const h = 1e-3, m = o.eikonalPoints, N = o.batchSize;
  const gt = new Float32Array(N * P), tmp = new Float32Array(N), shifted = new Float32Array(18 * m);
  let last = { loss: NaN, l1: NaN, eikonal: NaN, union: NaN };
  if (ort) {
    const native = await createPartSdfTrainStep(decoder.specs, { batchSize: N, eikonalPoints: m, eikonalWeight: o.eikonalWeight, unionWeight: o.unionWeight, unionRouting: o.unionRouting, h }, { threads: o.threads });
    try {
      await __trainNative(native, vars, o, { sample, parts, gt, tmp, shifted, h, pool }, (e) => (last = e));
    } finally {
      await native.dispose();
    }
    return { ...last, sigma };
  }
  const opt = tf.train.adam(o.learningRate);
  for (let step = 0; step < o.steps; step++) {
    const xyz = __stepSamples(sample, parts, N, m, h, gt, tmp, shifted, pool, o.rng);
    const lr = __learningRate(o, step);
    (opt as unknown as { learningRate: number }).learningRate = lr;
    const res = tf.tidy(() => {
      let l1v: tf.Scalar | null = null, ekv: tf.Scalar | null = null, unv: tf.Scalar | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const r = __partSdfLossTf(decoder, o.eikonalWeight > 0 ? __concat(xyz, shifted) : xyz, gt, N, m, o, h);
        [l1v, ekv, unv] = [tf.keep(r.l1), r.eikonal && tf.keep(r.eikonal), tf.keep(r.union)];
        return r.loss;
      }, vars);
      opt.applyGradients(grads as tf.NamedTensorMap as never);
      return [value, l1v!, ekv ?? tf.scalar(0), unv!].map((t) => tf.keep(t));
    });
    if (step % 100 === 0 || step === o.steps - 1) {
      const [a, b, c, u] = res.map((t) => t.dataSync()[0]);
      last = { loss: a, l1: b, eikonal: c, union: u };
      o.onProgress?.({ step, ...last });
    }
    tf.dispose(res);
    if (step % 20 === 0) await new Promise((r) => setImmediate(r));
  }
  opt.dispose();
  return { ...last, sigma };
};

/** @internal Part SDF values at the pool's points ([n × P] row-major), in chunks (progress between them). */
const __evaluatePool = async (parts: Sdf[], points: Float32Array, onProgress?: (e: { done: number; total: number }) => void): Promise<{ points: Float32Array; sdf: Float32Array }> => {
  const n = points.length / 3, P = parts.length, chunk = 65536, sdf = new Float32Array(n * P), tmp = new Float32Array(chunk);
  for (let s = 0; s < n; s += chunk) {
    const e = Math.min(n, s + chunk), q = points.subarray(3 * s, 3 * e), t = tmp.subarray(0, e - s);
    parts.forEach((f, k) => {
      f(q, t);
      for (let i = 0; i < e - s; i++) sdf[(s + i) * P + k] = t[i];
    });
    onProgress?.({ done: e, total: n });
    await new Promise((r) => setImmediate(r));
  }
  for (let i = 0; i < sdf.length; i++)
    if (!Number.isFinite(sdf[i])) throw new InvalidArgumentError("trainPartSdf", `parts[${i % P}]`, "finite SDF values", `${sdf[i]} at pool point ${Math.floor(i / P)}`);
  return { points, sdf };
};

/** @internal n rows of the pool drawn with replacement: their points (returned) and targets (into `gt`, [n × P]). */
const __drawFromPool = (pool: { points: Float32Array; sdf: Float32Array }, n: number, P: number, rng: Rng, gt: Float32Array): Float32Array => {
  const xyz = new Float32Array(3 * n), size = pool.points.length / 3;
  for (let i = 0; i < n; i++) {
    const j = rng.int(size);
    xyz.set(pool.points.subarray(3 * j, 3 * j + 3), 3 * i);
    gt.set(pool.sdf.subarray(j * P, j * P + P), i * P);
  }
  return xyz;
};

/**
 * @internal trainPartSdf's loss in TensorFlow.js (the tfjs engine; the oracle of the onnx graph's
 * gradients): one forward over the N supervised points and the 6m eikonal stencil points.
 */
export const __partSdfLossTf = (
  decoder: PartSdfDecoder,
  points: Float32Array,
  gt: Float32Array,
  N: number,
  m: number,
  o: Pick<TrainPartSdfOptions, "eikonalWeight" | "unionWeight" | "clamp" | "truncation"> & { unionRouting?: "min" | "owner" },
  h = 1e-3,
): { loss: tf.Scalar; l1: tf.Scalar; union: tf.Scalar; eikonal: tf.Scalar | null } => {
  const P = decoder.specs.parts;
  // one forward pass over the supervised samples and the eikonal stencil
  const all = decoder.forward(tf.tensor2d(points, [o.eikonalWeight > 0 ? N + 6 * m : N, 3]));
  let pred: tf.Tensor = o.eikonalWeight > 0 ? tf.slice(all, [0, 0], [N, P]) : all;
  let target: tf.Tensor = tf.tensor2d(gt, [N, P]);
  const fMin = tf.min(pred, 1), dMin = tf.min(target, 1);
  const unionErr = tf.mean(tf.abs(tf.sub(fMin, dMin))) as tf.Scalar;
  let unionLoss: tf.Scalar = unionErr;
  if (o.unionRouting === "owner" && P > 1) {
    // too low: push the lowest head up; too high: push the head that OWNS the point (argmin of the
    // targets) down, never another head that happens to be nearest (that one would take the part over)
    const fOwner = tf.sum(tf.mul(pred, tf.oneHot(tf.argMin(target, 1), P)), 1);
    unionLoss = tf.mean(tf.add(tf.relu(tf.sub(dMin, fMin)), tf.relu(tf.sub(fOwner, dMin)))) as tf.Scalar;
  }
  const onUnion = o.unionWeight > 0 && P > 1 ? tf.mul(o.unionWeight, unionLoss) : null;
  if (o.clamp > 0) {
    pred = tf.clipByValue(pred, -o.clamp, o.clamp);
    target = tf.clipByValue(target, -o.clamp, o.clamp);
  }
  const err = tf.abs(tf.sub(pred, target));
  const l1 = (o.truncation > 0
    ? tf.mean(tf.where(tf.less(tf.abs(target), o.truncation), err, tf.relu(tf.sub(o.truncation, tf.mul(tf.sign(target), pred)))))
    : tf.mean(err)) as tf.Scalar;
  const fit = onUnion ? (tf.add(l1, onUnion) as tf.Scalar) : l1;
  if (o.eikonalWeight === 0) return { loss: fit, l1, union: unionErr, eikonal: null };
  let g2: tf.Tensor = tf.zeros([m, P]);
  for (let a = 0; a < 3; a++) {
    const d = tf.div(tf.sub(tf.slice(all, [N + 2 * a * m, 0], [m, P]), tf.slice(all, [N + (2 * a + 1) * m, 0], [m, P])), 2 * h);
    g2 = tf.add(g2, tf.square(d));
  }
  const eik = tf.mean(tf.square(tf.sub(tf.sqrt(tf.add(g2, 1e-12)), 1))) as tf.Scalar;
  return { loss: tf.add(fit, tf.mul(o.eikonalWeight, eik)) as tf.Scalar, l1, union: unionErr, eikonal: eik };
};

/** @internal Cosine decay from `learningRate` to `learningRateFloor` of it. */
const __learningRate = (o: TrainPartSdfOptions, step: number): number =>
  o.learningRate * (o.learningRateFloor + (1 - o.learningRateFloor) * 0.5 * (1 + Math.cos((Math.PI * step) / o.steps)));

/**
 * @internal One step's samples (the same RNG draws for both engines): N supervised points (returned) with
 * their part SDFs in `gt` (N × P) — drawn from the pool when there is one — then m eikonal points written as their ±h stencil into `shifted`.
 */
const __stepSamples = (
  sample: (n: number) => Float32Array,
  parts: Sdf[],
  N: number,
  m: number,
  h: number,
  gt: Float32Array,
  tmp: Float32Array,
  shifted: Float32Array,
  pool: { points: Float32Array; sdf: Float32Array } | null,
  rng: Rng,
): Float32Array => {
  const P = parts.length;
  let xyz: Float32Array;
  if (pool) xyz = __drawFromPool(pool, N, P, rng, gt);
  else {
    xyz = sample(N);
    parts.forEach((f, k) => {
      f(xyz, tmp);
      for (let i = 0; i < N; i++) gt[i * P + k] = tmp[i];
    });
  }
  const ek = sample(m);
  for (let a = 0; a < 3; a++)
    for (const [j, sgn] of [[2 * a, 1], [2 * a + 1, -1]] as const) {
      const off = 3 * j * m;
      shifted.set(ek, off);
      for (let i = 0; i < m; i++) shifted[off + 3 * i + a] += sgn * h;
    }
  return xyz;
};

/** @internal The training loop on a native step engine: Adam in JS over Float32Arrays, variables written back for progress and at the end. */
const __trainNative = async (
  native: PartSdfTrainStep,
  vars: tf.Variable[],
  o: TrainPartSdfOptions,
  s: { sample: (n: number) => Float32Array; parts: Sdf[]; gt: Float32Array; tmp: Float32Array; shifted: Float32Array; h: number; pool: { points: Float32Array; sdf: Float32Array } | null },
  setLast: (e: { loss: number; l1: number; eikonal: number; union: number }) => void,
): Promise<void> => {
  const params = vars.map((v) => Float32Array.from(v.dataSync()));
  const writeBack = () => tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(params[i], v.shape))));
  const adam = new __AdamF32(params), N = o.batchSize, m = o.eikonalPoints, eik = o.eikonalWeight > 0;
  const all = new Float32Array(3 * (N + (eik ? 6 * m : 0)));
  try {
    for (let step = 0; step < o.steps; step++) {
      all.set(__stepSamples(s.sample, s.parts, N, m, s.h, s.gt, s.tmp, s.shifted, s.pool, o.rng));
      if (eik) all.set(s.shifted, 3 * N);
      const r = await native.step(params, all, s.gt);
      adam.apply(r.grads, __learningRate(o, step));
      if (step % 100 === 0 || step === o.steps - 1) {
        const e = { loss: r.loss, l1: r.l1, eikonal: r.eikonal, union: r.union };
        setLast(e);
        if (o.onProgress) {
          writeBack();
          o.onProgress({ step, ...e });
        }
      }
    }
  } finally {
    writeBack();
  }
};

/** @internal */
const __concat = (a: Float32Array, b: Float32Array): Float32Array => {
  const r = new Float32Array(a.length + b.length);
  r.set(a);
  r.set(b, a.length);
  return r;
};
