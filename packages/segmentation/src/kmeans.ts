import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import type { Rng } from "@sdfkit/sdf-core";
import { DEFAULT_KMEANS, type KMeansOptions, type KMeansResult } from "./api.js";

/**
 * k-means (Lloyd) over `n = x.length / dim` points stored flat in `x`, with k-means++ (or random)
 * seeding and `restarts` independent runs; returns the run with the lowest inertia.
 * All randomness comes from `opts.rng`.
 */
export const kmeans = (x: Float32Array, dim: number, k: number, opts: Partial<KMeansOptions> = {}): KMeansResult => {
  const o = { ...DEFAULT_KMEANS, rng: createRng(0), ...opts }; // a fresh default rng per call: results never depend on call history
  if (!(x instanceof Float32Array)) throw new InvalidArgumentError("kmeans", "x", "a Float32Array", x);
  if (!Number.isInteger(dim) || dim < 1) throw new InvalidArgumentError("kmeans", "dim", "an integer >= 1", dim);
  if (x.length % dim !== 0) throw new InvalidArgumentError("kmeans", "x", `a length divisible by dim ${dim}`, x.length);
  const n = x.length / dim;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new InvalidArgumentError("kmeans", "k", `an integer in [1, ${n}]`, k);
  if (!Number.isInteger(o.restarts) || o.restarts < 1) throw new InvalidArgumentError("kmeans", "restarts", "an integer >= 1", o.restarts);
  if (!Number.isInteger(o.maxIter) || o.maxIter < 1) throw new InvalidArgumentError("kmeans", "maxIter", "an integer >= 1", o.maxIter);
  if (!(o.tol >= 0)) throw new InvalidArgumentError("kmeans", "tol", "a number >= 0", o.tol);
  if (o.init !== "kmeans++" && o.init !== "random") throw new InvalidArgumentError("kmeans", "init", '"kmeans++" or "random"', o.init);
  if (o.initialCentroids && o.initialCentroids.length !== k * dim)
    throw new InvalidArgumentError("kmeans", "initialCentroids", `a Float32Array of length k*dim = ${k * dim}`, o.initialCentroids);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new InvalidArgumentError("kmeans", "x", "finite values", `${x[i]} at index ${i}`);

  // tolerance relative to the data variance (as scikit-learn)
  let varSum = 0;
  for (let d = 0; d < dim; d++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * dim + d];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const t = x[i * dim + d] - m;
      v += t * t;
    }
    varSum += v / n;
  }
  const tol = (o.tol * varSum) / dim;
  // squared norms of the points, reused by every distance evaluation
  const xn = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0, b = i * dim; d < dim; d++) s += x[b + d] * x[b + d];
    xn[i] = s;
  }

  let best: KMeansResult | undefined;
  for (let r = 0; r < o.restarts; r++) {
    const c0 = r === 0 && o.initialCentroids ? Float64Array.from(o.initialCentroids) : o.init === "kmeans++" ? seedPlusPlus(x, n, dim, k, o.rng) : seedRandom(x, n, dim, k, o.rng);
    const res = lloyd(x, xn, n, dim, k, c0, o.maxIter, tol);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best!;
};

const seedRandom = (x: Float32Array, n: number, dim: number, k: number, rng: Rng): Float64Array => {
  const c = new Float64Array(k * dim);
  // k distinct indices (partial Fisher-Yates over a sparse map)
  const swap = new Map<number, number>();
  for (let j = 0; j < k; j++) {
    const t = j + rng.int(n - j);
    const pick = swap.get(t) ?? t;
    swap.set(t, swap.get(j) ?? j);
    for (let d = 0; d < dim; d++) c[j * dim + d] = x[pick * dim + d];
  }
  return c;
};

/** k-means++ with sklearn's greedy variant (2 + log k candidates per step, keep the best). */
const seedPlusPlus = (x: Float32Array, n: number, dim: number, k: number, rng: Rng): Float64Array => {
  const c = new Float64Array(k * dim);
  const closest = new Float64Array(n);
  const cand = new Float64Array(n);
  const trials = 2 + Math.floor(Math.log(k));
  let first = rng.int(n);
  for (let d = 0; d < dim; d++) c[d] = x[first * dim + d];
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDistPoint(x, i, dim, x, first);
    pot += closest[i];
  }
  const bestD = new Float64Array(n);
  for (let j = 1; j < k; j++) {
    let bestPot = Infinity, bestIdx = 0;
    for (let t = 0; t < trials; t++) {
      let idx: number;
      if (pot <= 0) idx = rng.int(n);
      else {
        let u = rng.next() * pot;
        idx = n - 1;
        for (let i = 0; i < n; i++) {
          u -= closest[i];
          if (u < 0) {
            idx = i;
            break;
          }
        }
      }
      let p = 0;
      for (let i = 0; i < n; i++) {
        const dd = Math.min(closest[i], sqDistPoint(x, i, dim, x, idx));
        cand[i] = dd;
        p += dd;
      }
      if (p < bestPot) {
        bestPot = p;
        bestIdx = idx;
        bestD.set(cand);
      }
    }
    first = bestIdx;
    for (let d = 0; d < dim; d++) c[j * dim + d] = x[bestIdx * dim + d];
    closest.set(bestD);
    pot = bestPot;
  }
  return c;
};

const sqDistPoint = (a: Float32Array, i: number, dim: number, b: Float32Array, j: number): number => {
  let s = 0;
  const ai = i * dim, bj = j * dim;
  for (let d = 0; d < dim; d++) {
    const t = a[ai + d] - b[bj + d];
    s += t * t;
  }
  return s;
};

