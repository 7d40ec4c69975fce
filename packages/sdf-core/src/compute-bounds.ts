import type { Aabb, Mesh } from "./api.js";
import { __checkPoints } from "./internal/validate.js";
import { InvalidArgumentError } from "./errors.js";

/** Bounds of xyz points (stride 3). Empty input gives an inverted box (min +Inf, max -Inf). */
export const computePointBounds = (points: Float32Array, out?: Aabb): Aabb => {
  __checkPoints("computePointBounds", points);
  let minx = Infinity, miny = Infinity, minz = Infinity, maxx = -Infinity, maxy = -Infinity, maxz = -Infinity;
  for (let i = 0; i < points.length; i += 3) {
    const x = points[i], y = points[i + 1], z = points[i + 2];
    if (x < minx) minx = x;
    if (x > maxx) maxx = x;
    if (y < miny) miny = y;
    if (y > maxy) maxy = y;
    if (z < minz) minz = z;
    if (z > maxz) maxz = z;
  }
  const r = out ?? { min: [0, 0, 0], max: [0, 0, 0] };
  r.min[0] = minx; r.min[1] = miny; r.min[2] = minz;
  r.max[0] = maxx; r.max[1] = maxy; r.max[2] = maxz;
  return r;
};

/** Bounds of the vertices a mesh's triangles use (unreferenced vertices are ignored). */
export const computeBounds = (mesh: Mesh, out?: Aabb): Aabb => {
  if (!mesh || !(mesh.positions instanceof Float32Array)) throw new InvalidArgumentError("computeBounds", "mesh", "a Mesh", mesh);
  const p = mesh.positions, idx = mesh.indices;
  let minx = Infinity, miny = Infinity, minz = Infinity, maxx = -Infinity, maxy = -Infinity, maxz = -Infinity;
  for (let t = 0; t < idx.length; t++) {
    const i = idx[t] * 3;
    const x = p[i], y = p[i + 1], z = p[i + 2];
    if (x < minx) minx = x;
    if (x > maxx) maxx = x;
    if (y < miny) miny = y;
    if (y > maxy) maxy = y;
    if (z < minz) minz = z;
    if (z > maxz) maxz = z;
  }
  const r = out ?? { min: [0, 0, 0], max: [0, 0, 0] };
  r.min[0] = minx; r.min[1] = miny; r.min[2] = minz;
  r.max[0] = maxx; r.max[1] = maxy; r.max[2] = maxz;
  return r;
};
