import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type { Aabb, Grid3, Sdf, Vec3 } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { __checkNumber, __checkVec3 } from "./internal/validate.js";

/** Options of {@link sampleGrid}. */
export interface SampleGridOptions {
  /** Samples per axis (≥ 2 each); one number means the same on all three. @defaultValue 64 */
  res: number | Vec3;
  /** Box spanned by the samples, inclusive at both ends. @defaultValue [-1, 1]³ */
  bounds: Aabb;
  /** Points handed to the SDF per call (bounds memory of one batch). @defaultValue 65536 */
  batchSize: number;
}

/** Defaults of {@link sampleGrid}. */
export const DEFAULT_SAMPLE_GRID: SampleGridOptions = { res: 64, bounds: { min: [-1, -1, -1], max: [1, 1, 1] }, batchSize: 65536 };

/** @internal Validates a resolution (number or Vec3, integers ≥ 2). */
export const __checkRes = (fn: string, res: unknown): Vec3 => {
  const r: Vec3 = typeof res === "number" ? [res, res, res] : __checkVec3(fn, "res", res);
  for (let a = 0; a < 3; a++)
    if (!Number.isInteger(r[a]) || r[a] < 2) throw new InvalidArgumentError(fn, "res", "integers >= 2 (samples per axis)", res);
  return r;
};

/** @internal Validates an Aabb with min < max on every axis. */
export const __checkBounds = (fn: string, bounds: unknown): Aabb => {
  if (typeof bounds !== "object" || bounds === null) throw new InvalidArgumentError(fn, "bounds", "an Aabb { min, max }", bounds);
  const b = bounds as Aabb;
  const min = __checkVec3(fn, "bounds.min", b.min), max = __checkVec3(fn, "bounds.max", b.max);
  for (let a = 0; a < 3; a++)
    if (!(min[a] < max[a])) throw new InvalidArgumentError(fn, "bounds", "min < max on every axis", `min ${min} max ${max}`);
  return { min, max };
};

/**
 * Evaluate an SDF on a regular grid, batch by batch. Sample (i, j, k) sits at
 * `min + (i, j, k) · (max − min) / (res − 1)`, so both bounds are sampled; the result is stored
 * x fastest: `data[i + nx·(j + ny·k)]`.
 *
 * @param sdf - batch SDF; called with at most `batchSize` points at a time and a view of the output.
 * @param out - optional Float32Array of length ≥ nx·ny·nz to fill (the grid's `data` is then a view of it).
 * @throws InvalidArgumentError on bad res/bounds/batchSize/out, or when the SDF returns the wrong length.
 * @example const g = sampleGrid(sphere(0.5), { res: 64, bounds: { min: [-1, -1, -1], max: [1, 1, 1] } });
 */
export const sampleGrid = (sdf: Sdf, opts: Partial<SampleGridOptions> = {}, out?: Float32Array): Grid3 => {
  if (typeof sdf !== "function") throw new InvalidArgumentError("sampleGrid", "sdf", "an Sdf function", sdf);
  const plan = __gridPlan("sampleGrid", opts, out);
  for (const b of plan.batches()) plan.store(b, sdf(b.pts, b.view));
  return plan.grid;
};

/** @internal One batch of grid points (xyz) and the slice of the grid its values go to. */
export interface __GridBatch {
  pts: Float32Array;
  view: Float32Array;
  m: number;
}

/**
 * @internal The validated plan shared by `sampleGrid` and `sampleGridAsync`: the output grid, a generator
 * of point batches in grid order (x fastest) reusing one buffer, and `store` for a batch's returned values.
 */
