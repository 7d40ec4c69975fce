import { createRng, InvalidArgumentError, assertValidMesh } from "@sdfkit/sdf-core";
import type { Csr, Mesh } from "@sdfkit/sdf-core";
import { DEFAULT_REFINE_PARTS_AT_CREASES, DEFAULT_SEGMENT_INSTANCES, type InstanceSegmentation, type SegmentInstancesOptions } from "./api.js";
import { kmeans } from "./kmeans.js";
import { __creaseNormals, __refineAtCreases, __renumber } from "./internal/crease-watershed.js";
import { weldedAdjacency } from "./internal/welded-adjacency.js";
import { standardize } from "./standardize.js";

export { weldedAdjacency };

/**
 * Majority-vote smoothing of per-vertex labels (0 .. k-1) over a graph, `iterations` synchronous
 * passes: each vertex takes the most frequent label among itself and its neighbours, ties keeping its
 * own. Returns a new array (the input when `iterations` is 0).
 */
export const smoothLabels = (adj: Csr, labels: Uint32Array, k: number, iterations: number): Uint32Array => {
  if (!Number.isInteger(iterations) || iterations < 0) throw new InvalidArgumentError("smoothLabels", "iterations", "an integer >= 0", iterations);
  const nv = labels.length;
  if (adj.offsets.length !== nv + 1) throw new InvalidArgumentError("smoothLabels", "adj", `a graph over ${nv} vertices`, adj.offsets.length - 1);
  let cur: Uint32Array = labels, next: Uint32Array = new Uint32Array(nv);
  const count = new Uint32Array(k);
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    for (let v = 0; v < nv; v++) {
      const own = cur[v];
      count.fill(0);
      count[own]++;
      for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) count[cur[adj.items[e]]]++;
      let best = own;
      for (let t = 0; t < k; t++) if (count[t] > count[best]) best = t;
      next[v] = best;
      if (best !== own) changed++;
    }
    [cur, next] = [next, cur === labels ? new Uint32Array(nv) : cur];
    if (changed === 0) break;
  }
  return cur;
};

/** k-means types of every row: fitted on all rows, or on `kmeansSample` of them (prime stride) with every row then given its nearest centroid. @internal */
const __kmeansLabels = (f: Float32Array, dim: number, k: number, o: SegmentInstancesOptions): Uint32Array => {
  const n = f.length / dim;
  if (o.kmeansSample === 0 || o.kmeansSample >= n) return kmeans(f, dim, k, { rng: o.rng, restarts: o.restarts }).labels;
  const m = Math.max(o.kmeansSample, k), sub = new Float32Array(m * dim);
  for (let i = 0; i < m; i++) sub.set(f.subarray(((i * 7919) % n) * dim, (((i * 7919) % n) + 1) * dim), i * dim);
  const c = kmeans(sub, dim, k, { rng: o.rng, restarts: o.restarts }).centroids;
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0, bestD = Infinity;
    for (let j = 0; j < k; j++) {
      let d2 = 0;
      for (let d = 0; d < dim; d++) {
        const t = f[i * dim + d] - c[j * dim + d];
        d2 += t * t;
      }
      if (d2 < bestD) [best, bestD] = [j, d2];
    }
    labels[i] = best;
  }
  return labels;
};

/**
 * Instance segmentation of a mesh from per-vertex features (e.g. decoder activations):
 * standardise → k-means into `types` semantic types → connected components of the vertex
 * adjacency graph inside each type → components smaller than
 * max(`minComponentFraction` × type size, `minComponentSize`) merged into the significant component
 * they share most edges with (else the nearest significant component in feature space).
 */
export const segmentInstances = (mesh: Mesh, features: Float32Array, dim: number, opts: Partial<SegmentInstancesOptions> = {}): InstanceSegmentation => {
  const o = { ...DEFAULT_SEGMENT_INSTANCES, rng: createRng(0), ...opts }; // a fresh default rng per call: results never depend on call history
  assertValidMesh("segmentInstances", mesh);
  const nv = mesh.positions.length / 3;
  if (!Number.isInteger(dim) || dim < 1) throw new InvalidArgumentError("segmentInstances", "dim", "an integer >= 1", dim);
  if (!(features instanceof Float32Array) || features.length !== nv * dim)
    throw new InvalidArgumentError("segmentInstances", "features", `a Float32Array of length vertices*dim = ${nv * dim}`, features);
  if (!Number.isInteger(o.types) || o.types < 1) throw new InvalidArgumentError("segmentInstances", "types", "an integer >= 1", o.types);
  if (!(o.minComponentFraction >= 0 && o.minComponentFraction < 1)) throw new InvalidArgumentError("segmentInstances", "minComponentFraction", "a number in [0, 1)", o.minComponentFraction);
  if (!(o.minComponentSize >= 0)) throw new InvalidArgumentError("segmentInstances", "minComponentSize", "a number >= 0", o.minComponentSize);

  const f = o.standardize ? standardize(features, dim).data : features;
  const k = Math.min(o.types, nv);
  if (!(Number.isInteger(o.smoothIterations) && o.smoothIterations >= 0)) throw new InvalidArgumentError("segmentInstances", "smoothIterations", "an integer >= 0", o.smoothIterations);
  if (!(o.minPartFraction >= 0 && o.minPartFraction < 1)) throw new InvalidArgumentError("segmentInstances", "minPartFraction", "a number in [0, 1)", o.minPartFraction);
  if (!Number.isInteger(o.creaseBand) || o.creaseBand < 0) throw new InvalidArgumentError("segmentInstances", "creaseBand", "an integer >= 0", o.creaseBand);
  if (!(o.creaseMerge >= 0)) throw new InvalidArgumentError("segmentInstances", "creaseMerge", "a number >= 0", o.creaseMerge);
  if (!Number.isInteger(o.kmeansSample) || o.kmeansSample < 0) throw new InvalidArgumentError("segmentInstances", "kmeansSample", "an integer >= 0", o.kmeansSample);
  const adj = weldedAdjacency(mesh, o.weldTolerance);
  return __segmentInstances(mesh, adj, o.creaseBand > 0 ? __creaseNormals(mesh, o.weldTolerance) : new Float32Array(0), f, dim, { ...o, types: k });
};

