import { createRng, InvalidArgumentError, SdfkitError } from "@sdfkit/sdf-core";
import { DEFAULT_CLASSIFIER, type ClassifierOptions } from "./api.js";
import { kmeans } from "./kmeans.js";

/** Rows of one class that its prototypes' k-means is fitted on (an even stride through the class): bounds the fit's cost. @internal */
const __PROTOTYPE_SAMPLE = 1000;

/** Serialised {@link ActivationClassifier} (plain JSON). */
export interface ActivationClassifierJson {
  kind: "centroid" | "softmax";
  dim: number;
  classes: number;
  mean: number[];
  scale: number[];
  /** centroid: prototypes × dim centroids; softmax: dim × classes weights. */
  weights: number[];
  /** softmax: per-class bias (empty for centroid). */
  bias: number[];
  /** centroid: the class of each prototype (absent: one prototype per class, in class order). */
  prototypeClass?: number[];
  /** centroid with `whiten`: the lower Cholesky factor L (dim × dim, row-major) of the shrunk pooled within-class covariance; features are mapped to L⁻¹ z. */
  whitening?: number[];
}

/** Solves L y = v in place (forward substitution; L lower triangular, dim × dim row-major). @internal */
const __forwardSubstitute = (L: Float64Array, dim: number, v: Float64Array): void => {
  for (let r = 0; r < dim; r++) {
    let s = v[r];
    for (let q = 0, b = r * dim; q < r; q++) s -= L[b + q] * v[q];
    v[r] = s / L[r * dim + r];
  }
};

/** Lower Cholesky factor of a symmetric positive-definite matrix (dim × dim, row-major), or null when it is not. @internal */
const __cholesky = (a: Float64Array, dim: number): Float64Array | null => {
  const L = new Float64Array(dim * dim);
  for (let r = 0; r < dim; r++)
    for (let q = 0; q <= r; q++) {
      let s = a[r * dim + q];
      for (let t = 0; t < q; t++) s -= L[r * dim + t] * L[q * dim + t];
      if (r === q) {
        if (!(s > 0)) return null;
        L[r * dim + r] = Math.sqrt(s);
      } else L[r * dim + q] = s / L[q * dim + q];
    }
  return L;
};

/**
 * Per-point part classifier over activation features: nearest centroid (one mean per class, or several
 * k-means prototypes per class with `prototypes`), or a linear softmax head trained with mini-batch gradient
 * descent; both on standardised features (seeded, plain typed arrays).
 */
export class ActivationClassifier {
  readonly kind: "centroid" | "softmax";
  readonly dim: number;
  readonly classes: number;
  private readonly mean: Float32Array;
  private readonly scale: Float32Array;
  private readonly weights: Float32Array;
  private readonly bias: Float32Array;
  /** centroid: class of each prototype (row of `weights`). */
  private readonly prototypeClass: Uint32Array;
  /** centroid with whitening: Cholesky factor L (features mapped to L⁻¹ z); empty otherwise. */
  private readonly whitening: Float64Array;

  private constructor(j: { kind: "centroid" | "softmax"; dim: number; classes: number; mean: Float32Array; scale: Float32Array; weights: Float32Array; bias: Float32Array; prototypeClass?: Uint32Array; whitening?: Float64Array }) {
    this.kind = j.kind;
    this.dim = j.dim;
    this.classes = j.classes;
    this.mean = j.mean;
    this.scale = j.scale;
    this.weights = j.weights;
    this.bias = j.bias;
    this.prototypeClass = j.prototypeClass ?? Uint32Array.from({ length: j.kind === "centroid" ? j.classes : 0 }, (_, i) => i);
    this.whitening = j.whitening ?? new Float64Array(0);
  }

