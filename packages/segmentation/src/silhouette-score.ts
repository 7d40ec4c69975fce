import { InvalidArgumentError, createRng } from "@sdfkit/sdf-core";
import type { Rng } from "@sdfkit/sdf-core";

/**
 * Mean silhouette coefficient of a clustering (Euclidean; same definition as scikit-learn's
 * `silhouette_score`: points in singleton clusters score 0). O(m · n · dim) for `m` evaluated points:
 * with `sampleSize` < n, a seeded random subset of `sampleSize` points is scored (against all n).
 */
export const silhouetteScore = (x: Float32Array, dim: number, labels: ArrayLike<number>, opts: { sampleSize?: number; rng?: Rng } = {}): number => {
  if (!Number.isInteger(dim) || dim < 1) throw new InvalidArgumentError("silhouetteScore", "dim", "an integer >= 1", dim);
  if (x.length % dim !== 0 || x.length === 0) throw new InvalidArgumentError("silhouetteScore", "x", `a non-empty length divisible by ${dim}`, x.length);
  const n = x.length / dim;
  if (labels.length !== n) throw new InvalidArgumentError("silhouetteScore", "labels", `${n} labels`, labels.length);
  const ids = new Map<number, number>();
  const lab = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let v = ids.get(labels[i]);
    if (v === undefined) ids.set(labels[i], (v = ids.size));
    lab[i] = v;
  }
  const k = ids.size;
  if (k < 2 || k > n - 1) throw new InvalidArgumentError("silhouetteScore", "labels", "between 2 and n-1 distinct labels", k);
  const size = new Float64Array(k);
  for (let i = 0; i < n; i++) size[lab[i]]++;
  const m = Math.min(n, opts.sampleSize ?? n);
  let pick: Uint32Array;
  if (m >= n) pick = Uint32Array.from({ length: n }, (_, i) => i);
  else {
    const rng = opts.rng ?? createRng(0);
    const perm = Uint32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < m; i++) {
      const j = i + rng.int(n - i);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    pick = perm.slice(0, m);
  }
  const sums = new Float64Array(k);
  let total = 0;
  for (const i of pick) {
    sums.fill(0);
    const b = i * dim;
    for (let j = 0; j < n; j++) {
      const c = j * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const t = x[b + d] - x[c + d];
        s += t * t;
      }
      sums[lab[j]] += Math.sqrt(s);
    }
    const own = lab[i];
    if (size[own] <= 1) continue; // silhouette 0
    const a = sums[own] / (size[own] - 1);
    let bb = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && size[c] > 0) bb = Math.min(bb, sums[c] / size[c]);
    const den = Math.max(a, bb);
    total += den > 0 ? (bb - a) / den : 0;
  }
  return total / m;
};