/**
 * {@link segmentInstances} on a prebuilt (welded) vertex graph, its crease normals (read only when
 * `creaseBand` > 0) and features already standardised when wanted; options already checked, `types` ≤ vertices.
 * Lets a caller that segments one mesh many times (every layer × k) build the graph, the normals and each
 * layer's standardised features once. @internal
 */
export const __segmentInstances = (mesh: Mesh, adj: Csr, normals: Float32Array, f: Float32Array, dim: number, o: SegmentInstancesOptions): InstanceSegmentation => {
  const nv = mesh.positions.length / 3, k = o.types;
  const types = smoothLabels(adj, __kmeansLabels(f, dim, k, o), k, o.smoothIterations);

  // connected components within each type (BFS)
  const comp = new Int32Array(nv).fill(-1);
  const queue = new Uint32Array(nv);
  const compSize: number[] = [], compType: number[] = [];
  for (let s = 0; s < nv; s++) {
    if (comp[s] >= 0) continue;
    const c = compSize.length, t = types[s];
    let head = 0, tail = 0;
    queue[tail++] = s;
    comp[s] = c;
    while (head < tail) {
      const v = queue[head++];
      for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) {
        const w = adj.items[e];
        if (comp[w] < 0 && types[w] === t) {
          comp[w] = c;
          queue[tail++] = w;
        }
      }
    }
    compSize.push(tail);
    compType.push(t);
  }
  const nc = compSize.length;
  const typeSize = new Float64Array(k);
  for (let i = 0; i < nv; i++) typeSize[types[i]]++;
  // owner[c] = the significant component c belongs to (itself when significant, -1 while unresolved)
  const owner = new Int32Array(nc).fill(-1);
  let significant = 0;
  for (let c = 0; c < nc; c++) {
    if (compSize[c] >= Math.max(o.minComponentFraction * typeSize[compType[c]], o.minComponentSize)) {
      owner[c] = c;
      significant++;
    }
  }
  if (o.minPartFraction > 0 && significant > 0) {
    const sizes: number[] = [];
    for (let c = 0; c < nc; c++) if (owner[c] === c) sizes.push(compSize[c]);
    sizes.sort((a, b) => a - b);
    const median = sizes[sizes.length >> 1];
    for (let c = 0; c < nc; c++) {
      if (owner[c] === c && compSize[c] < o.minPartFraction * median) {
        owner[c] = -1;
        significant--;
      }
    }
  }
  if (significant === 0) {
    owner.fill(-1);
    let big = 0;
    for (let c = 1; c < nc; c++) if (compSize[c] > compSize[big]) big = c;
    owner[big] = big;
  }
  // merge small components through the graph: repeatedly attach each unresolved component to the
  // resolved neighbour it shares most edges with
  let merged = 0;
  for (;;) {
    const votes = new Map<number, Map<number, number>>();
    for (let v = 0; v < nv; v++) {
      const c = comp[v];
      if (owner[c] >= 0) continue;
      for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) {
        const oc = owner[comp[adj.items[e]]];
        if (oc < 0) continue;
        let m = votes.get(c);
        if (!m) votes.set(c, (m = new Map()));
        m.set(oc, (m.get(oc) ?? 0) + 1);
      }
    }
    if (votes.size === 0) break;
    for (const [c, m] of votes) {
      let bestC = -1, bestN = -1;
      for (const [oc, cnt] of m) if (cnt > bestN || (cnt === bestN && oc < bestC)) [bestC, bestN] = [oc, cnt];
      owner[c] = bestC;
      merged++;
    }
  }
  // components with no resolved graph neighbour: nearest significant component in feature space
  const unresolved: number[] = [];
  for (let c = 0; c < nc; c++) if (owner[c] < 0) unresolved.push(c);
  if (unresolved.length > 0) {
    const mean = new Float64Array(nc * dim);
    for (let v = 0; v < nv; v++) for (let d = 0; d < dim; d++) mean[comp[v] * dim + d] += f[v * dim + d];
    for (let c = 0; c < nc; c++) for (let d = 0; d < dim; d++) mean[c * dim + d] /= compSize[c];
    for (const c of unresolved) {
      let bestC = -1, bestD = Infinity;
      for (let s = 0; s < nc; s++) {
        if (owner[s] !== s) continue;
        let dd = 0;
        for (let d = 0; d < dim; d++) {
          const t = mean[c * dim + d] - mean[s * dim + d];
          dd += t * t;
        }
        if (dd < bestD) [bestC, bestD] = [s, dd];
      }
      owner[c] = bestC;
      merged++;
    }
  }
  // boundaries onto the concave creases, then number the parts by first vertex
  let part: Uint32Array = Uint32Array.from(comp, (c) => owner[c]);
  if (o.creaseBand > 0) part = __refineAtCreases(mesh, adj, normals, part, { ...DEFAULT_REFINE_PARTS_AT_CREASES, band: o.creaseBand, mergeBelow: o.creaseMerge, weldTolerance: o.weldTolerance });
  const labels = __renumber(part);
  let parts = 0;
  for (const l of labels) parts = Math.max(parts, l + 1);
  return { labels, parts, types, merged };
};
