import type { Sdf, Vec3 } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { __checkNumber, __checkPoints, __checkVec3, __outBuffer } from "./internal/validate.js";

/** An axis name for axis-aligned primitives. */
export type Axis = "x" | "y" | "z";

/** @internal Validates an axis name and returns its component index. */
export const __axisIndex = (fn: string, arg: string, axis: unknown): 0 | 1 | 2 => {
  if (axis === "x") return 0;
  if (axis === "y") return 1;
  if (axis === "z") return 2;
  throw new InvalidArgumentError(fn, arg, '"x", "y" or "z"', axis);
};

/**
 * Exact SDF of a sphere.
 * @param radius - > 0.
 * @param center - @defaultValue [0, 0, 0]
 * @throws InvalidArgumentError on a non-positive radius or a bad center (at construction), bad points/out (at call).
 * @example const s = sphere(0.5); s(new Float32Array([1, 0, 0])); // Float32Array [0.5]
 */
export const sphere = (radius: number, center: Vec3 = [0, 0, 0]): Sdf => {
  const r = __checkNumber("sphere", "radius", radius, { positive: true });
  const [cx, cy, cz] = __checkVec3("sphere", "center", center);
  return (points, out) => {
    __checkPoints("sphere", points);
    const n = points.length / 3;
    const o = __outBuffer("sphere", out, n);
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const x = points[j] - cx, y = points[j + 1] - cy, z = points[j + 2] - cz;
      o[i] = Math.sqrt(x * x + y * y + z * z) - r;
    }
    return o;
  };
};

/**
 * Exact SDF of an axis-aligned box (`|q|₊ + min(max(q), 0)` with `q = |p − c| − h`).
 * @param halfExtents - half sizes per axis, each > 0.
 * @param center - @defaultValue [0, 0, 0]
 */
export const box = (halfExtents: Vec3, center: Vec3 = [0, 0, 0]): Sdf => {
  const [hx, hy, hz] = __checkVec3("box", "halfExtents", halfExtents);
  if (!(hx > 0 && hy > 0 && hz > 0)) throw new InvalidArgumentError("box", "halfExtents", "three numbers > 0", halfExtents);
  const [cx, cy, cz] = __checkVec3("box", "center", center);
  return (points, out) => {
    __checkPoints("box", points);
    const n = points.length / 3;
    const o = __outBuffer("box", out, n);
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const qx = Math.abs(points[j] - cx) - hx, qy = Math.abs(points[j + 1] - cy) - hy, qz = Math.abs(points[j + 2] - cz) - hz;
      const mx = qx > 0 ? qx : 0, my = qy > 0 ? qy : 0, mz = qz > 0 ? qz : 0;
      const inner = Math.max(qx, qy, qz);
      o[i] = Math.sqrt(mx * mx + my * my + mz * mz) + (inner < 0 ? inner : 0);
    }
    return o;
  };
};

/**
 * Exact SDF of a capped cylinder along a coordinate axis.
 * @param radius - > 0.
 * @param halfHeight - half length along the axis, > 0.
 * @param center - @defaultValue [0, 0, 0]
 * @param axis - @defaultValue "y"
 */
export const cylinder = (radius: number, halfHeight: number, center: Vec3 = [0, 0, 0], axis: Axis = "y"): Sdf => {
  const r = __checkNumber("cylinder", "radius", radius, { positive: true });
  const hh = __checkNumber("cylinder", "halfHeight", halfHeight, { positive: true });
  const c = __checkVec3("cylinder", "center", center);
  const a = __axisIndex("cylinder", "axis", axis);
  const u = (a + 1) % 3, v = (a + 2) % 3;
  const ca = c[a], cu = c[u], cv = c[v];
  return (points, out) => {
    __checkPoints("cylinder", points);
    const n = points.length / 3;
    const o = __outBuffer("cylinder", out, n);
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const pu = points[j + u] - cu, pv = points[j + v] - cv;
      const dr = Math.sqrt(pu * pu + pv * pv) - r;
      const dh = Math.abs(points[j + a] - ca) - hh;
      const mr = dr > 0 ? dr : 0, mh = dh > 0 ? dh : 0;
      const inner = dr > dh ? dr : dh;
      o[i] = Math.sqrt(mr * mr + mh * mh) + (inner < 0 ? inner : 0);
    }
    return o;
  };
};

