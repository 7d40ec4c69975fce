import { InvalidArgumentError } from "./errors.js";
import { __checkNumber, __checkPoints } from "./internal/validate.js";

/** Options of {@link KdTree}. */
export interface KdTreeOptions {
  /** Points per leaf; smaller means deeper trees and fewer distance evaluations. @defaultValue 8 */
  leafSize: number;
}

/** Defaults of {@link KdTree}. */
export const DEFAULT_KD_TREE: KdTreeOptions = { leafSize: 8 };

/** Result of {@link KdTree.nearest}. */
export interface KdNearest {
  /** Index of the nearest point in the array the tree was built from. */
  index: number;
  /** Its squared Euclidean distance to the query. */
  distanceSq: number;
}

/**
 * A static 3-D k-d tree over a Float32Array of xyz points, for exact nearest-neighbour queries.
 * Built in O(n log n) by median splits (quickselect) on the widest axis of each node; implicit
 * balanced layout (node i has children 2i + 1 and 2i + 2), points copied into tree order so a leaf
 * is contiguous. Query cost is O(log n) on typical point clouds.
 * @example
 * const t = new KdTree(points); const { index, distanceSq } = t.nearest(0, 0, 0);
 */
export class KdTree {
  /** Number of points. */
  readonly size: number;
  /** @internal tree-ordered xyz */
  private readonly pts: Float32Array;
  /** @internal tree position → original index */
  private readonly perm: Uint32Array;
  /** @internal split axis per node (3 = leaf) */
  private readonly axis: Uint8Array;
  /** @internal split value per node */
  private readonly split: Float32Array;
  private readonly leafSize: number;
  /** @internal root bounds: min xyz, max xyz */
  private readonly bbox = new Float64Array(6);
  /** @internal per-axis offsets of the query to the current cell */
  private readonly _off = new Float64Array(3);
  // query scratch (a tree is not re-entrant within one query; queries are synchronous)
  private qx = 0;
  private qy = 0;
  private qz = 0;
  private best = Infinity;
  private bestIdx = -1;
  // k-nearest scratch: sorted ascending squared distances and tree positions of the current query
  private kq = 1;
  private kDist = new Float64Array(1);
  private kPos = new Uint32Array(1);
  private kFound = 0;

