import * as tf from "@tensorflow/tfjs";
import { createRng, InvalidArgumentError, type Rng, type Sdf } from "@sdfkit/sdf-core";
import { positionalEncoding } from "@sdfkit/sdf-core/model";

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
}

/** Default {@link PartSdfSpecs} (parts must be given). */
export const DEFAULT_PART_SDF_SPECS: Omit<PartSdfSpecs, "parts"> = { trunk: [128, 128, 128], head: 0, peFrequencies: 4 };

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
    for (let k = 0; k < s.parts; k++) this.headLayers.push(s.head > 0 ? [dense(prev, s.head), dense(s.head, 1)] : [dense(prev, 1)]);
  }

  /** All variables (trunk, then heads in part order). */
  get variables(): tf.Variable[] {
    return [...this.trunkLayers, ...this.headLayers.flat()].flatMap((l) => [l.w, l.b]);
  }

  /** Per-part SDFs [N, parts] at points [N, 3]. Call inside `tf.tidy`. */
  forward(xyz: tf.Tensor2D): tf.Tensor2D {
    let h = this.specs.peFrequencies > 0 ? positionalEncoding(xyz, this.specs.peFrequencies) : xyz;
    for (const l of this.trunkLayers) h = tf.relu(__dense(h, l));
    const outs = this.headLayers.map((layers) => {
      let y = h;
      layers.forEach((l, i) => {
        y = __dense(y, l);
        if (i < layers.length - 1) y = tf.relu(y);
      });
      return y;
    });
    return tf.concat(outs, 1) as tf.Tensor2D;
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
  /** Optimisation steps. @defaultValue 1000 */
  steps: number;
  /** Supervised samples per step. @defaultValue 4096 */
  batchSize: number;
  /** Points per step for the eikonal term. @defaultValue 1024 */
  eikonalPoints: number;
  /** Weight of the eikonal term mean (|∇f_k| − 1)² (central differences, h = 1e-3). @defaultValue 0.1 */
  eikonalWeight: number;
  /** Adam learning rate (cosine-decayed to 5 % over the steps). @defaultValue 2e-3 */
  learningRate: number;
  /**
   * Clamp |sdf| of prediction and target to this (DeepSDF δ); 0 = no clamp (the default: the exact part
   * SDFs are valid targets everywhere, and a clamped prediction has no gradient, so a head that starts
   * or drifts beyond +δ everywhere stays outside — seen on the snowman's head). @defaultValue 0
   */
  clamp: number;
  /** Bounds of the uniform samples. @defaultValue [-1, 1] on every axis */
  bounds: { min: [number, number, number]; max: [number, number, number] };
  /** Seeded random source of every sample. @defaultValue createRng(0) */
  rng: Rng;
  /** Called every 50 steps and at the end. */
  onProgress?: (e: { step: number; loss: number; l1: number; eikonal: number }) => void;
}

/** Default {@link TrainPartSdfOptions}. */
export const DEFAULT_TRAIN_PART_SDF: TrainPartSdfOptions = {
  steps: 1000,
  batchSize: 4096,
  eikonalPoints: 1024,
  eikonalWeight: 0.1,
  learningRate: 2e-3,
  clamp: 0,
  bounds: { min: [-1, -1, -1], max: [1, 1, 1] },
  rng: createRng(0),
};

/** @internal Points: 30 % uniform in the bounds, 70 % near the parts' surfaces (pool points + N(0, σ²), σ ∈ {0.01, 0.05}). */
const __samplePoints = (pool: Float32Array, n: number, b: TrainPartSdfOptions["bounds"], rng: Rng): Float32Array => {
  const p = new Float32Array(3 * n), np = pool.length / 3, u = Math.round(0.3 * n);
  for (let i = 0; i < n; i++) {
    if (i < u || np === 0) {
      for (let c = 0; c < 3; c++) p[3 * i + c] = rng.uniform(b.min[c], b.max[c]);
      continue;
    }
    const j = rng.int(np), s = i % 2 === 0 ? 0.01 : 0.05;
    for (let c = 0; c < 3; c++) p[3 * i + c] = pool[3 * j + c] + s * rng.normal();
  }
  return p;
};

/**
 * Train a {@link PartSdfDecoder} with per-part supervision: head k regresses part k's exact SDF
 * (L1, optionally clamped) at points near every part's own surface and uniform in the bounds, plus an
 * eikonal term (|∇f_k| = 1, by central differences so only first-order gradients are needed).
 * `parts` are the ground-truth part SDFs (e.g. `partSdfs(spec)` of an analytic assembly, or pseudo
 * ground truth). Adam, cosine learning-rate decay. Returns the last logged losses.
 */
