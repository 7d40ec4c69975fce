import type { Grid3, Sdf, Vec3 } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { __checkNumber } from "./internal/validate.js";
import { DEFAULT_SAMPLE_GRID, __checkBounds, __checkRes, type SampleGridOptions } from "./sample-grid.js";

/** A batch SDF that answers asynchronously (an inference engine such as onnxruntime's). */
export type AsyncSdf = (points: Float32Array, out?: Float32Array) => Promise<Float32Array>;

/**
 * {@link sampleGrid} for an asynchronous (or plain) batch SDF: same grid layout (x fastest), same
 * options and validation; awaits each batch, so at most one batch of points is in flight.
 * @throws InvalidArgumentError on bad res/bounds/batchSize/out, or when the SDF returns the wrong length.
 * @example
 * ```ts
 * const engine = await createInferenceEngine(decoder);
 * const grid = await sampleGridAsync(engine.toSdf(latent), { res: 128 });
 * ```
 */
export const sampleGridAsync = async (sdf: AsyncSdf | Sdf, opts: Partial<SampleGridOptions> = {}, out?: Float32Array): Promise<Grid3> => {
  const fn = "sampleGridAsync";
  if (typeof sdf !== "function") throw new InvalidArgumentError(fn, "sdf", "an Sdf or AsyncSdf function", sdf);
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
    const view = data.subarray(start, start + m);
    const r = await sdf(m === bs ? pts : pts.subarray(0, 3 * m), view);
    if (r !== view) {
      if (!(r instanceof Float32Array) || r.length < m) throw new InvalidArgumentError(fn, "sdf", `to return a Float32Array of length >= ${m}`, r);
      view.set(r.subarray(0, m));
    }
  }
  return { data, res: [nx, ny, nz], bounds: { min: [...bounds.min] as Vec3, max: [...bounds.max] as Vec3 } };
};
