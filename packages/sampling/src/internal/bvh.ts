/**
 * @internal Flat typed-array BVH over triangles with per-node dipole data for the fast winding
 * number (Barill et al. 2018). Nodes: bounds (6 floats), `left` child (right = left + 1) or, for a
 * leaf, `start`/`count` into the triangle order; dipole: area-weighted normal sum (3), area-weighted
 * centroid (3), radius (1).
 */
export interface FlatBvh {
  tri: Float64Array; // per triangle (in leaf order): a, b, c  (9 doubles)
  order: Uint32Array; // leaf-order index -> original triangle id
  rank: Uint32Array; // original triangle id -> leaf-order index (0 for left-out triangles)
  bounds: Float64Array; // 6 per node
  left: Int32Array; // left child index (right = left + 1), or for a leaf -1 - (8 * start + count)
  start: Uint32Array;
  count: Uint32Array;
  dipole: Float64Array; // 7 per node: nx ny nz cx cy cz r
  nodeCount: number;
  /** Pseudonormals per leaf-order triangle (21 doubles: face, edges ab bc ca, vertices a b c); sign mode "pseudonormal" only. */
  pn?: Float64Array;
  /** 1 where a leaf-order triangle's pseudonormals decide the sign (no defect within two rings). */
  clean?: Uint8Array;
  /** Farthest distance at which a clean triangle's pseudonormal decides the sign (Infinity for a clean closed mesh). */
  pnMaxDist?: number;
}

/** Sign modes of the signed queries. */
export const SIGN_WINDING = 0;
export const SIGN_RAYCAST = 1;
export const SIGN_PSEUDONORMAL = 2;

/** Largest leaf (triangles; at most 7, leaves are packed as 8 · start + count): small leaves keep the winding number's exact near field cheap. */
const LEAF = 2;
/** Depth below which splits are SAH splits; deeper ranges are halved (at most log2(n) more levels). */
const SAH_DEPTH = 64;
/** Deepest node: {@link SAH_DEPTH} plus halving 2^32 triangles. */
export const MAX_DEPTH = SAH_DEPTH + 33;
/** SAH bins per axis. */
const BINS = 16;

const _binCount = new Uint32Array(BINS);
const _binBox = new Float64Array(BINS * 6);
// prefix sums of the bins from the right (bins k..nb-1) and from the left (bins 0..k): count and box (min, -max)
const _rightCount = new Uint32Array(BINS);
const _rightBox = new Float64Array(BINS * 6);
const _leftCount = new Uint32Array(BINS);
const _leftBox = new Float64Array(BINS * 6);

/** Cumulative bin boxes (stored as min, -max) from bin `from` in steps of `step`: count and box of each prefix. */
const sweepBins = (from: number, step: number, nb: number, box: Float64Array, cnt: Uint32Array): void => {
  let x0 = Infinity, y0 = Infinity, z0 = Infinity, x1 = Infinity, y1 = Infinity, z1 = Infinity, c = 0;
  for (let k = from; k >= 0 && k < nb; k += step) {
    const q = 6 * k;
    if (_binCount[k] > 0) {
      c += _binCount[k];
      if (_binBox[q] < x0) x0 = _binBox[q];
      if (_binBox[q + 1] < y0) y0 = _binBox[q + 1];
      if (_binBox[q + 2] < z0) z0 = _binBox[q + 2];
      if (_binBox[q + 3] < x1) x1 = _binBox[q + 3];
      if (_binBox[q + 4] < y1) y1 = _binBox[q + 4];
      if (_binBox[q + 5] < z1) z1 = _binBox[q + 5];
    }
    cnt[k] = c;
    box[q] = x0; box[q + 1] = y0; box[q + 2] = z0; box[q + 3] = x1; box[q + 4] = y1; box[q + 5] = z1;
  }
};

/** Half the surface area of a prefix box stored as (min, -max). */
const prefixArea = (b: Float64Array, q: number): number => {
  const dx = -b[q + 3] - b[q], dy = -b[q + 4] - b[q + 1], dz = -b[q + 5] - b[q + 2];
  return dx * dy + dy * dz + dz * dx;
};

