import type { Mesh, Rng } from "./api.js";
import { InvalidArgumentError, MeshError } from "./errors.js";
import { assertValidMesh, __checkNumber } from "./internal/validate.js";

/** Options of {@link sampleSurface}. */
export interface SampleSurfaceOptions {
  /** Seeded generator; every random choice goes through it. Required. */
  rng: Rng;
  /**
   * Stratify the triangle choice over the cumulative-area distribution: sample i draws its
   * uniform in `[i/n, (i+1)/n)`, so per-triangle counts deviate from `n * area / total` by at
   * most about one. Points are then ordered by triangle; shuffle if order matters.
   * @defaultValue false
   */
  stratified: boolean;
  /**
   * `"face"`: each normal is its triangle's unit normal. `"vertex"`: barycentric interpolation of
   * `mesh.normals` at the sample (renormalised); requires `mesh.normals`.
   * @defaultValue "face"
   */
  normals: "face" | "vertex";
}

/** Defaults of {@link sampleSurface} (no default `rng`: it must be passed). */
export const DEFAULT_SAMPLE_SURFACE: Omit<SampleSurfaceOptions, "rng"> = { stratified: false, normals: "face" };

/** Points sampled on a surface: xyz and unit normals (stride 3), and the triangle each came from. */
export interface SurfaceSamples {
  points: Float32Array;
  normals: Float32Array;
  faces: Uint32Array;
}

/**
 * Cumulative doubled triangle areas in float64 (`cdf[t]` = 2 × the area of triangles 0..t), the table behind
 * area-weighted surface sampling: a uniform draw u × cdf[last] falls in triangle t with probability ∝ its area.
 * No validation: pass a mesh checked with `assertValidMesh`.
 */
export const triangleAreaCdf = (mesh: Mesh): Float64Array => {
  const p = mesh.positions, idx = mesh.indices, nt = idx.length / 3;
  const cdf = new Float64Array(nt);
  let total = 0;
  for (let t = 0; t < nt; t++) {
    const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
    const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
    total += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
    cdf[t] = total;
  }
  return cdf;
};

/**
 * Sample `n` points uniformly by area on a triangle mesh (DeepSDF's area-weighted surface
 * sampling): pick a triangle with probability proportional to its area (binary search in the
 * area CDF), then a uniform point in it (`a = 1 - √r1, b = √r1 (1 - r2), c = √r1 r2`).
 * Deterministic for a given rng state. Zero-area triangles are never chosen.
 *
 * @param mesh - a valid, non-empty mesh with positive total area.
 * @param n - number of samples (integer ≥ 0).
 * @throws InvalidArgumentError on a bad `n`, missing `rng`, or `normals: "vertex"` without `mesh.normals`.
 * @throws MeshError on an invalid mesh or one with zero total area.
 * @example
 * const s = sampleSurface(mesh, 30000, { rng: createRng(1) });
 */
export const sampleSurface = (mesh: Mesh, n: number, opts: Partial<SampleSurfaceOptions> & { rng: Rng }): SurfaceSamples => {
  const fn = "sampleSurface";
  assertValidMesh(fn, mesh);
  __checkNumber(fn, "n", n, { integer: true, min: 0 });
  if (opts === undefined || opts === null || typeof opts.rng !== "object" || typeof opts.rng?.next !== "function")
    throw new InvalidArgumentError(fn, "opts.rng", "an Rng (createRng(seed))", opts?.rng);
  const o = { ...DEFAULT_SAMPLE_SURFACE, ...opts };
  if (o.normals !== "face" && o.normals !== "vertex") throw new InvalidArgumentError(fn, "opts.normals", '"face" or "vertex"', o.normals);
  if (o.normals === "vertex" && mesh.normals === undefined)
    throw new InvalidArgumentError(fn, "opts.normals", '"face" when mesh.normals is absent', o.normals);
  const p = mesh.positions, idx = mesh.indices, vn = mesh.normals;
  const nt = idx.length / 3;
  const cdf = triangleAreaCdf(mesh);
  const total = nt > 0 ? cdf[nt - 1] : 0;
  if (!(total > 0)) throw new MeshError(fn, `mesh has zero total area (${nt} triangles), nothing to sample`);
  const rng = o.rng;
  const points = new Float32Array(3 * n);
  const normals = new Float32Array(3 * n);
  const faces = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const u = (o.stratified ? (i + rng.next()) / n : rng.next()) * total;
    // first t with cdf[t] > u (skips zero-area triangles, whose cdf equals the previous one)
    let lo = 0, hi = nt - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    const t = lo;
    const ia = idx[3 * t], ib = idx[3 * t + 1], ic = idx[3 * t + 2];
    const a = 3 * ia, b = 3 * ib, c = 3 * ic;
    const s1 = Math.sqrt(rng.next()), r2 = rng.next();
    const wa = 1 - s1, wb = s1 * (1 - r2), wc = s1 * r2;
    points[3 * i] = wa * p[a] + wb * p[b] + wc * p[c];
    points[3 * i + 1] = wa * p[a + 1] + wb * p[b + 1] + wc * p[c + 1];
    points[3 * i + 2] = wa * p[a + 2] + wb * p[b + 2] + wc * p[c + 2];
    faces[i] = t;
    let nx: number, ny: number, nz: number;
    if (vn !== undefined && o.normals === "vertex") {
      nx = wa * vn[a] + wb * vn[b] + wc * vn[c];
      ny = wa * vn[a + 1] + wb * vn[b + 1] + wc * vn[c + 1];
      nz = wa * vn[a + 2] + wb * vn[b + 2] + wc * vn[c + 2];
    } else {
      const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
      const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
      nx = uy * vz - uz * vy;
      ny = uz * vx - ux * vz;
      nz = ux * vy - uy * vx;
    }
    const l = Math.hypot(nx, ny, nz);
    if (l > 0) {
      normals[3 * i] = nx / l;
      normals[3 * i + 1] = ny / l;
      normals[3 * i + 2] = nz / l;
    }
  }
  return { points, normals, faces };
};