  /**
   * @param points - xyz stride 3, finite, at least one point. The tree keeps its own copy.
   * @throws InvalidArgumentError on an empty or malformed array, or non-finite coordinates.
   */
  constructor(points: Float32Array, opts: Partial<KdTreeOptions> = {}) {
    __checkPoints("KdTree", points);
    const o = { ...DEFAULT_KD_TREE, ...opts };
    this.leafSize = __checkNumber("KdTree", "opts.leafSize", o.leafSize, { integer: true, min: 1 });
    const n = points.length / 3;
    if (n === 0) throw new InvalidArgumentError("KdTree", "points", "at least one point", "length 0");
    for (let i = 0; i < points.length; i++)
      if (!Number.isFinite(points[i])) throw new InvalidArgumentError("KdTree", "points", "finite coordinates", `${points[i]} at point ${Math.floor(i / 3)}`);
    this.size = n;
    let depth = 0;
    while (Math.ceil(n / 2 ** depth) > this.leafSize) depth++;
    const nodes = 2 ** (depth + 1);
    this.axis = new Uint8Array(nodes).fill(3);
    this.split = new Float32Array(nodes);
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    this.build(points, perm, 0, 0, n);
    this.perm = perm;
    this.bbox.set([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
    for (let i = 0; i < points.length; i += 3)
      for (let a = 0; a < 3; a++) {
        const v = points[i + a];
        if (v < this.bbox[a]) this.bbox[a] = v;
        if (v > this.bbox[3 + a]) this.bbox[3 + a] = v;
      }
    this.pts = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      const s = 3 * perm[i];
      this.pts[3 * i] = points[s];
      this.pts[3 * i + 1] = points[s + 1];
      this.pts[3 * i + 2] = points[s + 2];
    }
  }

  private build(p: Float32Array, perm: Uint32Array, node: number, lo: number, hi: number): void {
    if (hi - lo <= this.leafSize) return;
    let x0 = Infinity, y0 = Infinity, z0 = Infinity, x1 = -Infinity, y1 = -Infinity, z1 = -Infinity;
    for (let i = lo; i < hi; i++) {
      const s = 3 * perm[i];
      const x = p[s], y = p[s + 1], z = p[s + 2];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
    const ex = x1 - x0, ey = y1 - y0, ez = z1 - z0;
    const ax = ex >= ey && ex >= ez ? 0 : ey >= ez ? 1 : 2;
    const mid = (lo + hi) >>> 1;
    // quickselect: perm[mid] gets the median along ax, smaller-or-equal before, larger-or-equal after
    let l = lo, r = hi - 1;
    while (r > l) {
      const pivot = p[3 * perm[(l + r) >>> 1] + ax];
      let i = l, j = r;
      while (i <= j) {
        while (p[3 * perm[i] + ax] < pivot) i++;
        while (p[3 * perm[j] + ax] > pivot) j--;
        if (i <= j) {
          const t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
          i++;
          j--;
        }
      }
      if (mid <= j) r = j;
      else if (mid >= i) l = i;
      else break;
    }
    this.axis[node] = ax;
    this.split[node] = p[3 * perm[mid] + ax];
    this.build(p, perm, 2 * node + 1, lo, mid);
    this.build(p, perm, 2 * node + 2, mid, hi);
  }

  /**
   * Depth-first search with incremental cell distances (Arya & Mount): `rd` is the squared
   * distance from the query to the node's cell, `_off` its per-axis components; a subtree is
   * skipped when its cell is no closer than the best point found so far.
   */
  private search(node: number, lo: number, hi: number, rd: number): void {
    const ax = this.axis[node];
    if (ax === 3 && this.kq > 1) return this.leafK(lo, hi);
    if (ax === 3) {
      const P = this.pts;
      const qx = this.qx, qy = this.qy, qz = this.qz;
      let best = this.best, bi = this.bestIdx;
      for (let i = lo, s = 3 * lo; i < hi; i++, s += 3) {
        const dx = P[s] - qx, dy = P[s + 1] - qy, dz = P[s + 2] - qz;
        const d = dx * dx + dy * dy + dz * dz;
        if (d < best) {
          best = d;
          bi = i;
        }
      }
      this.best = best;
      this.bestIdx = bi;
      return;
    }
    const mid = (lo + hi) >>> 1;
    const d = (ax === 0 ? this.qx : ax === 1 ? this.qy : this.qz) - this.split[node];
    const off = this._off;
    const old = off[ax];
    const rdFar = rd - old * old + d * d;
    if (d < 0) {
      this.search(2 * node + 1, lo, mid, rd);
      if (rdFar < this.best) {
        off[ax] = d;
        this.search(2 * node + 2, mid, hi, rdFar);
        off[ax] = old;
      }
    } else {
      this.search(2 * node + 2, mid, hi, rd);
      if (rdFar < this.best) {
        off[ax] = d;
        this.search(2 * node + 1, lo, mid, rdFar);
        off[ax] = old;
      }
    }
  }

  /** Leaf visit of a k-nearest query: insertion into the sorted k-best list; `best` is the k-th distance once k are found. */
  private leafK(lo: number, hi: number): void {
    const P = this.pts, D = this.kDist, I = this.kPos, k = this.kq;
    const qx = this.qx, qy = this.qy, qz = this.qz;
    for (let i = lo, s = 3 * lo; i < hi; i++, s += 3) {
      const dx = P[s] - qx, dy = P[s + 1] - qy, dz = P[s + 2] - qz;
      const d = dx * dx + dy * dy + dz * dz;
      if (d >= this.best) continue;
      let j = this.kFound < k ? this.kFound++ : k - 1;
      while (j > 0 && D[j - 1] > d) {
        D[j] = D[j - 1];
        I[j] = I[j - 1];
        j--;
      }
      D[j] = d;
      I[j] = i;
      if (this.kFound === k) this.best = D[k - 1];
    }
  }

  /**
   * The `k` nearest points of every query point (xyz stride 3), nearest first, in one pass without
   * per-query allocation. A query that is itself a tree point finds itself first (distance 0).
   * @returns `index` (original indices) and `distanceSq`, each m × k row-major.
   * @throws InvalidArgumentError when k is not an integer in [1, size] or the queries are malformed.
   */
  nearestKBatch(queries: Float32Array, k: number): { index: Uint32Array; distanceSq: Float32Array } {
    __checkPoints("KdTree.nearestKBatch", queries, "queries");
    if (!Number.isInteger(k) || k < 1 || k > this.size) throw new InvalidArgumentError("KdTree.nearestKBatch", "k", `an integer in [1, ${this.size}]`, k);
    const m = queries.length / 3;
    const index = new Uint32Array(m * k), distanceSq = new Float32Array(m * k);
    if (this.kDist.length < k) {
      this.kDist = new Float64Array(k);
      this.kPos = new Uint32Array(k);
    }
    this.kq = k;
    try {
      for (let i = 0; i < m; i++) {
        this.kFound = 0;
        this.query(queries[3 * i], queries[3 * i + 1], queries[3 * i + 2]);
        if (k === 1) {
          // k = 1 runs the plain nearest-neighbour leaf
          index[i] = this.perm[this.bestIdx];
          distanceSq[i] = this.best;
          continue;
        }
        for (let j = 0; j < k; j++) {
          index[i * k + j] = this.perm[this.kPos[j]];
          distanceSq[i * k + j] = this.kDist[j];
        }
      }
    } finally {
      this.kq = 1;
    }
    return { index, distanceSq };
  }

  /** Nearest point to (x, y, z): its original index and squared distance. Ties: any of the nearest. */
  nearest(x: number, y: number, z: number): KdNearest {
    this.query(x, y, z);
    return { index: this.perm[this.bestIdx], distanceSq: this.best };
  }

  private query(x: number, y: number, z: number): void {
    this.qx = x;
    this.qy = y;
    this.qz = z;
    this.best = Infinity;
    this.bestIdx = 0;
    const b = this.bbox, off = this._off;
    off[0] = x < b[0] ? x - b[0] : x > b[3] ? x - b[3] : 0;
    off[1] = y < b[1] ? y - b[1] : y > b[4] ? y - b[4] : 0;
    off[2] = z < b[2] ? z - b[2] : z > b[5] ? z - b[5] : 0;
    this.search(0, 0, this.size, off[0] * off[0] + off[1] * off[1] + off[2] * off[2]);
  }

  /**
   * Nearest neighbour of every query point (xyz stride 3), without per-query allocation.
   * @returns `index` (original indices) and `distanceSq`, in the given buffers when passed.
   */
  nearestBatch(queries: Float32Array, outIndex?: Uint32Array, outDistanceSq?: Float32Array): { index: Uint32Array; distanceSq: Float32Array } {
    __checkPoints("KdTree.nearestBatch", queries, "queries");
    const m = queries.length / 3;
    if (outIndex !== undefined && (!(outIndex instanceof Uint32Array) || outIndex.length < m))
      throw new InvalidArgumentError("KdTree.nearestBatch", "outIndex", `a Uint32Array of length >= ${m}`, outIndex);
    if (outDistanceSq !== undefined && (!(outDistanceSq instanceof Float32Array) || outDistanceSq.length < m))
      throw new InvalidArgumentError("KdTree.nearestBatch", "outDistanceSq", `a Float32Array of length >= ${m}`, outDistanceSq);
    const index = outIndex ?? new Uint32Array(m);
    const distanceSq = outDistanceSq ?? new Float32Array(m);
    for (let i = 0; i < m; i++) {
      this.query(queries[3 * i], queries[3 * i + 1], queries[3 * i + 2]);
      index[i] = this.perm[this.bestIdx];
      distanceSq[i] = this.best;
    }
    return { index, distanceSq };
  }

  /** Mean squared nearest-neighbour distance of the query points to this tree's points (float64 sum). */
  meanSquaredDistance(queries: Float32Array): number {
    __checkPoints("KdTree.meanSquaredDistance", queries, "queries");
    const m = queries.length / 3;
    if (m === 0) throw new InvalidArgumentError("KdTree.meanSquaredDistance", "queries", "at least one point", "length 0");
    let sum = 0;
    for (let i = 0; i < m; i++) {
      this.query(queries[3 * i], queries[3 * i + 1], queries[3 * i + 2]);
      sum += this.best;
    }
    return sum / m;
  }
}