/**
 * Bin triangles [s, e) by centroid along `axis` over [lo, lo + nb / scale) and return the SAH split
 * bin (left = bins below it), or -1 when every centroid falls into one bin.
 */
const binSplit = (tb: Float32Array, cen: Float32Array, s: number, e: number, axis: number, lo: number, scale: number, nb: number): number => {
  _binCount.fill(0, 0, nb);
  _binBox.fill(Infinity, 0, 6 * nb);
  for (let i = s; i < e; i++) {
    const o = 6 * i;
    let k = ((cen[3 * i + axis] - lo) * scale) | 0;
    if (k >= nb) k = nb - 1;
    else if (k < 0) k = 0;
    _binCount[k]++;
    // boxes kept as (min, -max) so that every update is a min
    const q = 6 * k;
    if (tb[o] < _binBox[q]) _binBox[q] = tb[o];
    if (tb[o + 1] < _binBox[q + 1]) _binBox[q + 1] = tb[o + 1];
    if (tb[o + 2] < _binBox[q + 2]) _binBox[q + 2] = tb[o + 2];
    if (-tb[o + 3] < _binBox[q + 3]) _binBox[q + 3] = -tb[o + 3];
    if (-tb[o + 4] < _binBox[q + 4]) _binBox[q + 4] = -tb[o + 4];
    if (-tb[o + 5] < _binBox[q + 5]) _binBox[q + 5] = -tb[o + 5];
  }
  sweepBins(nb - 1, -1, nb, _rightBox, _rightCount);
  sweepBins(0, 1, nb, _leftBox, _leftCount);
  let bestCost = Infinity, bestBin = -1;
  for (let k = 1; k < nb; k++) {
    if (_leftCount[k - 1] === 0 || _rightCount[k] === 0) continue;
    const cost = prefixArea(_leftBox, 6 * (k - 1)) * _leftCount[k - 1] + prefixArea(_rightBox, 6 * k) * _rightCount[k];
    if (cost < bestCost) { bestCost = cost; bestBin = k; }
  }
  return bestBin;
};

/**
 * Binned-SAH build (Wald 2007) over typed arrays: per node, up to 16 centroid bins along the
 * longest axis of its box (of its centroids' box when they all fall into one bin), the split of
 * least `area(L)·|L| + area(R)·|R|`, children's boxes from the bins; leaves of at most
 * {@link LEAF} triangles. Triangles with `keep[t] = 0` (degenerate) are left out.
 */
