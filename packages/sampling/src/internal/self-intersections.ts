import type { FlatBvh } from "./bvh.js";

/** Does the segment p→q cross triangle o (Möller–Trumbore restricted to 0 < t < 1)? */
const segmentHitsTriangle = (t: Float64Array, o: number, px: number, py: number, pz: number, qx: number, qy: number, qz: number): boolean => {
  const dx = qx - px, dy = qy - py, dz = qz - pz;
  const e1x = t[o + 3] - t[o], e1y = t[o + 4] - t[o + 1], e1z = t[o + 5] - t[o + 2];
  const e2x = t[o + 6] - t[o], e2y = t[o + 7] - t[o + 1], e2z = t[o + 8] - t[o + 2];
  const hx = dy * e2z - dz * e2y, hy = dz * e2x - dx * e2z, hz = dx * e2y - dy * e2x;
  const det = e1x * hx + e1y * hy + e1z * hz;
  if (Math.abs(det) < 1e-300) return false;
  const inv = 1 / det;
  const sx = px - t[o], sy = py - t[o + 1], sz = pz - t[o + 2];
  const u = (sx * hx + sy * hy + sz * hz) * inv;
  if (u <= 0 || u >= 1) return false;
  const cx = sy * e1z - sz * e1y, cy = sz * e1x - sx * e1z, cz = sx * e1y - sy * e1x;
  const v = (dx * cx + dy * cy + dz * cz) * inv;
  if (v <= 0 || u + v >= 1) return false;
  const s = (e2x * cx + e2y * cy + e2z * cz) * inv;
  return s > 0 && s < 1;
};

const crosses = (tri: Float64Array, a: number, b: number): boolean => {
  for (let k = 0; k < 3; k++) {
    const p = a + 3 * k, q = a + 3 * ((k + 1) % 3);
    if (segmentHitsTriangle(tri, b, tri[p], tri[p + 1], tri[p + 2], tri[q], tri[q + 1], tri[q + 2])) return true;
  }
  return false;
};

/**
 * @internal Count pairs of triangles that cross each other (an edge of one passes through the other),
 * ignoring pairs that share a vertex; stops at `limit`. Uses the BVH for candidate pairs.
 * Pseudonormal signs are wrong near and inside self-intersections (a buried sheet faces "out").
 */
export const countSelfIntersections = (bvh: FlatBvh, indices: Uint32Array, limit = 1): number => {
  const { bounds, left, start, count, tri, order } = bvh;
  const n = order.length;
  const stack = new Int32Array(256);
  let found = 0;
  for (let i = 0; i < n && found < limit; i++) {
    const o = i * 9;
    const x0 = Math.min(tri[o], tri[o + 3], tri[o + 6]), x1 = Math.max(tri[o], tri[o + 3], tri[o + 6]);
    const y0 = Math.min(tri[o + 1], tri[o + 4], tri[o + 7]), y1 = Math.max(tri[o + 1], tri[o + 4], tri[o + 7]);
    const z0 = Math.min(tri[o + 2], tri[o + 5], tri[o + 8]), z1 = Math.max(tri[o + 2], tri[o + 5], tri[o + 8]);
    const ti = order[i];
    const a0 = indices[3 * ti], a1 = indices[3 * ti + 1], a2 = indices[3 * ti + 2];
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0 && found < limit) {
      const nd = stack[--sp];
      const b = nd * 6;
      if (bounds[b] > x1 || bounds[b + 3] < x0 || bounds[b + 1] > y1 || bounds[b + 4] < y0 || bounds[b + 2] > z1 || bounds[b + 5] < z0) continue;
      const l = left[nd];
      if (l >= 0) {
        stack[sp++] = l;
        stack[sp++] = l + 1;
        continue;
      }
      for (let j = start[nd], e = j + count[nd]; j < e; j++) {
        if (j <= i) continue;
        const tj = order[j];
        const b0 = indices[3 * tj], b1 = indices[3 * tj + 1], b2 = indices[3 * tj + 2];
        if (b0 === a0 || b0 === a1 || b0 === a2 || b1 === a0 || b1 === a1 || b1 === a2 || b2 === a0 || b2 === a1 || b2 === a2) continue;
        if (crosses(tri, o, j * 9) || crosses(tri, j * 9, o)) found++;
      }
    }
  }
  return found;
};
