import type { Sdf, Vec3 } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { __checkNumber, __checkPoints, __checkVec3, __outBuffer } from "./internal/validate.js";

/** @internal Checks that every argument is a function (an Sdf). */
const __checkSdfs = (fn: string, sdfs: unknown[], min: number): Sdf[] => {
  if (sdfs.length < min) throw new InvalidArgumentError(fn, "sdfs", `at least ${min} Sdf function(s)`, `${sdfs.length}`);
  sdfs.forEach((s, i) => {
    if (typeof s !== "function") throw new InvalidArgumentError(fn, `sdfs[${i}]`, "an Sdf function", s);
  });
  return sdfs as Sdf[];
};

/** @internal Evaluates `s` into `o` (copying when `s` ignores its out buffer). */
const __evalInto = (s: Sdf, points: Float32Array, o: Float32Array, n: number): Float32Array => {
  const r = s(points, o);
  if (r !== o) o.set(r.subarray(0, n));
  return o;
};

/** @internal Shared body of min/max combinators: one scratch buffer per call. */
const __reduce = (fn: string, sdfs: Sdf[], useMax: boolean): Sdf => (points, out) => {
  __checkPoints(fn, points);
  const n = points.length / 3;
  const o = __outBuffer(fn, out, n);
  __evalInto(sdfs[0], points, o, n);
  if (sdfs.length === 1) return o;
  const tmp = new Float32Array(n);
  for (let k = 1; k < sdfs.length; k++) {
    __evalInto(sdfs[k], points, tmp, n);
    if (useMax) for (let i = 0; i < n; i++) o[i] = tmp[i] > o[i] ? tmp[i] : o[i];
    else for (let i = 0; i < n; i++) o[i] = tmp[i] < o[i] ? tmp[i] : o[i];
  }
  return o;
};

/** Union (pointwise min) of one or more SDFs. Exact outside, a bound inside overlaps. */
export const union = (...sdfs: Sdf[]): Sdf => __reduce("union", __checkSdfs("union", sdfs, 1), false);

/** Intersection (pointwise max) of one or more SDFs. */
export const intersection = (...sdfs: Sdf[]): Sdf => __reduce("intersection", __checkSdfs("intersection", sdfs, 1), true);

/** Alias of {@link intersection}. */
export const intersect = intersection;

/** Difference `a \ b` = max(a, −b). */
export const difference = (a: Sdf, b: Sdf): Sdf => {
  __checkSdfs("difference", [a, b], 2);
  return (points, out) => {
    __checkPoints("difference", points);
    const n = points.length / 3;
    const o = __outBuffer("difference", out, n);
    __evalInto(a, points, o, n);
    const tmp = __evalInto(b, points, new Float32Array(n), n);
    for (let i = 0; i < n; i++) {
      const nb = -tmp[i];
      if (nb > o[i]) o[i] = nb;
    }
    return o;
  };
};

/** Alias of {@link difference}. */
export const subtract = difference;

/**
 * Smooth union with the polynomial smooth-min of radius k (Quílez): `min(a, b) − h²k/4`,
 * `h = max(k − |a − b|, 0)/k`; folded left over the inputs.
 * @param k - blend radius, > 0.
 */
export const smoothUnion = (k: number, ...sdfs: Sdf[]): Sdf => {
  __checkNumber("smoothUnion", "k", k, { positive: true });
  __checkSdfs("smoothUnion", sdfs, 1);
  const q = 0.25 / k;
  return (points, out) => {
    __checkPoints("smoothUnion", points);
    const n = points.length / 3;
    const o = __outBuffer("smoothUnion", out, n);
    __evalInto(sdfs[0], points, o, n);
    if (sdfs.length === 1) return o;
    const tmp = new Float32Array(n);
    for (let s = 1; s < sdfs.length; s++) {
      __evalInto(sdfs[s], points, tmp, n);
      for (let i = 0; i < n; i++) {
        const a = o[i], b = tmp[i];
        const d = a - b;
        const h = k - (d < 0 ? -d : d);
        o[i] = (a < b ? a : b) - (h > 0 ? h * h * q : 0);
      }
    }
    return o;
  };
};

