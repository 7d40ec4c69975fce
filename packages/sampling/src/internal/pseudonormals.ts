import type { Mesh, MeshEdges } from "@sdfkit/sdf-core";

/**
 * @internal Angle-weighted pseudonormals (Bærentzen & Aanæs 2005) per triangle, in BVH leaf order:
 * 21 doubles each — face normal, edge normals (ab, bc, ca: sum of the two faces' normals), vertex
 * normals (a, b, c: incident face normals weighted by their corner angles). `clean` marks triangles
 * whose vertices are all at least `rings + 1` edges away from any defect (boundary, non-manifold or
 * inconsistently oriented edge, degenerate triangle, pinch vertex joining separate fans): only there
 * does the sign of (p − q)·n of the closest feature equal the inside test of a closed surface.
 */
export const buildPseudonormals = (
  mesh: Mesh,
  e: MeshEdges,
  keep: Uint8Array,
  order: Uint32Array,
  rings = 2,
): { pn: Float64Array; clean: Uint8Array; defects: number } => {
  const p = mesh.positions, idx = mesh.indices;
  const nt = idx.length / 3, nv = p.length / 3, ne = e.edges.length / 2;
  const fn = new Float64Array(nt * 3);
  const vn = new Float64Array(nv * 3);
  for (let t = 0; t < nt; t++) {
    if (!keep[t]) continue;
    const a = idx[3 * t], b = idx[3 * t + 1], c = idx[3 * t + 2];
    const ux = p[3 * b] - p[3 * a], uy = p[3 * b + 1] - p[3 * a + 1], uz = p[3 * b + 2] - p[3 * a + 2];
    const vx = p[3 * c] - p[3 * a], vy = p[3 * c + 1] - p[3 * a + 1], vz = p[3 * c + 2] - p[3 * a + 2];
    let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const l = Math.hypot(nx, ny, nz) || 1;
    nx /= l; ny /= l; nz /= l;
    fn[3 * t] = nx; fn[3 * t + 1] = ny; fn[3 * t + 2] = nz;
    const vs = [a, b, c];
    for (let k = 0; k < 3; k++) {
      const v = vs[k], v1 = vs[(k + 1) % 3], v2 = vs[(k + 2) % 3];
      const e1x = p[3 * v1] - p[3 * v], e1y = p[3 * v1 + 1] - p[3 * v + 1], e1z = p[3 * v1 + 2] - p[3 * v + 2];
      const e2x = p[3 * v2] - p[3 * v], e2y = p[3 * v2 + 1] - p[3 * v + 1], e2z = p[3 * v2 + 2] - p[3 * v + 2];
      const cos = (e1x * e2x + e1y * e2y + e1z * e2z) / (Math.hypot(e1x, e1y, e1z) * Math.hypot(e2x, e2y, e2z) || 1);
      const ang = Math.acos(Math.max(-1, Math.min(1, cos)));
      vn[3 * v] += ang * nx; vn[3 * v + 1] += ang * ny; vn[3 * v + 2] += ang * nz;
    }
  }
  // defects: vertices of bad edges and degenerate triangles
  const bad = new Uint8Array(nv);
  for (let t = 0; t < nt; t++) if (!keep[t]) { bad[idx[3 * t]] = 1; bad[idx[3 * t + 1]] = 1; bad[idx[3 * t + 2]] = 1; }
  // union-find over face corners (3t + k) joined across manifold, consistent edges: more than one set at a vertex = a pinch
  const parent = new Int32Array(3 * nt);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const cornerOf = (t: number, v: number) => (idx[3 * t] === v ? 3 * t : idx[3 * t + 1] === v ? 3 * t + 1 : 3 * t + 2);
  for (let i = 0; i < ne; i++) {
    const a = e.edges[2 * i], b = e.edges[2 * i + 1];
    const o0 = e.edgeFaceOffsets[i], o1 = e.edgeFaceOffsets[i + 1];
    let ok = o1 - o0 === 2;
    if (ok) {
      const t1 = e.edgeFaces[o0], t2 = e.edgeFaces[o0 + 1];
      if (!keep[t1] || !keep[t2]) ok = false;
      else {
        // consistent orientation: a→b in one face and b→a in the other
        const dir = (t: number) => {
          for (let k = 0; k < 3; k++) if (idx[3 * t + k] === a && idx[3 * t + ((k + 1) % 3)] === b) return 1;
          return -1;
        };
        if (dir(t1) === dir(t2)) ok = false;
        else {
          parent[find(cornerOf(t1, a))] = find(cornerOf(t2, a));
          parent[find(cornerOf(t1, b))] = find(cornerOf(t2, b));
        }
      }
    }
    if (!ok) { bad[a] = 1; bad[b] = 1; }
  }
  const root = new Int32Array(nv).fill(-1);
  for (let c = 0; c < 3 * nt; c++) {
    const v = idx[c];
    const r = find(c);
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
  const pn = new Float64Array(order.length * 21);
  const clean = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const t = order[i];
    const o = i * 21;
    const vs = [idx[3 * t], idx[3 * t + 1], idx[3 * t + 2]];
    pn[o] = fn[3 * t]; pn[o + 1] = fn[3 * t + 1]; pn[o + 2] = fn[3 * t + 2];
    for (let k = 0; k < 3; k++) {
      // edge (vs[k], vs[k+1]): this face's normal plus the neighbour's across it
      const eid = e.triEdges[3 * t + k];
      const o0 = e.edgeFaceOffsets[eid], o1 = e.edgeFaceOffsets[eid + 1];
      let ex = 0, ey = 0, ez = 0;
      for (let j = o0; j < o1; j++) { const f = e.edgeFaces[j]; ex += fn[3 * f]; ey += fn[3 * f + 1]; ez += fn[3 * f + 2]; }
      pn[o + 3 + 3 * k] = ex; pn[o + 4 + 3 * k] = ey; pn[o + 5 + 3 * k] = ez;
      const v = vs[k];
      pn[o + 12 + 3 * k] = vn[3 * v]; pn[o + 13 + 3 * k] = vn[3 * v + 1]; pn[o + 14 + 3 * k] = vn[3 * v + 2];
    }
    clean[i] = front[vs[0]] || front[vs[1]] || front[vs[2]] ? 0 : 1;
  }
  return { pn, clean, defects };
};
