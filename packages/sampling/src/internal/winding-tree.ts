import type { Mesh } from "@sdfkit/sdf-core";

const FOUR_PI = 4 * Math.PI;

/**
 * @internal A bounding-volume tree over triangles carrying, per node, the area-weighted normal sum
 * (dipole moment), the area-weighted centroid and a bounding radius: the data of the fast winding
 * number of Barill et al. 2018 (first-order expansion). Far nodes (distance > beta · radius) add
 * their dipole term; near ones recurse to leaves, which add exact solid angles (Van Oosterom &
 * Strackee). The exact winding number of a closed, outward mesh is 1 inside and 0 outside; open or
 * flipped parts give fractional values, so the sign is `w > 0.5`.
 */
export class WindingTree {
  private readonly p: Float32Array;
  private readonly idx: Uint32Array;
  private readonly order: Uint32Array;
  // per node: [start, count, left, right] and dipole data
  private readonly nStart: Uint32Array;
  private readonly nCount: Uint32Array;
  private readonly nLeft: Int32Array;
  private readonly nRight: Int32Array;
  private readonly nData: Float64Array; // cx cy cz  nx ny nz  r
  private nodes = 0;
  readonly beta: number;

  constructor(mesh: Mesh, opts: { leafSize?: number; beta?: number } = {}) {
    this.p = mesh.positions;
    this.idx = mesh.indices;
    this.beta = opts.beta ?? 2;
    const leaf = opts.leafSize ?? 8;
    const nt = this.idx.length / 3;
    this.order = new Uint32Array(nt);
    for (let i = 0; i < nt; i++) this.order[i] = i;
    const maxNodes = Math.max(1, 2 * Math.ceil(nt / Math.max(1, leaf / 2)) + 1);
    this.nStart = new Uint32Array(maxNodes);
    this.nCount = new Uint32Array(maxNodes);
    this.nLeft = new Int32Array(maxNodes).fill(-1);
    this.nRight = new Int32Array(maxNodes).fill(-1);
    this.nData = new Float64Array(7 * maxNodes);
    // triangle centroids, areas and area-weighted normals
    const cen = new Float64Array(3 * nt), an = new Float64Array(3 * nt), area = new Float64Array(nt);
    const p = this.p, idx = this.idx;
    for (let t = 0; t < nt; t++) {
      const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
      for (let k = 0; k < 3; k++) cen[3 * t + k] = (p[a + k] + p[b + k] + p[c + k]) / 3;
      const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
      const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
      an[3 * t] = 0.5 * (uy * vz - uz * vy);
      an[3 * t + 1] = 0.5 * (uz * vx - ux * vz);
      an[3 * t + 2] = 0.5 * (ux * vy - uy * vx);
      area[t] = Math.hypot(an[3 * t], an[3 * t + 1], an[3 * t + 2]);
    }
    const build = (start: number, count: number): number => {
      const node = this.nodes++;
      this.nStart[node] = start;
      this.nCount[node] = count;
      let A = 0, cx = 0, cy = 0, cz = 0, nx = 0, ny = 0, nz = 0;
      let lo0 = Infinity, lo1 = Infinity, lo2 = Infinity, hi0 = -Infinity, hi1 = -Infinity, hi2 = -Infinity;
      for (let i = start; i < start + count; i++) {
        const t = this.order[i];
        const w = area[t] > 0 ? area[t] : 1e-30;
        A += w;
        cx += w * cen[3 * t]; cy += w * cen[3 * t + 1]; cz += w * cen[3 * t + 2];
        nx += an[3 * t]; ny += an[3 * t + 1]; nz += an[3 * t + 2];
        for (let k = 0; k < 3; k++) {
          const v = 3 * idx[3 * t + k];
          if (p[v] < lo0) lo0 = p[v]; if (p[v] > hi0) hi0 = p[v];
          if (p[v + 1] < lo1) lo1 = p[v + 1]; if (p[v + 1] > hi1) hi1 = p[v + 1];
          if (p[v + 2] < lo2) lo2 = p[v + 2]; if (p[v + 2] > hi2) hi2 = p[v + 2];
        }
      }
      cx /= A; cy /= A; cz /= A;
      // radius: farthest triangle vertex from the centroid
      let r2 = 0;
      for (let i = start; i < start + count; i++) {
        const t = this.order[i];
        for (let k = 0; k < 3; k++) {
          const v = 3 * idx[3 * t + k];
          const dx = p[v] - cx, dy = p[v + 1] - cy, dz = p[v + 2] - cz;
          const d = dx * dx + dy * dy + dz * dz;
          if (d > r2) r2 = d;
        }
      }
      const d7 = 7 * node;
      this.nData[d7] = cx; this.nData[d7 + 1] = cy; this.nData[d7 + 2] = cz;
      this.nData[d7 + 3] = nx; this.nData[d7 + 4] = ny; this.nData[d7 + 5] = nz;
      this.nData[d7 + 6] = Math.sqrt(r2);
      if (count <= leaf) return node;
      // split at the median centroid along the longest axis
      const ext = [hi0 - lo0, hi1 - lo1, hi2 - lo2];
      const axis = ext[0] >= ext[1] && ext[0] >= ext[2] ? 0 : ext[1] >= ext[2] ? 1 : 2;
      const sub = this.order.subarray(start, start + count);
      sub.sort((a, b) => cen[3 * a + axis] - cen[3 * b + axis]);
      const half = count >> 1;
      this.nLeft[node] = build(start, half);
      this.nRight[node] = build(start + half, count - half);
      return node;
    };
    if (nt > 0) build(0, nt);
  }

