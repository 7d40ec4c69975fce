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

/** Do leaf-order triangles i and j cross (boxes overlap, no shared vertex, an edge of one through the other)? */
const pairCrosses = (tri: Float64Array, order: Uint32Array, indices: Uint32Array, i: number, j: number): boolean => {
  const a = i * 9, b = j * 9;
  for (let d = 0; d < 3; d++) {
    const a0 = tri[a + d], a1 = tri[a + 3 + d], a2 = tri[a + 6 + d], b0 = tri[b + d], b1 = tri[b + 3 + d], b2 = tri[b + 6 + d];
    if (Math.max(a0, a1, a2) < Math.min(b0, b1, b2) || Math.max(b0, b1, b2) < Math.min(a0, a1, a2)) return false;
  }
  const ti = 3 * order[i], tj = 3 * order[j];
  const a0 = indices[ti], a1 = indices[ti + 1], a2 = indices[ti + 2];
  for (let k = 0; k < 3; k++) {
    const v = indices[tj + k];
    if (v === a0 || v === a1 || v === a2) return false;
  }
  return crosses(tri, a, b) || crosses(tri, b, a);
};

const overlap = (b: Float64Array, p: number, q: number): boolean =>
  b[p] <= b[q + 3] && b[q] <= b[p + 3] && b[p + 1] <= b[q + 4] && b[q + 1] <= b[p + 4] && b[p + 2] <= b[q + 5] && b[q + 2] <= b[p + 5];

/**
 * @internal Count pairs of triangles that cross each other (an edge of one passes through the other),
 * ignoring pairs that share a vertex; stops at `limit`. Candidate pairs come from one simultaneous
 * traversal of the BVH against itself (node pairs whose boxes overlap), each pair once.
 * Pseudonormal signs are wrong near and inside self-intersections (a buried sheet faces "out").
 */
export const countSelfIntersections = (bvh: FlatBvh, indices: Uint32Array, limit = 1): number => {
  const { bounds, left, start, count, tri, order } = bvh;
  let stack = new Int32Array(1024);
  let sp = 0, found = 0;
  stack[sp++] = 0;
  stack[sp++] = 0;
  while (sp > 0 && found < limit) {
    const nb = stack[--sp], na = stack[--sp];
    const la = left[na], lb = left[nb];
    if (sp + 6 > stack.length) { const s2 = new Int32Array(stack.length * 2); s2.set(stack); stack = s2; }
    if (na === nb) {
      if (la >= 0) {
        // a node against itself: each child against itself, and the two children against each other
        stack[sp++] = la; stack[sp++] = la;
        stack[sp++] = la + 1; stack[sp++] = la + 1;
        stack[sp++] = la; stack[sp++] = la + 1;
      } else {
        for (let i = start[na], e = i + count[na]; i < e; i++)
          for (let j = i + 1; j < e; j++) if (pairCrosses(tri, order, indices, i, j)) found++;
      }
      continue;
    }
    if (!overlap(bounds, 6 * na, 6 * nb)) continue;
    if (la < 0 && lb < 0) {
      for (let i = start[na], ei = i + count[na]; i < ei; i++)
        for (let j = start[nb], ej = j + count[nb]; j < ej; j++) if (pairCrosses(tri, order, indices, i, j)) found++;
    } else if (lb < 0 || (la >= 0 && count[na] >= count[nb])) {
      // descend the larger (or the only inner) node
      stack[sp++] = la; stack[sp++] = nb;
      stack[sp++] = la + 1; stack[sp++] = nb;
    } else {
      stack[sp++] = na; stack[sp++] = lb;
      stack[sp++] = na; stack[sp++] = lb + 1;
    }
  }
  return found;
};