/**
 * Exact SDF of a capsule: all points within `radius` of the segment a–b.
 * @param a - segment start. @param b - segment end (may equal a: a sphere). @param radius - > 0.
 */
export const capsule = (a: Vec3, b: Vec3, radius: number): Sdf => {
  const [ax, ay, az] = __checkVec3("capsule", "a", a);
  const [bx, by, bz] = __checkVec3("capsule", "b", b);
  const r = __checkNumber("capsule", "radius", radius, { positive: true });
  const dx = bx - ax, dy = by - ay, dz = bz - az;
  const dd = dx * dx + dy * dy + dz * dz;
  const inv = dd > 0 ? 1 / dd : 0;
  return (points, out) => {
    __checkPoints("capsule", points);
    const n = points.length / 3;
    const o = __outBuffer("capsule", out, n);
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const px = points[j] - ax, py = points[j + 1] - ay, pz = points[j + 2] - az;
      let t = (px * dx + py * dy + pz * dz) * inv;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const x = px - t * dx, y = py - t * dy, z = pz - t * dz;
      o[i] = Math.sqrt(x * x + y * y + z * z) - r;
    }
    return o;
  };
};

/**
 * Exact SDF of a torus around a coordinate axis.
 * @param majorRadius - distance from the center to the tube's center line, > 0.
 * @param minorRadius - tube radius, > 0.
 * @param center - @defaultValue [0, 0, 0]
 * @param axis - the symmetry axis. @defaultValue "y"
 */
export const torus = (majorRadius: number, minorRadius: number, center: Vec3 = [0, 0, 0], axis: Axis = "y"): Sdf => {
  const R = __checkNumber("torus", "majorRadius", majorRadius, { positive: true });
  const r = __checkNumber("torus", "minorRadius", minorRadius, { positive: true });
  const c = __checkVec3("torus", "center", center);
  const a = __axisIndex("torus", "axis", axis);
  const u = (a + 1) % 3, v = (a + 2) % 3;
  const ca = c[a], cu = c[u], cv = c[v];
  return (points, out) => {
    __checkPoints("torus", points);
    const n = points.length / 3;
    const o = __outBuffer("torus", out, n);
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const pu = points[j + u] - cu, pv = points[j + v] - cv, pa = points[j + a] - ca;
      const q = Math.sqrt(pu * pu + pv * pv) - R;
      o[i] = Math.sqrt(q * q + pa * pa) - r;
    }
    return o;
  };
};

/**
 * Exact SDF of the half-space `dot(n̂, p) ≤ offset` (negative below the plane).
 * @param normal - any non-zero vector; normalised here.
 * @param offset - signed distance of the plane from the origin along n̂. @defaultValue 0
 */
export const plane = (normal: Vec3, offset = 0): Sdf => {
  const [nx0, ny0, nz0] = __checkVec3("plane", "normal", normal);
  const d = __checkNumber("plane", "offset", offset);
  const l = Math.hypot(nx0, ny0, nz0);
  if (!(l > 0)) throw new InvalidArgumentError("plane", "normal", "a non-zero vector", normal);
  const nx = nx0 / l, ny = ny0 / l, nz = nz0 / l;
  return (points, out) => {
    __checkPoints("plane", points);
    const n = points.length / 3;
    const o = __outBuffer("plane", out, n);
    for (let i = 0, j = 0; i < n; i++, j += 3) o[i] = points[j] * nx + points[j + 1] * ny + points[j + 2] * nz - d;
    return o;
  };
};