export const buildBvh = (positions: Float32Array, indices: Uint32Array, keep: Uint8Array): FlatBvh => {
  const tCount = indices.length / 3;
  let n = 0;
  for (let t = 0; t < tCount; t++) n += keep[t];
  const order = new Uint32Array(n);
  // per kept triangle, by position in `order` (swapped along with it): bounds (6) and centroid (3);
  // float32 is exact for the bounds of float32 vertices
  const tb = new Float32Array(n * 6), cen = new Float32Array(n * 3);
  const maxNodes = Math.max(1, 2 * n - 1);
  const bounds = new Float64Array(maxNodes * 6);
  bounds.fill(Infinity, 0, 3);
  bounds.fill(-Infinity, 3, 6);
  for (let t = 0, k = 0; t < tCount; t++) {
    if (!keep[t]) continue;
    order[k] = t;
    const a = 3 * indices[3 * t], b = 3 * indices[3 * t + 1], c = 3 * indices[3 * t + 2];
    for (let d = 0; d < 3; d++) {
      const va = positions[a + d], vb = positions[b + d], vc = positions[c + d];
      const lo = va < vb ? (va < vc ? va : vc) : vb < vc ? vb : vc, hi = va > vb ? (va > vc ? va : vc) : vb > vc ? vb : vc;
      tb[6 * k + d] = lo;
      tb[6 * k + 3 + d] = hi;
      cen[3 * k + d] = (lo + hi) / 2;
      if (lo < bounds[d]) bounds[d] = lo;
      if (hi > bounds[3 + d]) bounds[3 + d] = hi;
    }
    k++;
  }
  const left = new Int32Array(maxNodes);
  const start = new Uint32Array(maxNodes);
  const count = new Uint32Array(maxNodes);
  const depth = new Uint8Array(maxNodes);
  let nodeCount = 1;
  const stack = new Int32Array(MAX_DEPTH + 2);
  let sp = 0;
  stack[sp++] = 0;
  count[0] = n;
  while (sp > 0) {
    const nd = stack[--sp];
    const s = start[nd], c = count[nd], e = s + c;
    if (c <= LEAF) { left[nd] = -1 - (8 * s + c); continue; }
    const bo = 6 * nd;
    const nb = c < BINS ? c : BINS; // fewer bins for small nodes: their set-up dominates there
    // binned SAH along the longest axis of the node's box (past SAH_DEPTH levels: halve the range,
    // so that the depth stays below MAX_DEPTH and the query stacks cannot overflow)
    let axis = -1, lo = 0, scale = 0, split = -1;
    if (depth[nd] < SAH_DEPTH) {
      const ex = bounds[bo + 3] - bounds[bo], ey = bounds[bo + 4] - bounds[bo + 1], ez = bounds[bo + 5] - bounds[bo + 2];
      axis = ex >= ey && ex >= ez ? 0 : ey >= ez ? 1 : 2;
      lo = bounds[bo + axis];
      const ext = bounds[bo + 3 + axis] - lo;
      scale = ext > 0 ? nb / ext : 0;
      if (scale > 0) split = binSplit(tb, cen, s, e, axis, lo, scale, nb);
      if (split < 0) {
        // all centroids in one bin: bin over the centroids' own extent on their longest axis
        let x0 = Infinity, y0 = Infinity, z0 = Infinity, x1 = -Infinity, y1 = -Infinity, z1 = -Infinity;
        for (let i = 3 * s; i < 3 * e; i += 3) {
          const x = cen[i], y = cen[i + 1], z = cen[i + 2];
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
          if (z < z0) z0 = z;
          if (z > z1) z1 = z;
        }
        const cx = x1 - x0, cy = y1 - y0, cz = z1 - z0;
        axis = cx >= cy && cx >= cz ? 0 : cy >= cz ? 1 : 2;
        lo = axis === 0 ? x0 : axis === 1 ? y0 : z0;
        const cext = axis === 0 ? cx : axis === 1 ? cy : cz;
        scale = cext > 0 ? nb / cext : 0;
        if (scale > 0) split = binSplit(tb, cen, s, e, axis, lo, scale, nb);
      }
    }
    const l = nodeCount;
    nodeCount += 2;
    let m: number;
    if (split > 0) {
      // partition by bin; the children's boxes are the sweeps' prefix boxes
      let i = s, j = e - 1;
      while (i <= j) {
        let k = ((cen[3 * i + axis] - lo) * scale) | 0;
        if (k >= nb) k = nb - 1;
        else if (k < 0) k = 0;
        if (k < split) { i++; continue; }
        const t = order[i]; order[i] = order[j]; order[j] = t;
        for (let q = 0; q < 6; q++) { const v = tb[6 * i + q]; tb[6 * i + q] = tb[6 * j + q]; tb[6 * j + q] = v; }
        for (let q = 0; q < 3; q++) { const v = cen[3 * i + q]; cen[3 * i + q] = cen[3 * j + q]; cen[3 * j + q] = v; }
        j--;
      }
      m = i - s;
      const L = 6 * (split - 1), R = 6 * split;
      for (let q = 0; q < 3; q++) {
        bounds[6 * l + q] = _leftBox[L + q];
        bounds[6 * l + 3 + q] = -_leftBox[L + 3 + q];
        bounds[6 * l + 6 + q] = _rightBox[R + q];
        bounds[6 * l + 9 + q] = -_rightBox[R + 3 + q];
      }
    } else {
      // all centroids equal, or too deep: the first half goes left
      m = c >> 1;
      for (let ch = 0; ch < 2; ch++) {
        const B = 6 * (l + ch);
        bounds.fill(Infinity, B, B + 3);
        bounds.fill(-Infinity, B + 3, B + 6);
        for (let i = ch === 0 ? s : s + m, ie = ch === 0 ? s + m : e; i < ie; i++)
          for (let q = 0; q < 3; q++) {
            if (tb[6 * i + q] < bounds[B + q]) bounds[B + q] = tb[6 * i + q];
            if (tb[6 * i + 3 + q] > bounds[B + 3 + q]) bounds[B + 3 + q] = tb[6 * i + 3 + q];
          }
      }
    }
    left[nd] = l;
    start[l] = s; count[l] = m;
    start[l + 1] = s + m; count[l + 1] = c - m;
    depth[l] = depth[l + 1] = depth[nd] + 1;
    stack[sp++] = l;
    stack[sp++] = l + 1;
  }
  const tri = new Float64Array(n * 9);
  const rank = new Uint32Array(tCount);
  for (let i = 0; i < n; i++) {
    const t = order[i];
    rank[t] = i;
    for (let v = 0; v < 3; v++) {
      const p = indices[t * 3 + v] * 3;
      tri[i * 9 + v * 3] = positions[p];
      tri[i * 9 + v * 3 + 1] = positions[p + 1];
      tri[i * 9 + v * 3 + 2] = positions[p + 2];
    }
  }
  // dipole data bottom-up (children always have larger indices than parents): sums of the
  // area-weighted normal, area and area-weighted centroid; leaves from their triangles
  const dipole = new Float64Array(nodeCount * 7);
  const area = new Float64Array(nodeCount);
  for (let nd = nodeCount - 1; nd >= 0; nd--) {
    let nx = 0, ny = 0, nz = 0, ax = 0, ay = 0, az = 0, aw = 0;
    const o7 = nd * 7, l = left[nd];
    if (l >= 0) {
      for (let ch = l; ch <= l + 1; ch++) {
        const q = ch * 7, w = area[ch];
        nx += dipole[q]; ny += dipole[q + 1]; nz += dipole[q + 2];
        ax += w * dipole[q + 3]; ay += w * dipole[q + 4]; az += w * dipole[q + 5];
        aw += w;
      }
    } else {
      for (let i = start[nd], e = i + count[nd]; i < e; i++) {
        const o = i * 9;
        const ux = tri[o + 3] - tri[o], uy = tri[o + 4] - tri[o + 1], uz = tri[o + 5] - tri[o + 2];
        const vx = tri[o + 6] - tri[o], vy = tri[o + 7] - tri[o + 1], vz = tri[o + 8] - tri[o + 2];
        const qx = (uy * vz - uz * vy) / 2, qy = (uz * vx - ux * vz) / 2, qz = (ux * vy - uy * vx) / 2;
        const a = Math.sqrt(qx * qx + qy * qy + qz * qz);
        nx += qx; ny += qy; nz += qz;
        ax += (a * (tri[o] + tri[o + 3] + tri[o + 6])) / 3;
        ay += (a * (tri[o + 1] + tri[o + 4] + tri[o + 7])) / 3;
        az += (a * (tri[o + 2] + tri[o + 5] + tri[o + 8])) / 3;
        aw += a;
      }
    }
    area[nd] = aw;
    const b = nd * 6;
    const cx = aw > 0 ? ax / aw : (bounds[b] + bounds[b + 3]) / 2;
    const cy = aw > 0 ? ay / aw : (bounds[b + 1] + bounds[b + 4]) / 2;
    const cz = aw > 0 ? az / aw : (bounds[b + 2] + bounds[b + 5]) / 2;
    // radius: farthest box corner from the centroid
    const rx = Math.max(cx - bounds[b], bounds[b + 3] - cx), ry = Math.max(cy - bounds[b + 1], bounds[b + 4] - cy), rz = Math.max(cz - bounds[b + 2], bounds[b + 5] - cz);
    dipole[o7] = nx; dipole[o7 + 1] = ny; dipole[o7 + 2] = nz;
    dipole[o7 + 3] = cx; dipole[o7 + 4] = cy; dipole[o7 + 5] = cz;
    dipole[o7 + 6] = Math.sqrt(rx * rx + ry * ry + rz * rz);
  }
  return { tri, order, rank, bounds: bounds.slice(0, nodeCount * 6), left: left.slice(0, nodeCount), start: start.slice(0, nodeCount), count: count.slice(0, nodeCount), dipole, nodeCount };
};