export const __gridPlan = (fn: string, opts: Partial<SampleGridOptions>, out?: Float32Array) => {
  const o = { ...DEFAULT_SAMPLE_GRID, ...opts };
  const res = __checkRes(fn, o.res);
  const bounds = __checkBounds(fn, o.bounds);
  const batch = __checkNumber(fn, "batchSize", o.batchSize, { integer: true, min: 1 });
  const [nx, ny, nz] = res;
  const total = nx * ny * nz;
  if (out !== undefined && (!(out instanceof Float32Array) || out.length < total))
    throw new InvalidArgumentError(fn, "out", `a Float32Array of length >= ${total}`, out);
  const data = out ? out.subarray(0, total) : new Float32Array(total);
  const [x0, y0, z0] = bounds.min;
  const hx = (bounds.max[0] - x0) / (nx - 1), hy = (bounds.max[1] - y0) / (ny - 1), hz = (bounds.max[2] - z0) / (nz - 1);
  const bs = Math.min(batch, total);
  const pts = new Float32Array(3 * bs);
  function* batches(): Generator<__GridBatch> {
    let i = 0, j = 0, k = 0;
    for (let start = 0; start < total; start += bs) {
      const m = Math.min(bs, total - start);
      for (let s = 0; s < m; s++) {
        pts[3 * s] = x0 + i * hx;
        pts[3 * s + 1] = y0 + j * hy;
        pts[3 * s + 2] = z0 + k * hz;
        if (++i === nx) {
          i = 0;
          if (++j === ny) {
            j = 0;
            k++;
          }
        }
      }
      yield { pts: m === bs ? pts : pts.subarray(0, 3 * m), view: data.subarray(start, start + m), m };
    }
  }
  const store = (b: __GridBatch, r: unknown): void => {
    if (r === b.view) return;
    if (!(r instanceof Float32Array) || r.length < b.m) throw new InvalidArgumentError(fn, "sdf", `to return a Float32Array of length >= ${b.m}`, r);
    b.view.set(r.subarray(0, b.m));
  };
  const grid: Grid3 = { data, res: [nx, ny, nz], bounds: { min: [...bounds.min] as Vec3, max: [...bounds.max] as Vec3 } };
  return { grid, batches, store };
};

/**
 * View a grid as an `ndarray` of shape `[nz, ny, nx]` (C order, last index fastest) sharing the
 * grid's Float32Array: no copy. `arr.get(k, j, i)` is sample (i, j, k). Numpy users: `np.load`
 * of the same buffer reshaped to `(nz, ny, nx)` matches.
 */
export const gridToNdarray = (grid: Grid3): NdArray<Float32Array> => {
  const [nx, ny, nz] = __checkRes("gridToNdarray", grid?.res);
  if (!(grid.data instanceof Float32Array) || grid.data.length !== nx * ny * nz)
    throw new InvalidArgumentError("gridToNdarray", "grid.data", `a Float32Array of length ${nx * ny * nz}`, grid.data);
  return ndarray(grid.data, [nz, ny, nx]);
};

/**
 * Build a grid from a 3-D `ndarray` of shape `[nz, ny, nx]` over `bounds`. A contiguous C-order
 * Float32Array view with offset 0 is shared without a copy; any other layout, dtype or a view
 * is copied into a fresh x-fastest Float32Array.
 */
export const gridFromNdarray = (arr: NdArray, bounds: Aabb): Grid3 => {
  const fn = "gridFromNdarray";
  if (typeof arr !== "object" || arr === null || !Array.isArray(arr.shape) || arr.shape.length !== 3)
    throw new InvalidArgumentError(fn, "arr", "a 3-D ndarray of shape [nz, ny, nx]", arr?.shape ?? arr);
  const [nz, ny, nx] = arr.shape;
  const res = __checkRes(fn, [nx, ny, nz]);
  const b = __checkBounds(fn, bounds);
  const [s0, s1, s2] = arr.stride;
  if (arr.data instanceof Float32Array && arr.offset === 0 && s2 === 1 && s1 === nx && s0 === nx * ny && arr.data.length >= nx * ny * nz)
    return { data: arr.data.length === nx * ny * nz ? arr.data : arr.data.subarray(0, nx * ny * nz), res, bounds: b };
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0, p = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) data[p++] = arr.get(k, j, i) as number;
  return { data, res, bounds: b };
};