/** Move a shape by t: `s'(p) = s(p − t)`. */
export const translate = (sdf: Sdf, t: Vec3): Sdf => {
  __checkSdfs("translate", [sdf], 1);
  const [tx, ty, tz] = __checkVec3("translate", "t", t);
  return (points, out) => {
    __checkPoints("translate", points);
    const n = points.length / 3;
    const o = __outBuffer("translate", out, n);
    const q = new Float32Array(points.length);
    for (let j = 0; j < points.length; j += 3) {
      q[j] = points[j] - tx;
      q[j + 1] = points[j + 1] - ty;
      q[j + 2] = points[j + 2] - tz;
    }
    return __evalInto(sdf, q, o, n);
  };
};

/** A rotation: a row-major 3×3 matrix (9 numbers, orthonormal, det +1) or an axis and an angle in radians. */
export type Rotation = ArrayLike<number> | { axis: Vec3; angle: number };

/** Row-major 3×3 rotation matrix of `angle` radians about `axis` (right-handed, Rodrigues). */
export const rotationMatrix = (axis: Vec3, angle: number): Float64Array => {
  const [ax, ay, az] = __checkVec3("rotationMatrix", "axis", axis);
  __checkNumber("rotationMatrix", "angle", angle);
  const l = Math.hypot(ax, ay, az);
  if (!(l > 0)) throw new InvalidArgumentError("rotationMatrix", "axis", "a non-zero vector", axis);
  const x = ax / l, y = ay / l, z = az / l;
  const c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
  return Float64Array.of(t * x * x + c, t * x * y - s * z, t * x * z + s * y, t * x * y + s * z, t * y * y + c, t * y * z - s * x, t * x * z - s * y, t * y * z + s * x, t * z * z + c);
};

/**
 * Rotate a shape: `s'(p) = s(Rᵀ p)`, so the shape turns by R. Distances stay exact.
 * @throws InvalidArgumentError when the matrix is not a rotation (tolerance 1e-5).
 */
export const rotate = (sdf: Sdf, rotation: Rotation): Sdf => {
  __checkSdfs("rotate", [sdf], 1);
  let m: ArrayLike<number>;
  if (rotation !== null && typeof rotation === "object" && "axis" in rotation) m = rotationMatrix(rotation.axis, rotation.angle);
  else m = rotation as ArrayLike<number>;
  if (!m || typeof m.length !== "number" || m.length !== 9 || !Array.from(m).every(Number.isFinite))
    throw new InvalidArgumentError("rotate", "rotation", "9 finite numbers (row-major 3×3) or { axis, angle }", rotation);
  const r = Array.from(m);
  // R Rᵀ = I and det = +1
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      const d = r[3 * i] * r[3 * j] + r[3 * i + 1] * r[3 * j + 1] + r[3 * i + 2] * r[3 * j + 2];
      if (Math.abs(d - (i === j ? 1 : 0)) > 1e-5) throw new InvalidArgumentError("rotate", "rotation", "an orthonormal matrix", rotation);
    }
  const det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
  if (det < 0) throw new InvalidArgumentError("rotate", "rotation", "a proper rotation (det +1)", `det ${det}`);
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = r;
  return (points, out) => {
    __checkPoints("rotate", points);
    const n = points.length / 3;
    const o = __outBuffer("rotate", out, n);
    const q = new Float32Array(points.length);
    for (let j = 0; j < points.length; j += 3) {
      const x = points[j], y = points[j + 1], z = points[j + 2];
      q[j] = m00 * x + m10 * y + m20 * z;
      q[j + 1] = m01 * x + m11 * y + m21 * z;
      q[j + 2] = m02 * x + m12 * y + m22 * z;
    }
    return __evalInto(sdf, q, o, n);
  };
};

/** Uniform scale by k > 0: `s'(p) = k · s(p / k)` (distances stay exact). */
export const scale = (sdf: Sdf, k: number): Sdf => {
  __checkSdfs("scale", [sdf], 1);
  __checkNumber("scale", "k", k, { positive: true });
  const inv = 1 / k;
  return (points, out) => {
    __checkPoints("scale", points);
    const n = points.length / 3;
    const o = __outBuffer("scale", out, n);
    const q = new Float32Array(points.length);
    for (let j = 0; j < points.length; j++) q[j] = points[j] * inv;
    __evalInto(sdf, q, o, n);
    for (let i = 0; i < n; i++) o[i] *= k;
    return o;
  };
};