/** Offsets (into a triangle's 21 pseudonormal doubles) of the feature the last closest point lies on. */
const R_FACE = 0, R_AB = 3, R_BC = 6, R_CA = 9, R_A = 12, R_B = 15, R_C = 18;

/**
 * What the last {@link pointTriangle} and {@link closestDist2} call found: [qx, qy, qz, feature
 * offset, squared distance]. A typed array, so that no double is boxed: a double returned from a
 * call that V8 does not inline is a heap allocation, millions of them per batch.
 */
export const closestPoint = new Float64Array(5);

/**
 * Squared distance from p to triangle (a, b, c) (Ericson, Real-Time Collision Detection 5.1.5), with
 * the closest point and its feature, into {@link closestPoint}.
 */
export const pointTriangle = (t: Float64Array, o: number, px: number, py: number, pz: number): void => {
  const ax = t[o], ay = t[o + 1], az = t[o + 2];
  const abx = t[o + 3] - ax, aby = t[o + 4] - ay, abz = t[o + 5] - az;
  const acx = t[o + 6] - ax, acy = t[o + 7] - ay, acz = t[o + 8] - az;
  const apx = px - ax, apy = py - ay, apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz, d2 = acx * apx + acy * apy + acz * apz;
  let qx: number, qy: number, qz: number;
  let region = R_FACE;
  if (d1 <= 0 && d2 <= 0) { qx = ax; qy = ay; qz = az; region = R_A; }
  else {
    const bpx = px - t[o + 3], bpy = py - t[o + 4], bpz = pz - t[o + 5];
    const d3 = abx * bpx + aby * bpy + abz * bpz, d4 = acx * bpx + acy * bpy + acz * bpz;
    if (d3 >= 0 && d4 <= d3) { qx = t[o + 3]; qy = t[o + 4]; qz = t[o + 5]; region = R_B; }
    else {
      const vc = d1 * d4 - d3 * d2;
      if (vc <= 0 && d1 >= 0 && d3 <= 0) { const v = d1 / (d1 - d3); qx = ax + v * abx; qy = ay + v * aby; qz = az + v * abz; region = R_AB; }
      else {
        const cpx = px - t[o + 6], cpy = py - t[o + 7], cpz = pz - t[o + 8];
        const d5 = abx * cpx + aby * cpy + abz * cpz, d6 = acx * cpx + acy * cpy + acz * cpz;
        if (d6 >= 0 && d5 <= d6) { qx = t[o + 6]; qy = t[o + 7]; qz = t[o + 8]; region = R_C; }
        else {
          const vb = d5 * d2 - d1 * d6;
          if (vb <= 0 && d2 >= 0 && d6 <= 0) { const w = d2 / (d2 - d6); qx = ax + w * acx; qy = ay + w * acy; qz = az + w * acz; region = R_CA; }
          else {
            const va = d3 * d6 - d5 * d4;
            if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
              const w = (d4 - d3) / (d4 - d3 + (d5 - d6));
              qx = t[o + 3] + w * (t[o + 6] - t[o + 3]); qy = t[o + 4] + w * (t[o + 7] - t[o + 4]); qz = t[o + 5] + w * (t[o + 8] - t[o + 5]);
              region = R_BC;
            } else {
              const den = 1 / (va + vb + vc), v = vb * den, w = vc * den;
              qx = ax + abx * v + acx * w; qy = ay + aby * v + acy * w; qz = az + abz * v + acz * w;
            }
          }
        }
      }
    }
  }
  const dx = px - qx, dy = py - qy, dz = pz - qz;
  closestPoint[0] = qx; closestPoint[1] = qy; closestPoint[2] = qz; closestPoint[3] = region;
  closestPoint[4] = dx * dx + dy * dy + dz * dz;
};

