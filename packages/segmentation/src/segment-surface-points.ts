import { InvalidArgumentError, KdTree, createRng } from "@sdfkit/sdf-core";
import type { SegmentSurfacePointsOptions, SurfacePointSegmentation } from "./api.js";
import { DEFAULT_SEGMENT_SURFACE_POINTS } from "./api.js";
import { __concavity } from "./internal/concavity.js";
import { __topEigenpairs } from "./internal/lanczos.js";
import { kmeans } from "./kmeans.js";
import { standardize } from "./standardize.js";

/**
 * Label-free part segmentation of points on (or near) a surface, from the surface's own creases:
 * parts of a union meet at concave creases, so the points are joined in a k-nearest-neighbour graph
 * whose edge weight falls with the concavity between the two points' normals,
 * `w = exp(−(c / creaseScale)²)` with `c = max(0, −(n_i − n_j)·(p_i − p_j) / |p_i − p_j|)` (0 on flat and
 * convex pairs), optionally times a self-tuning feature affinity `exp(−|f_i − f_j|² / (s_i s_j))` (e.g. a
 * decoder layer's standardised activations; `s_i` is point i's median feature distance to its
 * neighbours). The graph is cut into `k` parts by spectral clustering: the k − 1 leading non-trivial
 * eigenvectors of D^−½ W D^−½ (Lanczos), each scaled by 1/√(its Laplacian eigenvalue), then k-means.
 * For a decoder, the normals are its gradient (e.g. central differences of `toSdf`) at the points.
 *
 * @param points - xyz, stride 3, n ≥ k + 1 points.
 * @param normals - one direction per point (need not be unit length; a zero vector carries no crease).
 * @param k - number of parts (≥ 2).
 * @throws InvalidArgumentError on malformed points, normals, features or options.
 * @example
 * const seg = segmentSurfacePoints(points, normals, 3, { rng: createRng(1) }); // seg.labels: part per point
 */
export const segmentSurfacePoints = (points: Float32Array, normals: Float32Array, k: number, opts: Partial<SegmentSurfacePointsOptions> = {}): SurfacePointSegmentation => {
  const o = { ...DEFAULT_SEGMENT_SURFACE_POINTS, rng: createRng(0), ...opts };
  const fn = "segmentSurfacePoints";
  if (!(points instanceof Float32Array) || points.length % 3 !== 0) throw new InvalidArgumentError(fn, "points", "a Float32Array of xyz triples", points);
  const n = points.length / 3;
  if (!(normals instanceof Float32Array) || normals.length !== 3 * n) throw new InvalidArgumentError(fn, "normals", `a Float32Array of ${3 * n} values (one xyz per point)`, normals);
  for (let i = 0; i < 3 * n; i++) {
    if (!Number.isFinite(points[i])) throw new InvalidArgumentError(fn, "points", "finite coordinates", `${points[i]} at index ${i}`);
    if (!Number.isFinite(normals[i])) throw new InvalidArgumentError(fn, "normals", "finite values", `${normals[i]} at index ${i}`);
  }
  if (!Number.isInteger(k) || k < 2 || k > n - 1) throw new InvalidArgumentError(fn, "k", `an integer in [2, ${Math.max(2, n - 1)}] (points: ${n})`, k);
  if (!Number.isInteger(o.neighbors) || o.neighbors < 1 || o.neighbors > n - 1) throw new InvalidArgumentError(fn, "opts.neighbors", `an integer in [1, ${n - 1}]`, o.neighbors);
  if (!(o.creaseScale > 0)) throw new InvalidArgumentError(fn, "opts.creaseScale", "a number > 0", o.creaseScale);
  if (!(o.minWeight > 0 && o.minWeight < 1)) throw new InvalidArgumentError(fn, "opts.minWeight", "a number in (0, 1)", o.minWeight);
  if (!Number.isInteger(o.restarts) || o.restarts < 1) throw new InvalidArgumentError(fn, "opts.restarts", "an integer >= 1", o.restarts);
  if (!Number.isInteger(o.maxGraphPoints) || o.maxGraphPoints < Math.max(k + 1, o.neighbors + 1)) throw new InvalidArgumentError(fn, "opts.maxGraphPoints", `an integer >= ${Math.max(k + 1, o.neighbors + 1)}`, o.maxGraphPoints);
  let feat: { data: Float32Array; dim: number } | undefined;
  if (o.features !== undefined) {
    const f = o.features;
    if (!f || !(f.data instanceof Float32Array) || !Number.isInteger(f.dim) || f.dim < 1 || f.data.length !== n * f.dim)
      throw new InvalidArgumentError(fn, "opts.features", `{ data: Float32Array of ${n} × dim, dim }`, f);
    feat = { data: o.standardizeFeatures ? standardize(f.data, f.dim).data : f.data, dim: f.dim };
  }

  // unit normals (zero stays zero)
  const nrm = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const x = normals[3 * i], y = normals[3 * i + 1], z = normals[3 * i + 2], l = Math.hypot(x, y, z);
    if (l > 0) {
      nrm[3 * i] = x / l;
      nrm[3 * i + 1] = y / l;
      nrm[3 * i + 2] = z / l;
    }
  }
  if (n <= o.maxGraphPoints) return __segmentGraph(points, nrm, feat, k, o);
  // landmark spectral clustering: the graph and its spectrum on a seeded uniform subset, then every other
  // point takes the majority part of its nearest landmarks
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < o.maxGraphPoints; i++) {
    const j = i + o.rng.int(n - i), t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  const sub = idx.slice(0, o.maxGraphPoints).sort();
  const pick = (x: Float32Array, dim: number) => {
    const out = new Float32Array(sub.length * dim);
    sub.forEach((v, r) => out.set(x.subarray(v * dim, (v + 1) * dim), r * dim));
    return out;
  };
  const subPts = pick(points, 3);
  const seg = __segmentGraph(subPts, pick(nrm, 3), feat && { data: pick(feat.data, feat.dim), dim: feat.dim }, k, o);
  const near = new KdTree(subPts).nearestKBatch(points, Math.min(5, sub.length));
  const q = near.index.length / n, labels = new Uint32Array(n), votes = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    votes.fill(0);
    for (let j = 0; j < q; j++) votes[seg.labels[near.index[i * q + j]]] += 1 / (1 + j); // nearer landmarks weigh more
    let best = 0;
    for (let c = 1; c < k; c++) if (votes[c] > votes[best]) best = c;
    labels[i] = best;
  }
  return { ...seg, labels };
};