/**
 * Lloyd iterations. Every assignment computes cn[j] − 2 x·c_j (float32 rows and centroids, float64 sums) and
 * takes the first minimum; between iterations, Hamerly's bounds skip a point whose assigned centroid is
 * certainly still the nearest: an upper bound on its distance to that centroid and a lower bound on its distance
 * to every other, both moved by how far the centroids moved. A point is skipped only when the gap exceeds a
 * margin far above the rounding of the distances, so the labels are those of the full computation; the first
 * and the last assignment are full.
 */
const lloyd = (x: Float32Array, xn: Float64Array, n: number, dim: number, k: number, c: Float64Array, maxIter: number, tol: number): KMeansResult => {
  const labels = new Uint32Array(n);
  const sums = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  const cn = new Float64Array(k);
  const dist = new Float64Array(n);
  const upper = new Float64Array(n), lower = new Float64Array(n), stale = new Uint8Array(n);
  const prev = new Float64Array(k * dim), move = new Float64Array(k);
  let iterations = 0;
  let changed = 0;
  let cmax = 0;
  const cf = new Float32Array(k * dim);
  /** cn[j] − 2 x_i·c_j (4 independent accumulators let V8 overlap the multiply-adds). */
  const score = (b: number, j: number): number => {
    const cb = j * dim;
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d = 0;
    for (; d + 3 < dim; d += 4) {
      d0 += x[b + d] * cf[cb + d];
      d1 += x[b + d + 1] * cf[cb + d + 1];
      d2 += x[b + d + 2] * cf[cb + d + 2];
      d3 += x[b + d + 3] * cf[cb + d + 3];
    }
    for (; d < dim; d++) d0 += x[b + d] * cf[cb + d];
    return cn[j] - 2 * (d0 + d1 + d2 + d3);
  };
  const assign = (full: boolean): void => {
    cf.set(c);
    cmax = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let d = 0, b = j * dim; d < dim; d++) s += cf[b + d] * cf[b + d];
      cn[j] = s;
      cmax = Math.max(cmax, Math.sqrt(s));
    }
    changed = 0;
    for (let i = 0; i < n; i++) {
      const b = i * dim;
      if (!full) {
        const margin = 1e-6 * (Math.sqrt(xn[i]) + cmax) + 1e-12;
        if (upper[i] + margin < lower[i]) {
          stale[i] = 1;
          continue;
        }
        const va = score(b, labels[i]);
        upper[i] = Math.sqrt(Math.max(0, xn[i] + va));
        if (upper[i] + margin < lower[i]) {
          dist[i] = Math.max(0, xn[i] + va);
          stale[i] = 0;
          continue;
        }
      }
      let bestJ = 0, bestV = Infinity, secondV = Infinity;
      for (let j = 0; j < k; j++) {
        const v = score(b, j);
        if (v < bestV) {
          secondV = bestV;
          bestV = v;
          bestJ = j;
        } else if (v < secondV) secondV = v;
      }
      if (labels[i] !== bestJ) changed++;
      labels[i] = bestJ;
      dist[i] = Math.max(0, xn[i] + bestV);
      stale[i] = 0;
      upper[i] = Math.sqrt(dist[i]);
      lower[i] = k > 1 ? Math.sqrt(Math.max(0, xn[i] + secondV)) : Infinity;
    }
  };
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    assign(it === 0);
    // strict convergence: no point changed cluster since the last update (as scikit-learn)
    if (it > 0 && changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = labels[i], b = i * dim, cb = j * dim;
      counts[j]++;
      for (let d = 0; d < dim; d++) sums[cb + d] += x[b + d];
    }
    prev.set(c);
    let shift = 0;
    for (let j = 0; j < k; j++) {
      const cb = j * dim;
      if (counts[j] === 0) {
        // empty cluster: move it to the point farthest from its centroid (skipped points' distances brought up to date first)
        for (let i = 0; i < n; i++)
          if (stale[i]) {
            dist[i] = Math.max(0, xn[i] + score(i * dim, labels[i]));
            stale[i] = 0;
          }
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
        dist[far] = 0;
        for (let d = 0; d < dim; d++) {
          const t = x[far * dim + d] - c[cb + d];
          shift += t * t;
          c[cb + d] = x[far * dim + d];
        }
        continue;
      }
      for (let d = 0; d < dim; d++) {
        const v = sums[cb + d] / counts[j];
        const t = v - c[cb + d];
        shift += t * t;
        c[cb + d] = v;
      }
    }
    if (shift <= tol) break;
    // the bounds follow the centroids: the own one moved at most move[a] away, any other came at most max(move) closer
    let maxMove = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let d = 0, cb = j * dim; d < dim; d++) s += (c[cb + d] - prev[cb + d]) ** 2;
      move[j] = Math.sqrt(s);
      maxMove = Math.max(maxMove, move[j]);
    }
    for (let i = 0; i < n; i++) {
      upper[i] += move[labels[i]];
      lower[i] -= maxMove;
    }
  }
  assign(true);
  // exact inertia (the expanded form loses precision for far-off data)
  let exact = 0;
  for (let i = 0; i < n; i++) {
    const b = i * dim, cb = labels[i] * dim;
    for (let d = 0; d < dim; d++) {
      const t = x[b + d] - c[cb + d];
      exact += t * t;
    }
  }
  return { labels, centroids: Float32Array.from(c), inertia: exact, iterations };
};