const boxDist2 = (b: Float64Array, o: number, x: number, y: number, z: number): number => {
  const dx = x < b[o] ? b[o] - x : x > b[o + 3] ? x - b[o + 3] : 0;
  const dy = y < b[o + 1] ? b[o + 1] - y : y > b[o + 4] ? y - b[o + 4] : 0;
  const dz = z < b[o + 2] ? b[o + 2] - z : z > b[o + 5] ? z - b[o + 5] : 0;
  return dx * dx + dy * dy + dz * dz;
};

const stackBuf = new Int32Array(256);
const distBuf = new Float64Array(256);

/**
 * Exact squared distance to the closest triangle; `hit[0]` receives its leaf-order index, {@link closestPoint} the point.
 * `hint` (a leaf-order triangle index, e.g. the triangle a near-surface sample was drawn from) seeds
 * the bound, so that the search prunes from the start; the answer does not depend on it.
 */
export const closestDist2 = (bvh: FlatBvh, x: number, y: number, z: number, hit: Int32Array, hint = -1): number => {
  const { bounds, left, tri } = bvh;
  let best = Infinity, bestI = -1, sp = 0;
  if (hint >= 0) {
    pointTriangle(tri, hint * 9, x, y, z);
    best = closestPoint[4];
    bestI = hint;
  }
  stackBuf[sp] = 0;
  distBuf[sp++] = boxDist2(bounds, 0, x, y, z);
  while (sp > 0) {
    if (distBuf[--sp] >= best) continue;
    const nd = stackBuf[sp];
    const l = left[nd];
    if (l < 0) {
      const s = (-1 - l) >> 3, e = s + ((-1 - l) & 7);
      for (let i = s; i < e; i++) {
        pointTriangle(tri, i * 9, x, y, z);
        if (closestPoint[4] < best) { best = closestPoint[4]; bestI = i; }
      }
    } else {
      const dl = boxDist2(bounds, l * 6, x, y, z), dr = boxDist2(bounds, (l + 1) * 6, x, y, z);
      // nearer child on top of the stack
      if (dl < dr) {
        if (dr < best) { stackBuf[sp] = l + 1; distBuf[sp++] = dr; }
        if (dl < best) { stackBuf[sp] = l; distBuf[sp++] = dl; }
      } else {
        if (dl < best) { stackBuf[sp] = l; distBuf[sp++] = dl; }
        if (dr < best) { stackBuf[sp] = l + 1; distBuf[sp++] = dr; }
      }
    }
  }
  hit[0] = bestI;
  if (bestI >= 0) pointTriangle(tri, bestI * 9, x, y, z); // its closest point and feature
  return best;
};

