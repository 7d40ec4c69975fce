import type { Mesh, MeshEdges } from "@sdfkit/sdf-core";

/**
 * @internal Angle-weighted pseudonormals (Bærentzen & Aanæs 2005) per triangle, in BVH leaf order:
 * 21 doubles each — face normal, edge normals (ab, bc, ca: sum of the two faces' normals), vertex
 * normals (a, b, c: incident face normals weighted by their corner angles). `clean` marks triangles
 * whose vertices are all at least `rings + 1` edges away from any defect (boundary, non-manifold or
 * inconsistently oriented edge, degenerate triangle, pinch vertex joining separate fans): only there
 * does the sign of (p − q)·n of the closest feature equal the inside test of a closed surface.
 * Built in two steps, {@link surfaceNormals} (no BVH needed) and {@link pseudonormalsInOrder}.
 */

/** The part of {@link pseudonormalsInOrder} that needs no BVH: face and vertex normals, defects grown by `rings`. */
export interface SurfaceNormals {
  fn: Float64Array;
  vn: Float64Array;
  /** 1 at vertices within `rings` edges of a defect */
  front: Uint8Array;
  defects: number;
}

/** Face and vertex normals and the defect set grown by `rings` (see {@link pseudonormalsInOrder}). */
export const surfaceNormals = (mesh: Mesh, e: MeshEdges, keep: Uint8Array, rings = 2): SurfaceNormals => {
  const p = mesh.positions, idx = mesh.indices;
  const nt = idx.length / 3, nv = p.length / 3, ne = e.edges.length / 2;
  const fn = new Float64Array(nt * 3);
  const vn = new Float64Array(nv * 3);
  for (let t = 0; t < nt; t++) {
    if (!keep[t]) continue;
    const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
    const abx = p[b] - p[a], aby = p[b + 1] - p[a + 1], abz = p[b + 2] - p[a + 2];
    const acx = p[c] - p[a], acy = p[c + 1] - p[a + 1], acz = p[c + 2] - p[a + 2];
    const bcx = p[c] - p[b], bcy = p[c + 1] - p[b + 1], bcz = p[c + 2] - p[b + 2];
    let nx = aby * acz - abz * acy, ny = abz * acx - abx * acz, nz = abx * acy - aby * acx;
    const l = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
    nx /= l; ny /= l; nz /= l;
    fn[3 * t] = nx; fn[3 * t + 1] = ny; fn[3 * t + 2] = nz;
    // corner angles at a, b, c
    const lab = Math.sqrt(abx * abx + aby * aby + abz * abz), lac = Math.sqrt(acx * acx + acy * acy + acz * acz);
    const lbc = Math.sqrt(bcx * bcx + bcy * bcy + bcz * bcz);
    const angA = cornerAngle(abx * acx + aby * acy + abz * acz, lab * lac);
    const angB = cornerAngle(-(abx * bcx + aby * bcy + abz * bcz), lab * lbc);
    const angC = cornerAngle(acx * bcx + acy * bcy + acz * bcz, lac * lbc);
    vn[a] += angA * nx; vn[a + 1] += angA * ny; vn[a + 2] += angA * nz;
    vn[b] += angB * nx; vn[b + 1] += angB * ny; vn[b + 2] += angB * nz;
    vn[c] += angC * nx; vn[c + 1] += angC * ny; vn[c + 2] += angC * nz;
  }
  // defects: vertices of bad edges and degenerate triangles
  const bad = new Uint8Array(nv);
  for (let t = 0; t < nt; t++) if (!keep[t]) { bad[idx[3 * t]] = 1; bad[idx[3 * t + 1]] = 1; bad[idx[3 * t + 2]] = 1; }
  // union-find over face corners (3t + k) joined across manifold, consistent edges: more than one set at a vertex = a pinch
  const parent = new Int32Array(3 * nt);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  for (let i = 0; i < ne; i++) {
    const a = e.edges[2 * i], b = e.edges[2 * i + 1];
    const o0 = e.edgeFaceOffsets[i], o1 = e.edgeFaceOffsets[i + 1];
    let ok = o1 - o0 === 2;
    if (ok) {
      const t1 = e.edgeFaces[o0], t2 = e.edgeFaces[o0 + 1];
      if (!keep[t1] || !keep[t2]) ok = false;
      else {
        // consistent orientation: a→b in one face and b→a in the other
        const c1a = corner(idx, t1, a), c2a = corner(idx, t2, a);
        const fwd1 = idx[c1a - (c1a % 3) + ((c1a + 1) % 3)] === b, fwd2 = idx[c2a - (c2a % 3) + ((c2a + 1) % 3)] === b;
        if (fwd1 === fwd2) ok = false;
        else {
          union(parent, c1a, c2a);
          union(parent, corner(idx, t1, b), corner(idx, t2, b));
        }
      }
    }
    if (!ok) { bad[a] = 1; bad[b] = 1; }
  }
  const root = new Int32Array(nv).fill(-1);
  for (let c = 0; c < 3 * nt; c++) {
    const v = idx[c];
    const r = find(parent, c);
    if (root[v] === -1) root[v] = r;
    else if (root[v] !== r) bad[v] = 1;
  }
  let defects = 0;
  for (let v = 0; v < nv; v++) defects += bad[v];
  // grow the defect set by `rings` edge rings
  let front = bad;
  for (let r = 0; r < rings && defects > 0; r++) {
    const next = front.slice();
    for (let i = 0; i < ne; i++) {
      const a = e.edges[2 * i], b = e.edges[2 * i + 1];
      if (front[a]) next[b] = 1;
      if (front[b]) next[a] = 1;
    }
    front = next;
  }
  return { fn, vn, front, defects };
};