  /** Fit on `x` (n × dim, flat) with integer labels 0..classes-1. */
  static fit(x: Float32Array, dim: number, labels: ArrayLike<number>, opts: Partial<ClassifierOptions> = {}): ActivationClassifier {
    const o = { ...DEFAULT_CLASSIFIER, rng: createRng(0), ...opts }; // a fresh default rng per call: results never depend on call history
    if (!Number.isInteger(dim) || dim < 1) throw new InvalidArgumentError("ActivationClassifier.fit", "dim", "an integer >= 1", dim);
    if (!(x instanceof Float32Array) || x.length === 0 || x.length % dim !== 0)
      throw new InvalidArgumentError("ActivationClassifier.fit", "x", `a non-empty Float32Array with length divisible by ${dim}`, x);
    const n = x.length / dim;
    if (labels.length !== n) throw new InvalidArgumentError("ActivationClassifier.fit", "labels", `${n} labels`, labels.length);
    let classes = 0;
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (!Number.isInteger(l) || l < 0) throw new InvalidArgumentError("ActivationClassifier.fit", "labels", "integers >= 0", `${l} at index ${i}`);
      if (l + 1 > classes) classes = l + 1;
    }
    if (o.kind !== "centroid" && o.kind !== "softmax") throw new InvalidArgumentError("ActivationClassifier.fit", "kind", '"centroid" or "softmax"', o.kind);
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new InvalidArgumentError("ActivationClassifier.fit", "x", "finite values", `${x[i]} at index ${i}`);
    // standardisation
    const mean = new Float32Array(dim), scale = new Float32Array(dim);
    const m = new Float64Array(dim), v = new Float64Array(dim);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) m[d] += x[i * dim + d];
    for (let d = 0; d < dim; d++) m[d] /= n;
    for (let i = 0; i < n; i++)
      for (let d = 0; d < dim; d++) {
        const t = x[i * dim + d] - m[d];
        v[d] += t * t;
      }
    for (let d = 0; d < dim; d++) {
      mean[d] = m[d];
      const sd = Math.sqrt(v[d] / n);
      scale[d] = sd > 1e-12 ? sd : 1;
    }
    const z = new Float32Array(x.length);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) z[i * dim + d] = (x[i * dim + d] - mean[d]) / scale[d];

    if (o.kind === "centroid") {
      if (!Number.isInteger(o.prototypes) || o.prototypes < 1) throw new InvalidArgumentError("ActivationClassifier.fit", "prototypes", "an integer >= 1", o.prototypes);
      if (!(o.shrinkage >= 0 && o.shrinkage <= 1)) throw new InvalidArgumentError("ActivationClassifier.fit", "shrinkage", "a number in [0, 1]", o.shrinkage);
      let whitening: Float64Array | undefined;
      if (o.whiten) {
        // pooled within-class covariance of the standardised rows, shrunk, then every row mapped to L⁻¹ z
        const mu = new Float64Array(classes * dim), cn = new Float64Array(classes);
        for (let i = 0; i < n; i++) {
          cn[labels[i]]++;
          for (let d = 0; d < dim; d++) mu[labels[i] * dim + d] += z[i * dim + d];
        }
        for (let k = 0; k < classes; k++) for (let d = 0; d < dim; d++) mu[k * dim + d] /= Math.max(1, cn[k]);
        const cov = new Float64Array(dim * dim), r = new Float64Array(dim);
        for (let i = 0; i < n; i++) {
          for (let d = 0; d < dim; d++) r[d] = z[i * dim + d] - mu[labels[i] * dim + d];
          for (let a = 0; a < dim; a++) {
            const ra = r[a];
            if (ra === 0) continue;
            for (let b = 0, row = a * dim; b <= a; b++) cov[row + b] += ra * r[b];
          }
        }
        let trace = 0;
        for (let d = 0; d < dim; d++) trace += cov[d * dim + d] / n;
        const ridge = trace > 0 ? (o.shrinkage * trace) / dim : 1;
        for (let a = 0; a < dim; a++)
          for (let b = 0; b <= a; b++) {
            const v = ((1 - o.shrinkage) * cov[a * dim + b]) / n + (a === b ? ridge : 0);
            cov[a * dim + b] = v;
            cov[b * dim + a] = v;
          }
        whitening = __cholesky(cov, dim) ?? undefined;
        if (!whitening) throw new InvalidArgumentError("ActivationClassifier.fit", "shrinkage", "a value > 0 that makes the within-class covariance positive definite", o.shrinkage);
        const v = new Float64Array(dim);
        for (let i = 0; i < n; i++) {
          for (let d = 0; d < dim; d++) v[d] = z[i * dim + d];
          __forwardSubstitute(whitening, dim, v);
          for (let d = 0; d < dim; d++) z[i * dim + d] = v[d];
        }
      }
      const c = new Float64Array(classes * dim), cnt = new Float64Array(classes);
      for (let i = 0; i < n; i++) {
        cnt[labels[i]]++;
        for (let d = 0; d < dim; d++) c[labels[i] * dim + d] += z[i * dim + d];
      }
      if (o.prototypes === 1) {
        const w = new Float32Array(classes * dim);
        // empty classes get +Infinity distance through NaN-free huge centroids
        for (let k = 0; k < classes; k++) for (let d = 0; d < dim; d++) w[k * dim + d] = cnt[k] > 0 ? c[k * dim + d] / cnt[k] : 1e30;
        return new ActivationClassifier({ kind: "centroid", dim, classes, mean, scale, weights: w, bias: new Float32Array(0), whitening });
      }
      // several prototypes per class: k-means inside each class (classes in order, one rng stream); empty classes get none
      const rows: Float32Array[] = [], owner: number[] = [];
      for (let k = 0; k < classes; k++) {
        if (cnt[k] === 0) continue;
        // the class's rows, at most __PROTOTYPE_SAMPLE of them (an even stride through the class, no randomness)
        const m = Math.min(cnt[k], __PROTOTYPE_SAMPLE), step = cnt[k] / m, zk = new Float32Array(m * dim);
        for (let i = 0, r = 0, next = 0; i < n && next < m; i++) if (labels[i] === k && r++ === Math.floor(next * step)) zk.set(z.subarray(i * dim, (i + 1) * dim), dim * next++);
        const p = Math.min(o.prototypes, m);
        const cen = p === 1 ? Float32Array.from(c.subarray(k * dim, (k + 1) * dim), (s) => s / cnt[k]) : kmeans(zk, dim, p, { rng: o.rng, restarts: 4 }).centroids;
        for (let j = 0; j < p; j++) {
          rows.push(cen.subarray(j * dim, (j + 1) * dim));
          owner.push(k);
        }
      }
      const w = new Float32Array(rows.length * dim);
      rows.forEach((r, j) => w.set(r, j * dim));
      return new ActivationClassifier({ kind: "centroid", dim, classes, mean, scale, weights: w, bias: new Float32Array(0), prototypeClass: Uint32Array.from(owner), whitening });
    }

    if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new InvalidArgumentError("ActivationClassifier.fit", "epochs", "an integer >= 1", o.epochs);
    if (!(o.learningRate > 0)) throw new InvalidArgumentError("ActivationClassifier.fit", "learningRate", "a number > 0", o.learningRate);
    if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new InvalidArgumentError("ActivationClassifier.fit", "batchSize", "an integer >= 1", o.batchSize);
    const W = new Float32Array(dim * classes), b = new Float32Array(classes);
    for (let i = 0; i < W.length; i++) W[i] = 0.01 * o.rng.normal();
    const gW = new Float64Array(dim * classes), gb = new Float64Array(classes);
    const p = new Float64Array(classes);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let ep = 0; ep < o.epochs; ep++) {
      for (let i = n - 1; i > 0; i--) {
        const j = o.rng.int(i + 1);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (let s = 0; s < n; s += o.batchSize) {
        const e = Math.min(n, s + o.batchSize);
        gW.fill(0);
        gb.fill(0);
        for (let q = s; q < e; q++) {
          const i = order[q], zi = i * dim;
          let mx = -Infinity;
          for (let k = 0; k < classes; k++) {
            let a = b[k];
            for (let d = 0; d < dim; d++) a += z[zi + d] * W[d * classes + k];
            p[k] = a;
            if (a > mx) mx = a;
          }
          let sum = 0;
          for (let k = 0; k < classes; k++) sum += p[k] = Math.exp(p[k] - mx);
          for (let k = 0; k < classes; k++) {
            const g = p[k] / sum - (k === labels[i] ? 1 : 0);
            gb[k] += g;
            for (let d = 0; d < dim; d++) gW[d * classes + k] += g * z[zi + d];
          }
        }
        const lr = o.learningRate / (e - s);
        for (let q = 0; q < W.length; q++) W[q] -= lr * gW[q] + o.learningRate * o.weightDecay * W[q];
        for (let k = 0; k < classes; k++) b[k] -= lr * gb[k];
      }
    }
    for (let q = 0; q < W.length; q++) if (!Number.isFinite(W[q])) throw new SdfkitError("ActivationClassifier.fit: softmax training diverged (lower learningRate)", "TRAINING_DIVERGED");
    return new ActivationClassifier({ kind: "softmax", dim, classes, mean, scale, weights: W, bias: b });
  }

  /** Predicted class per point of `x` (n × dim, flat). */
  predict(x: Float32Array, out?: Uint32Array): Uint32Array {
    const dim = this.dim, C = this.classes;
    if (!(x instanceof Float32Array) || x.length % dim !== 0) throw new InvalidArgumentError("ActivationClassifier.predict", "x", `a Float32Array with length divisible by ${dim}`, x);
    const n = x.length / dim;
    const res = out ?? new Uint32Array(n);
    if (res.length !== n) throw new InvalidArgumentError("ActivationClassifier.predict", "out", `a Uint32Array of length ${n}`, res.length);
    const z = new Float64Array(dim);
    const P = this.kind === "centroid" ? this.prototypeClass.length : C;
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dim; d++) z[d] = (x[i * dim + d] - this.mean[d]) / this.scale[d];
      if (this.whitening.length > 0) __forwardSubstitute(this.whitening, dim, z);
      let best = 0, bestV = Infinity;
      for (let k = 0; k < P; k++) {
        let v = 0;
        if (this.kind === "centroid") {
          for (let d = 0; d < dim; d++) {
            const t = z[d] - this.weights[k * dim + d];
            v += t * t;
          }
        } else {
          v = -this.bias[k];
          for (let d = 0; d < dim; d++) v -= z[d] * this.weights[d * C + k];
        }
        if (v < bestV) [best, bestV] = [k, v];
      }
      res[i] = this.kind === "centroid" ? this.prototypeClass[best] : best;
    }
    return res;
  }

  /** Plain-JSON form, restorable with {@link ActivationClassifier.fromJSON}. */
  toJSON(): ActivationClassifierJson {
    const j: ActivationClassifierJson = { kind: this.kind, dim: this.dim, classes: this.classes, mean: [...this.mean], scale: [...this.scale], weights: [...this.weights], bias: [...this.bias] };
    if (this.kind === "centroid") j.prototypeClass = [...this.prototypeClass];
    if (this.whitening.length > 0) j.whitening = [...this.whitening];
    return j;
  }

  /** Restore a classifier from {@link ActivationClassifier.toJSON} output. */
  static fromJSON(j: ActivationClassifierJson): ActivationClassifier {
    const bad = (what: string, got: unknown) => new InvalidArgumentError("ActivationClassifier.fromJSON", what, "a value as written by toJSON", got);
    if (!j || (j.kind !== "centroid" && j.kind !== "softmax")) throw bad("kind", j?.kind);
    if (!Number.isInteger(j.dim) || j.dim < 1) throw bad("dim", j.dim);
    if (!Number.isInteger(j.classes) || j.classes < 1) throw bad("classes", j.classes);
    if (!Array.isArray(j.mean) || j.mean.length !== j.dim) throw bad("mean", j.mean);
    if (!Array.isArray(j.scale) || j.scale.length !== j.dim) throw bad("scale", j.scale);
    const pc = j.kind === "centroid" ? (j.prototypeClass ?? Array.from({ length: j.classes }, (_, i) => i)) : [];
    if (!Array.isArray(pc) || (j.kind === "centroid" && pc.length === 0) || pc.some((c) => !Number.isInteger(c) || c < 0 || c >= j.classes)) throw bad("prototypeClass", j.prototypeClass);
    if (j.kind === "softmax" && j.prototypeClass !== undefined) throw bad("prototypeClass", j.prototypeClass);
    if (j.whitening !== undefined && (j.kind !== "centroid" || !Array.isArray(j.whitening) || j.whitening.length !== j.dim * j.dim || j.whitening.some((v, i) => !Number.isFinite(v) || (i % (j.dim + 1) === 0 && !(v > 0)))))
      throw bad("whitening", j.whitening);
    if (!Array.isArray(j.weights) || j.weights.length !== j.dim * (j.kind === "centroid" ? pc.length : j.classes)) throw bad("weights", j.weights);
    if (!Array.isArray(j.bias) || j.bias.length !== (j.kind === "softmax" ? j.classes : 0)) throw bad("bias", j.bias);
    return new ActivationClassifier({ kind: j.kind, dim: j.dim, classes: j.classes, mean: Float32Array.from(j.mean), scale: Float32Array.from(j.scale), weights: Float32Array.from(j.weights), bias: Float32Array.from(j.bias), prototypeClass: j.kind === "centroid" ? Uint32Array.from(pc) : undefined, whitening: j.whitening ? Float64Array.from(j.whitening) : undefined });
  }
}

/** Fraction of equal entries of two label arrays of the same length. */
export const accuracy = (truth: ArrayLike<number>, pred: ArrayLike<number>): number => {
  if (truth.length !== pred.length || truth.length === 0) throw new InvalidArgumentError("accuracy", "pred", `a non-empty labeling of length ${truth.length}`, pred.length);
  let hit = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === pred[i]) hit++;
  return hit / truth.length;
};