/** Signed solid angle of triangle o seen from p (Van Oosterom & Strackee), in steradians. */
export const solidAngle = (t: Float64Array, o: number, px: number, py: number, pz: number): number => {
  const ax = t[o] - px, ay = t[o + 1] - py, az = t[o + 2] - pz;
  const bx = t[o + 3] - px, by = t[o + 4] - py, bz = t[o + 5] - pz;
  const cx = t[o + 6] - px, cy = t[o + 7] - py, cz = t[o + 8] - pz;
  const la = Math.hypot(ax, ay, az), lb = Math.hypot(bx, by, bz), lc = Math.hypot(cx, cy, cz);
  const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  const den = la * lb * lc + (ax * bx + ay * by + az * bz) * lc + (bx * cx + by * cy + bz * cz) * la + (cx * ax + cy * ay + cz * az) * lb;
  return 2 * Math.atan2(det, den);
};

/**
 * Generalised winding number at p. `beta` = 0 gives the exact sum over all triangles; otherwise a
 * node whose dipole centre is farther than `beta * radius` is replaced by its first-order (dipole)
 * term `(c - p) · N / (4π |c - p|³)` (Barill et al. 2018), exact near the surface.
 */
export const windingNumber = (bvh: FlatBvh, x: number, y: number, z: number, beta: number): number => {
  const { left, start, count, tri, dipole } = bvh;
  let w = 0, sp = 0;
  stackBuf[sp++] = 0;
  const b2 = beta * beta;
  while (sp > 0) {
    const nd = stackBuf[--sp];
    const o = nd * 7;
    if (beta > 0) {
      const dx = dipole[o + 3] - x, dy = dipole[o + 4] - y, dz = dipole[o + 5] - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      const r = dipole[o + 6];
      if (d2 > b2 * r * r) {
        w += (dx * dipole[o] + dy * dipole[o + 1] + dz * dipole[o + 2]) / (4 * Math.PI * d2 * Math.sqrt(d2));
        continue;
      }
    }
    const l = left[nd];
    if (l < 0) {
      const s = start[nd], e = s + count[nd];
      for (let i = s; i < e; i++) w += solidAngle(tri, i * 9, x, y, z) / (4 * Math.PI);
    } else { stackBuf[sp++] = l; stackBuf[sp++] = l + 1; }
  }
  return w;
};

