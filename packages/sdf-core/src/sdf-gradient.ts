import type { Sdf } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { __checkNumber, __checkPoints, __outBuffer } from "./internal/validate.js";

/**
 * The gradient of a batch SDF at points by central differences, `(f(p + h·e_a) − f(p − h·e_a)) / 2h`,
 * from ONE call of `sdf` on the 6n offset points (one batch for a decoder). For an exact SDF it is the unit
 * outward normal away from the medial axis; for a learnt one, its own normal.
 * @param points - xyz, stride 3, finite.
 * @param opts.step - h. @defaultValue 1e-3
 * @returns the gradient, xyz per point (in `out` when given).
 * @throws InvalidArgumentError on malformed points, a non-positive step, or an SDF that returns too few values.
 * @example
 * const n = sdfGradient(sphere(0.5), new Float32Array([0.5, 0, 0])); // ≈ [1, 0, 0]
 */
export const sdfGradient = (sdf: Sdf, points: Float32Array, opts: { step?: number } = {}, out?: Float32Array): Float32Array => {
  __checkPoints("sdfGradient", points);
  const h = __checkNumber("sdfGradient", "opts.step", opts.step ?? 1e-3, { positive: true });
  const n = points.length / 3, g = __outBuffer("sdfGradient", out, 3 * n);
  const q = new Float32Array(18 * n);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < 3; a++)
      for (let s = 0; s < 2; s++) {
        const o = 3 * (6 * i + 2 * a + s);
        q[o] = points[3 * i];
        q[o + 1] = points[3 * i + 1];
        q[o + 2] = points[3 * i + 2];
        q[o + a] += s === 0 ? h : -h;
      }
  const f = sdf(q);
  if (!(f instanceof Float32Array) || f.length < 6 * n) throw new InvalidArgumentError("sdfGradient", "sdf", `a function returning ${6 * n} values for ${6 * n} points`, f);
  for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) g[3 * i + a] = (f[6 * i + 2 * a] - f[6 * i + 2 * a + 1]) / (2 * h);
  return g;
};