export const trainPartSdf = async (decoder: PartSdfDecoder, parts: Sdf[], opts: Partial<TrainPartSdfOptions> = {}): Promise<{ loss: number; l1: number; eikonal: number }> => {
  const o = { ...DEFAULT_TRAIN_PART_SDF, rng: createRng(0), ...opts };
  const P = decoder.specs.parts;
  if (!Array.isArray(parts) || parts.length !== P || parts.some((f) => typeof f !== "function"))
    throw new InvalidArgumentError("trainPartSdf", "parts", `${P} Sdf functions (one per head)`, parts);
  for (const [k, v] of [["steps", o.steps], ["batchSize", o.batchSize], ["eikonalPoints", o.eikonalPoints]] as const)
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError("trainPartSdf", k, "an integer >= 1", v);
  if (!(o.learningRate > 0)) throw new InvalidArgumentError("trainPartSdf", "learningRate", "a number > 0", o.learningRate);
  if (!(o.eikonalWeight >= 0)) throw new InvalidArgumentError("trainPartSdf", "eikonalWeight", "a number >= 0", o.eikonalWeight);

  // a pool of points near EVERY part's own surface (rejection from uniform, |d_k| < 0.02, an equal share
  // per part), so a head is also supervised where its part hides inside another part
  const poolN = 20000, per = Math.ceil(poolN / P), pool = new Float32Array(3 * per * P);
  {
    const B = 32768, cand = new Float32Array(3 * B), d = new Float32Array(B);
    let got = 0;
    for (let k = 0; k < P; k++) {
      let mine = 0;
      for (let tries = 0; mine < per && tries < 400; tries++) {
        for (let i = 0; i < 3 * B; i++) cand[i] = o.rng.uniform(o.bounds.min[i % 3], o.bounds.max[i % 3]);
        parts[k](cand, d);
        for (let i = 0; i < B && mine < per; i++)
          if (Math.abs(d[i]) < 0.02) {
            pool.set(cand.subarray(3 * i, 3 * i + 3), 3 * got++);
            mine++;
          }
      }
      if (mine === 0) throw new InvalidArgumentError("trainPartSdf", `parts[${k}]`, "a part SDF with a surface inside the bounds", "no point with |sdf| < 0.02");
    }
  }
  const opt = tf.train.adam(o.learningRate);
  const vars = decoder.variables;
  const h = 1e-3;
  let last = { loss: NaN, l1: NaN, eikonal: NaN };
  for (let step = 0; step < o.steps; step++) {
    const xyz = __samplePoints(pool, o.batchSize, o.bounds, o.rng);
    const gt = new Float32Array(o.batchSize * P), tmp = new Float32Array(o.batchSize);
    parts.forEach((f, k) => {
      f(xyz, tmp);
      for (let i = 0; i < o.batchSize; i++) gt[i * P + k] = tmp[i];
    });
    const ek = __samplePoints(pool, o.eikonalPoints, o.bounds, o.rng);
    const shifted = new Float32Array(ek.length * 6);
    for (let a = 0; a < 3; a++)
      for (const [j, sgn] of [[2 * a, 1], [2 * a + 1, -1]] as const) {
        const off = j * ek.length;
        shifted.set(ek, off);
        for (let i = 0; i < o.eikonalPoints; i++) shifted[off + 3 * i + a] += sgn * h;
      }
    const lr = o.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / o.steps)));
    (opt as unknown as { learningRate: number }).learningRate = lr;
    const res = tf.tidy(() => {
      let l1v: tf.Scalar | null = null, ekv: tf.Scalar | null = null;
      const { value, grads } = tf.variableGrads(() => {
        let pred: tf.Tensor = decoder.forward(tf.tensor2d(xyz, [o.batchSize, 3]));
        let target: tf.Tensor = tf.tensor2d(gt, [o.batchSize, P]);
        if (o.clamp > 0) {
          pred = tf.clipByValue(pred, -o.clamp, o.clamp);
          target = tf.clipByValue(target, -o.clamp, o.clamp);
        }
        const l1 = tf.mean(tf.abs(tf.sub(pred, target))) as tf.Scalar;
        l1v = tf.keep(l1);
        if (o.eikonalWeight === 0) return l1;
        const f = decoder.forward(tf.tensor2d(shifted, [6 * o.eikonalPoints, 3]));
        const m = o.eikonalPoints;
        let g2: tf.Tensor = tf.zeros([m, P]);
        for (let a = 0; a < 3; a++) {
          const d = tf.div(tf.sub(tf.slice(f, [2 * a * m, 0], [m, P]), tf.slice(f, [(2 * a + 1) * m, 0], [m, P])), 2 * h);
          g2 = tf.add(g2, tf.square(d));
        }
        const eik = tf.mean(tf.square(tf.sub(tf.sqrt(tf.add(g2, 1e-12)), 1))) as tf.Scalar;
        ekv = tf.keep(eik);
        return tf.add(l1, tf.mul(o.eikonalWeight, eik)) as tf.Scalar;
      }, vars);
      opt.applyGradients(grads as tf.NamedTensorMap as never);
      return [value, l1v!, ekv ?? tf.scalar(0)].map((t) => tf.keep(t));
    });
    if (step % 50 === 0 || step === o.steps - 1) {
      const [a, b, c] = res.map((t) => t.dataSync()[0]);
      last = { loss: a, l1: b, eikonal: c };
      o.onProgress?.({ step, ...last });
    }
    tf.dispose(res);
    if (step % 20 === 0) await new Promise((r) => setImmediate(r));
  }
  opt.dispose();
  return last;
};