const rayBox = (b: Float64Array, o: number, x: number, y: number, z: number, ix: number, iy: number, iz: number): boolean => {
  let t0 = (b[o] - x) * ix, t1 = (b[o + 3] - x) * ix;
  let tmin = Math.min(t0, t1), tmax = Math.max(t0, t1);
  t0 = (b[o + 1] - y) * iy; t1 = (b[o + 4] - y) * iy;
  tmin = Math.max(tmin, Math.min(t0, t1)); tmax = Math.min(tmax, Math.max(t0, t1));
  t0 = (b[o + 2] - z) * iz; t1 = (b[o + 5] - z) * iz;
  tmin = Math.max(tmin, Math.min(t0, t1)); tmax = Math.min(tmax, Math.max(t0, t1));
  return tmax >= Math.max(tmin, 0);
};

/** Number of triangles hit by the ray p + t d, t > 0 (Möller–Trumbore). */
export const rayCrossings = (bvh: FlatBvh, x: number, y: number, z: number, dx: number, dy: number, dz: number): number => {
  const { bounds, left, start, count, tri } = bvh;
  const ix = 1 / dx, iy = 1 / dy, iz = 1 / dz;
  let hits = 0, sp = 0;
  stackBuf[sp++] = 0;
  while (sp > 0) {
    const nd = stackBuf[--sp];
    if (!rayBox(bounds, nd * 6, x, y, z, ix, iy, iz)) continue;
    const l = left[nd];
    if (l >= 0) { stackBuf[sp++] = l; stackBuf[sp++] = l + 1; continue; }
    const s = start[nd], e = s + count[nd];
    for (let i = s; i < e; i++) {
      const o = i * 9;
      const e1x = tri[o + 3] - tri[o], e1y = tri[o + 4] - tri[o + 1], e1z = tri[o + 5] - tri[o + 2];
      const e2x = tri[o + 6] - tri[o], e2y = tri[o + 7] - tri[o + 1], e2z = tri[o + 8] - tri[o + 2];
      const px = dy * e2z - dz * e2y, py = dz * e2x - dx * e2z, pz = dx * e2y - dy * e2x;
      const det = e1x * px + e1y * py + e1z * pz;
      if (det === 0) continue;
      const inv = 1 / det;
      const tx = x - tri[o], ty = y - tri[o + 1], tz = z - tri[o + 2];
      const u = (tx * px + ty * py + tz * pz) * inv;
      if (u < 0 || u > 1) continue;
      const qx = ty * e1z - tz * e1y, qy = tz * e1x - tx * e1z, qz = tx * e1y - ty * e1x;
      const v = (dx * qx + dy * qy + dz * qz) * inv;
      if (v < 0 || u + v > 1) continue;
      if ((e2x * qx + e2y * qy + e2z * qz) * inv > 0) hits++;
    }
  }
  return hits;
};

/** |winding − 1/2| below which the hierarchical winding number is recomputed with a 4x larger beta. */
const AMBIGUOUS = 0.05;