  /** Exact solid angle of triangle t seen from q, divided by 4π. */
  private triangleWinding(t: number, qx: number, qy: number, qz: number): number {
    const p = this.p, idx = this.idx;
    const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
    const ax = p[a] - qx, ay = p[a + 1] - qy, az = p[a + 2] - qz;
    const bx = p[b] - qx, by = p[b + 1] - qy, bz = p[b + 2] - qz;
    const cx = p[c] - qx, cy = p[c + 1] - qy, cz = p[c + 2] - qz;
    const la = Math.hypot(ax, ay, az), lb = Math.hypot(bx, by, bz), lc = Math.hypot(cx, cy, cz);
    const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
    const div = la * lb * lc + (ax * bx + ay * by + az * bz) * lc + (bx * cx + by * cy + bz * cz) * la + (cx * ax + cy * ay + cz * az) * lb;
    return (2 * Math.atan2(det, div)) / FOUR_PI;
  }

  /** Generalised winding number at (x, y, z): hierarchical approximation (`exact: true` sums every triangle). */
  winding(x: number, y: number, z: number, exact = false): number {
    if (this.nodes === 0) return 0;
    if (exact) {
      let w = 0;
      for (let t = 0; t < this.idx.length / 3; t++) w += this.triangleWinding(t, x, y, z);
      return w;
    }
    let w = 0;
    const stack = _stack;
    let sp = 0;
    stack[sp++] = 0;
    const beta = this.beta, d = this.nData;
    while (sp > 0) {
      const node = stack[--sp];
      const d7 = 7 * node;
      const dx = d[d7] - x, dy = d[d7 + 1] - y, dz = d[d7 + 2] - z;
      const dist2 = dx * dx + dy * dy + dz * dz;
      const r = d[d7 + 6] * beta;
      if (dist2 > r * r) {
        // dipole term: (n · (c − q)) / (4π |c − q|³)
        w += (d[d7 + 3] * dx + d[d7 + 4] * dy + d[d7 + 5] * dz) / (FOUR_PI * dist2 * Math.sqrt(dist2));
        continue;
      }
      const l = this.nLeft[node];
      if (l < 0) {
        const s = this.nStart[node], e = s + this.nCount[node];
        for (let i = s; i < e; i++) w += this.triangleWinding(this.order[i], x, y, z);
      } else {
        stack[sp++] = l;
        stack[sp++] = this.nRight[node];
      }
    }
    return w;
  }
}

const _stack = new Int32Array(256);