/** @internal The crease graph, its spectrum and the k-way cut of the given points (unit normals). */
const __segmentGraph = (points: Float32Array, nrm: Float32Array, feat: { data: Float32Array; dim: number } | undefined, k: number, o: SegmentSurfacePointsOptions): SurfacePointSegmentation => {
  const n = points.length / 3;
  const K = o.neighbors;
  const knn = new KdTree(points).nearestKBatch(points, K + 1);
  // directed neighbour lists without self (duplicates of a point may come first instead of itself)
  const nb = new Uint32Array(n * K);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 0; j <= K && c < K; j++) {
      const t = knn.index[i * (K + 1) + j];
      if (t !== i) nb[i * K + c++] = t;
    }
  }
  // self-tuning feature scale: median feature distance to the neighbours
  const fscale = new Float64Array(n);
  if (feat) {
    const tmp = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < K; c++) tmp[c] = __dist2(feat.data, feat.dim, i, nb[i * K + c]);
      tmp.sort();
      fscale[i] = Math.sqrt(tmp[K >> 1]) + 1e-12;
    }
  }
  const weight = (i: number, j: number): number => {
    let e = (__concavity(points, nrm, i, j) / o.creaseScale) ** 2;
    if (feat) e += __dist2(feat.data, feat.dim, i, j) / (fscale[i] * fscale[j]);
    return Math.max(o.minWeight, Math.exp(-e));
  };
  // undirected edge set (union of the kNN relations) as CSR
  const keys: number[] = [];
  for (let i = 0; i < n; i++)
    for (let c = 0; c < K; c++) {
      const j = nb[i * K + c];
      keys.push(i < j ? i * n + j : j * n + i);
    }
  __joinComponents(points, n, keys);
  const uniq = Float64Array.from(keys).sort();
  const deg = new Uint32Array(n + 1);
  let m = 0;
  for (let e = 0; e < uniq.length; e++) {
    if (e > 0 && uniq[e] === uniq[e - 1]) continue;
    uniq[m++] = uniq[e];
    const i = Math.floor(uniq[e] / n), j = uniq[e] - i * n;
    deg[i + 1]++;
    deg[j + 1]++;
  }
  for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
  const adj = new Uint32Array(deg[n]), w = new Float64Array(deg[n]), fill = deg.slice(0, n);
  for (let e = 0; e < m; e++) {
    const i = Math.floor(uniq[e] / n), j = uniq[e] - i * n, v = weight(i, j);
    adj[fill[i]] = j;
    w[fill[i]++] = v;
    adj[fill[j]] = i;
    w[fill[j]++] = v;
  }
  const dinv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let e = deg[i]; e < deg[i + 1]; e++) s += w[e];
    dinv[i] = 1 / Math.sqrt(s);
  }
  // M = D^-1/2 W D^-1/2; its top eigenvalue is 1 (vector √deg); Laplacian eigenvalue λ = 1 − μ
  const apply = (x: Float64Array, y: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let e = deg[i]; e < deg[i + 1]; e++) s += w[e] * dinv[adj[e]] * x[adj[e]];
      y[i] = dinv[i] * s;
    }
  };
  const count = Math.min(n - 1, o.spectrumSize === 0 ? k + 1 : Math.max(k + 1, o.spectrumSize));
  const eig = __topEigenpairs(apply, n, count, { maxIter: o.maxLanczos, tol: o.tolerance, rng: o.rng });
  const lambda = Float64Array.from(eig.values, (mu) => Math.max(0, 1 - mu));
  const dim = k - 1, emb = new Float32Array(n * dim);
  for (let t = 1; t < k; t++) {
    const s = 1 / Math.sqrt(Math.max(lambda[t], 1e-12)), v = eig.vectors[t];
    for (let i = 0; i < n; i++) emb[i * dim + t - 1] = v[i] * s;
  }
  const km = kmeans(emb, dim, k, { rng: o.rng, restarts: o.restarts });
  // normalised cut of the result: Σ_parts cut(part) / vol(part)
  const cut = new Float64Array(k), vol = new Float64Array(k);
  for (let i = 0; i < n; i++)
    for (let e = deg[i]; e < deg[i + 1]; e++) {
      vol[km.labels[i]] += w[e];
      if (km.labels[adj[e]] !== km.labels[i]) cut[km.labels[i]] += w[e];
    }
  let ncut = 0;
  for (let c = 0; c < k; c++) if (vol[c] > 0) ncut += cut[c] / vol[c];
  // eigengap estimate of the number of weakly joined pieces: the j ≥ k with the largest λ_{j+1} / λ_j
  let pieces = k, bestRatio = 0;
  for (let j = k; j < lambda.length; j++) {
    const r = lambda[j] / Math.max(lambda[j - 1], 1e-12);
    if (r > bestRatio) {
      bestRatio = r;
      pieces = j;
    }
  }
  return { labels: km.labels, eigenvalues: lambda, pieces, normalizedCut: ncut, lanczosIterations: eig.iterations, maxResidual: Math.max(...eig.residuals) };
};