/** The pseudonormals and `clean` flags from {@link surfaceNormals}, in the BVH's leaf order `order`. */
export const pseudonormalsInOrder = (mesh: Mesh, e: MeshEdges, sn: SurfaceNormals, order: Uint32Array): { pn: Float64Array; clean: Uint8Array; defects: number } => {
  const idx = mesh.indices;
  const { fn, vn, front, defects } = sn;
  const pn = new Float64Array(order.length * 21);
  const clean = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const t = order[i];
    const o = i * 21;
    pn[o] = fn[3 * t]; pn[o + 1] = fn[3 * t + 1]; pn[o + 2] = fn[3 * t + 2];
    for (let k = 0; k < 3; k++) {
      // edge (v_k, v_k+1): the normals of the faces on it (this one and its neighbour)
      const eid = e.triEdges[3 * t + k];
      let ex = 0, ey = 0, ez = 0;
      for (let j = e.edgeFaceOffsets[eid], j1 = e.edgeFaceOffsets[eid + 1]; j < j1; j++) {
        const f = 3 * e.edgeFaces[j];
        ex += fn[f]; ey += fn[f + 1]; ez += fn[f + 2];
      }
      pn[o + 3 + 3 * k] = ex; pn[o + 4 + 3 * k] = ey; pn[o + 5 + 3 * k] = ez;
      const v = 3 * idx[3 * t + k];
      pn[o + 12 + 3 * k] = vn[v]; pn[o + 13 + 3 * k] = vn[v + 1]; pn[o + 14 + 3 * k] = vn[v + 2];
    }
    clean[i] = front[idx[3 * t]] || front[idx[3 * t + 1]] || front[idx[3 * t + 2]] ? 0 : 1;
  }
  return { pn, clean, defects };
};

/** Angle from its cosine numerator and the product of the two side lengths (0 for a zero side). */
const cornerAngle = (dot: number, len: number): number => Math.acos(Math.max(-1, Math.min(1, dot / (len || 1))));

/** Index (3t + k) of triangle t's corner at vertex v. */
const corner = (idx: Uint32Array, t: number, v: number): number => (idx[3 * t] === v ? 3 * t : idx[3 * t + 1] === v ? 3 * t + 1 : 3 * t + 2);

const find = (parent: Int32Array, i: number): number => {
  while (parent[i] !== i) i = parent[i] = parent[parent[i]];
  return i;
};

const union = (parent: Int32Array, a: number, b: number): void => {
  parent[find(parent, a)] = find(parent, b);
};