const RAYS = [0.5773, 0.5774, 0.5775, -0.6412, 0.3211, -0.6969, 0.2137, -0.9012, 0.3771];

/** Inside test: |winding| > 0.5 (`beta` as in {@link windingNumber}), or majority of 3 ray-parity votes. */
export const insideTest = (bvh: FlatBvh, raycast: boolean, beta: number, x: number, y: number, z: number): boolean => {
  if (!raycast) {
    const w = Math.abs(windingNumber(bvh, x, y, z, beta));
    // within the far-field approximation's error of 1/2 (points in a hole's mouth): ask again, 4x farther out
    return beta > 0 && Math.abs(w - 0.5) < AMBIGUOUS ? Math.abs(windingNumber(bvh, x, y, z, 4 * beta)) > 0.5 : w > 0.5;
  }
  let votes = 0;
  for (let r = 0; r < 9; r += 3) votes += rayCrossings(bvh, x, y, z, RAYS[r], RAYS[r + 1], RAYS[r + 2]) & 1;
  return votes >= 2;
};

const hitBuf = new Int32Array(1);

/**
 * Inside test right after {@link closestDist2} (whose result is `d` and `hitBuf`/{@link closestPoint}):
 * with the pseudonormal mode, the angle-weighted pseudonormal of the closest feature decides
 * (Bærentzen & Aanæs 2005: exact for closed, consistently oriented manifolds) when that triangle is
 * clean and the point is within `pnMaxDist`; everything else falls back to the winding number.
 */
const insideAfterClosest = (bvh: FlatBvh, mode: number, beta: number, x: number, y: number, z: number, d: number, hit: number): boolean => {
  if (mode === SIGN_PSEUDONORMAL && bvh.clean![hit] && d <= bvh.pnMaxDist!) {
    const o = hit * 21 + closestPoint[3];
    const pn = bvh.pn!;
    const s = (x - closestPoint[0]) * pn[o] + (y - closestPoint[1]) * pn[o + 1] + (z - closestPoint[2]) * pn[o + 2];
    if (s !== 0) return s < 0;
  }
  return insideTest(bvh, mode === SIGN_RAYCAST, beta, x, y, z);
};

/**
 * Signed distance (negative inside) for points [from, to); `mode` is SIGN_WINDING, SIGN_RAYCAST or SIGN_PSEUDONORMAL.
 * `hints[i]` (optional): an original triangle id near point i (the one it was drawn from) or -1, to seed the search.
 */
export const signedRangeBvh = (bvh: FlatBvh, mode: number, beta: number, points: Float32Array, res: Float32Array, from: number, to: number, hints?: Int32Array): void => {
  const rank = bvh.rank;
  for (let i = from; i < to; i++) {
    const x = points[i * 3], y = points[i * 3 + 1], z = points[i * 3 + 2];
    const h = hints ? hints[i] : -1;
    const d = Math.sqrt(closestDist2(bvh, x, y, z, hitBuf, h >= 0 ? rank[h] : -1));
    res[i] = insideAfterClosest(bvh, mode, beta, x, y, z, d, hitBuf[0]) ? -d : d;
  }
};

/** Copy the BVH's arrays into SharedArrayBuffers (for worker threads); arrays already shared are kept. */
export const shareBvh = (bvh: FlatBvh): FlatBvh => {
  const share = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T): T => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const C = a.constructor as { new (b: SharedArrayBuffer): T };
    const s = new C(new SharedArrayBuffer(a.byteLength));
    s.set(a as never);
    return s;
  };
  return {
    tri: share(bvh.tri), order: share(bvh.order), rank: share(bvh.rank), bounds: share(bvh.bounds), left: share(bvh.left), start: share(bvh.start), count: share(bvh.count), dipole: share(bvh.dipole), nodeCount: bvh.nodeCount,
    ...(bvh.pn ? { pn: share(bvh.pn), clean: share(bvh.clean!), pnMaxDist: bvh.pnMaxDist } : {}),
  };
};