const __dist2 = (f: Float32Array, dim: number, i: number, j: number): number => {
  let s = 0;
  for (let d = 0, a = i * dim, b = j * dim; d < dim; d++) {
    const t = f[a + d] - f[b + d];
    s += t * t;
  }
  return s;
};

/**
 * Adds to `keys` one edge from every connected component of the kNN graph other than the largest to
 * its nearest point in the largest one, so the graph is connected (the spectrum's top eigenvalue stays
 * simple and a single Lanczos start vector reaches every component). Such bridges get the floor weight
 * of their concavity term like any other edge.
 */
const __joinComponents = (points: Float32Array, n: number, keys: number[]): void => {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const key of keys) {
    const i = Math.floor(key / n), j = key - i * n;
    const a = find(i), b = find(j);
    if (a !== b) parent[a] = b;
  }
  const size = new Uint32Array(n);
  for (let i = 0; i < n; i++) size[find(i)]++;
  let main = 0;
  for (let i = 0; i < n; i++) if (size[i] > size[main]) main = i;
  if (size[main] === n) return;
  const inMain: number[] = [];
  for (let i = 0; i < n; i++) if (find(i) === main) inMain.push(i);
  const tree = new KdTree(Float32Array.from(inMain.flatMap((i) => [points[3 * i], points[3 * i + 1], points[3 * i + 2]])));
  const best = new Map<number, { d: number; i: number; j: number }>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (r === main) continue;
    const q = tree.nearest(points[3 * i], points[3 * i + 1], points[3 * i + 2]);
    const b = best.get(r);
    if (!b || q.distanceSq < b.d) best.set(r, { d: q.distanceSq, i, j: inMain[q.index] });
  }
  for (const { i, j } of best.values()) keys.push(i < j ? i * n + j : j * n + i);
};
