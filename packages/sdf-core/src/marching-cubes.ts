import type { Grid3, Mesh } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { __checkNumber } from "./internal/validate.js";
import { __checkBounds, __checkRes } from "./sample-grid.js";
import { __mcTables } from "./internal/mc-tables.js";

/** Options of {@link marchingCubes}. */
export interface MarchingCubesOptions {
  /** Level to extract; a sample is inside when its value is < iso. @defaultValue 0 */
  iso: number;
  /** Also return per-vertex unit normals from the grid gradient (central differences). @defaultValue false */
  computeNormals: boolean;
}

/** Defaults of {@link marchingCubes}. */
export const DEFAULT_MARCHING_CUBES: MarchingCubesOptions = { iso: 0, computeNormals: false };


/**
 * Extract the `iso` level set of a grid as a triangle mesh.
 *
 * - One vertex per crossed grid edge, shared by all cells around it (edge caches per z slab).
 * - Closed: a level set that does not touch the grid boundary gives a watertight 2-manifold
 *   (ambiguous faces are decided from the face's own corners only, see `internal/mc-tables.ts`).
 * - Oriented: triangles are counter-clockwise seen from the side of larger values, so for an SDF
 *   the normals point outward and the signed volume is positive.
 * - Vertex positions interpolate linearly along the edge; a sample exactly at `iso` counts as outside.
 *
 * @param grid - x-fastest samples (`Grid3`), res ≥ 2 per axis, finite values.
 * @returns a Mesh with exactly-sized arrays (`normals` when `computeNormals`); empty when nothing crosses.
 * @throws InvalidArgumentError on a malformed grid, a non-finite `iso`, or a NaN/infinite sample (naming its index).
 * @example const mesh = marchingCubes(sampleGrid(sphere(0.5), { res: 64 }));
 */
export const marchingCubes = (grid: Grid3, opts: Partial<MarchingCubesOptions> = {}): Mesh => {
  const fn = "marchingCubes";
  if (typeof grid !== "object" || grid === null) throw new InvalidArgumentError(fn, "grid", "a Grid3 { data, res, bounds }", grid);
  const o = { ...DEFAULT_MARCHING_CUBES, ...opts };
  const iso = __checkNumber(fn, "opts.iso", o.iso);
  const [nx, ny, nz] = __checkRes(fn, grid.res);
  const bounds = __checkBounds(fn, grid.bounds);
  const data = grid.data;
  if (!(data instanceof Float32Array) || data.length !== nx * ny * nz)
    throw new InvalidArgumentError(fn, "grid.data", `a Float32Array of length ${nx * ny * nz} (res ${nx}×${ny}×${nz})`, data);
  const wantNormals = o.computeNormals === true;
  // module bindings can compile to getters (CJS interop); read the tables through locals
  const { triangles: TRI, counts: COUNTS } = __mcTables();

  const [x0, y0, z0] = bounds.min;
  const hx = (bounds.max[0] - x0) / (nx - 1), hy = (bounds.max[1] - y0) / (ny - 1), hz = (bounds.max[2] - z0) / (nz - 1);
  const nxy = nx * ny;

  // layer state: A = layer z, B = layer z + 1. S: inside flags; T/TS: per-row sorted lists of
  // transition columns t (S[t] != S[t - 1]), CSR by row; X/Y: vertex ids of crossed x/y edges.
  let SA: Uint8Array = new Uint8Array(nxy), SB: Uint8Array = new Uint8Array(nxy);
  let TA: Int32Array = new Int32Array(nxy), TB: Int32Array = new Int32Array(nxy);
  let TSA: Int32Array = new Int32Array(ny + 1), TSB: Int32Array = new Int32Array(ny + 1);
  let XA: Int32Array = new Int32Array(nxy), XB: Int32Array = new Int32Array(nxy);
  let YA: Int32Array = new Int32Array(nxy), YB: Int32Array = new Int32Array(nxy);
  const ZE = new Int32Array(nxy);

  // initial capacity ~ one slab's worth of surface; grows by doubling
  let vcap = Math.max(1024, nxy), tcap = 2 * vcap;
  let pos = new Float32Array(3 * vcap);
  let nrm = wantNormals ? new Float32Array(3 * vcap) : new Float32Array(0);
  let idx = new Uint32Array(3 * tcap);
  let nv = 0, nt = 0;

  /** gradient of the grid at sample g (i, j, k), one-sided at the borders, into _g */
  const _g = new Float64Array(3);
  const gradAt = (g: number, i: number, j: number, k: number) => {
    _g[0] = i === 0 ? (data[g + 1] - data[g]) / hx : i === nx - 1 ? (data[g] - data[g - 1]) / hx : (data[g + 1] - data[g - 1]) / (2 * hx);
    _g[1] = j === 0 ? (data[g + nx] - data[g]) / hy : j === ny - 1 ? (data[g] - data[g - nx]) / hy : (data[g + nx] - data[g - nx]) / (2 * hy);
    _g[2] = k === 0 ? (data[g + nxy] - data[g]) / hz : k === nz - 1 ? (data[g] - data[g - nxy]) / hz : (data[g + nxy] - data[g - nxy]) / (2 * hz);
  };

  /** new vertex on the edge from sample g0 (grid i, j, k) to g0 + step along `axis`; returns its id */
  const addVertex = (g0: number, step: number, axis: number, i: number, j: number, k: number): number => {
    if (nv === vcap) {
      vcap *= 2;
      const p2 = new Float32Array(3 * vcap);
      p2.set(pos);
      pos = p2;
      if (wantNormals) {
        const n2 = new Float32Array(3 * vcap);
        n2.set(nrm);
        nrm = n2;
      }
    }
    const v0 = data[g0], v1 = data[g0 + step];
    const t = (iso - v0) / (v1 - v0);
    const o3 = 3 * nv;
    pos[o3] = x0 + (axis === 0 ? i + t : i) * hx;
    pos[o3 + 1] = y0 + (axis === 1 ? j + t : j) * hy;
    pos[o3 + 2] = z0 + (axis === 2 ? k + t : k) * hz;
    if (wantNormals) {
      gradAt(g0, i, j, k);
      const ax = _g[0], ay = _g[1], az = _g[2];
      gradAt(g0 + step, axis === 0 ? i + 1 : i, axis === 1 ? j + 1 : j, axis === 2 ? k + 1 : k);
      const gx = ax + t * (_g[0] - ax), gy = ay + t * (_g[1] - ay), gz = az + t * (_g[2] - az);
      const l = Math.sqrt(gx * gx + gy * gy + gz * gz);
      if (l > 0) {
        nrm[o3] = gx / l;
        nrm[o3 + 1] = gy / l;
        nrm[o3 + 2] = gz / l;
      }
    }
    return nv++;
  };

  /** Signs, transition lists and x edge vertices of layer k. */
  const loadLayer = (k: number, S: Uint8Array, T: Int32Array, TS: Int32Array, X: Int32Array) => {
    const base = k * nxy;
    let n = 0;
    for (let j = 0, row = 0; j < ny; j++, row += nx) {
      TS[j] = n;
      const g = base + row;
      const v0 = data[g];
      let prev = v0 < iso ? 1 : 0;
      S[row] = prev;
      let bad = v0 - v0; // becomes NaN on any NaN or infinite sample
      for (let i = 1; i < nx; i++) {
        const v = data[g + i];
        bad += v - v;
        const s = v < iso ? 1 : 0;
        S[row + i] = s;
        if (s !== prev) T[n++] = i;
        prev = s;
      }
      if (bad !== 0) {
        let i = 0;
        while (Number.isFinite(data[g + i])) i++;
        throw new InvalidArgumentError(fn, "grid.data", "finite values", `${data[g + i]} at sample ${g + i} (i ${i}, j ${j}, k ${k})`);
      }
      for (let q = TS[j]; q < n; q++) {
        const p = row + T[q] - 1;
        X[p] = addVertex(base + p, 1, 0, T[q] - 1, j, k);
      }
    }
    TS[ny] = n;
  };

  /**
   * Vertices on the edges between two sample rows (S1 row r1, S2 row r2) wherever they differ,
   * found by merging the two transition lists; `step` is the grid offset from row 1 to row 2.
   */
  const crossEdges = (S1: Uint8Array, T1: Int32Array, a1: number, e1: number, S2: Uint8Array, T2: Int32Array, a2: number, e2: number,
    row1: number, row2: number, E: Int32Array, g0: number, step: number, axis: number, j: number, k: number) => {
    let i = 0;
    while (i < nx) {
      const h1 = a1 < e1 ? T1[a1] : nx, h2 = a2 < e2 ? T2[a2] : nx;
      const t = h1 < h2 ? h1 : h2;
      if (S1[row1 + i] !== S2[row2 + i]) for (let c = i; c < t; c++) E[row1 + c] = addVertex(g0 + c, step, axis, c, j, k);
      if (h1 === t) a1++;
      if (h2 === t) a2++;
      i = t;
    }
  };

  const ev = new Int32Array(12);
  /** Triangles of cell (i, j) of the current slab. */
  const emitCell = (p: number) => {
    const cfg = SA[p] | (SA[p + 1] << 1) | (SA[p + nx] << 2) | (SA[p + nx + 1] << 3) | (SB[p] << 4) | (SB[p + 1] << 5) | (SB[p + nx] << 6) | (SB[p + nx + 1] << 7);
    if (cfg === 0 || cfg === 255) return;
    ev[0] = XA[p]; ev[1] = XA[p + nx]; ev[2] = XB[p]; ev[3] = XB[p + nx];
    ev[4] = YA[p]; ev[5] = YA[p + 1]; ev[6] = YB[p]; ev[7] = YB[p + 1];
    ev[8] = ZE[p]; ev[9] = ZE[p + 1]; ev[10] = ZE[p + nx]; ev[11] = ZE[p + nx + 1];
    const cnt = COUNTS[cfg], off = cfg << 4;
    if (3 * nt + cnt > idx.length) {
      tcap *= 2;
      const i2 = new Uint32Array(3 * tcap);
      i2.set(idx);
      idx = i2;
    }
    let w = 3 * nt;
    for (let e = 0; e < cnt; e++) idx[w++] = ev[TRI[off + e]];
    nt += cnt / 3;
  };

  loadLayer(0, SA, TA, TSA, XA);
  for (let j = 0; j < ny - 1; j++) crossEdges(SA, TA, TSA[j], TSA[j + 1], SA, TA, TSA[j + 1], TSA[j + 2], j * nx, (j + 1) * nx, YA, j * nx, nx, 1, j, 0);
  for (let k = 0; k < nz - 1; k++) {
    loadLayer(k + 1, SB, TB, TSB, XB);
    const baseB = (k + 1) * nxy;
    for (let j = 0; j < ny - 1; j++)
      crossEdges(SB, TB, TSB[j], TSB[j + 1], SB, TB, TSB[j + 1], TSB[j + 2], j * nx, (j + 1) * nx, YB, baseB + j * nx, nx, 1, j, k + 1);
    const base = k * nxy;
    for (let j = 0; j < ny; j++) crossEdges(SA, TA, TSA[j], TSA[j + 1], SB, TB, TSB[j], TSB[j + 1], j * nx, j * nx, ZE, base + j * nx, nxy, 2, j, k);
    // cells: merge the transition lists of the four sample rows around each cell row
    for (let j = 0; j < ny - 1; j++) {
      const row = j * nx;
      let a0 = TSA[j], a1 = TSA[j + 1], b0 = TSB[j], b1 = TSB[j + 1];
      const e0 = a1, e1 = TSA[j + 2], f0 = b1, f1 = TSB[j + 2];
      let i = 0;
      while (i < nx) {
        const h0 = a0 < e0 ? TA[a0] : nx, h1 = a1 < e1 ? TA[a1] : nx, h2 = b0 < f0 ? TB[b0] : nx, h3 = b1 < f1 ? TB[b1] : nx;
        let t = h0 < h1 ? h0 : h1;
        if (h2 < t) t = h2;
        if (h3 < t) t = h3;
        const p = row + i;
        const v = SA[p];
        if (v !== SA[p + nx] || v !== SB[p] || v !== SB[p + nx]) {
          const end = t < nx - 1 ? t : nx - 1;
          for (let c = i; c < end; c++) emitCell(row + c);
        } else if (t < nx) emitCell(row + t - 1);
        if (h0 === t) a0++;
        if (h1 === t) a1++;
        if (h2 === t) b0++;
        if (h3 === t) b1++;
        i = t;
      }
    }
    let t8: Uint8Array = SA; SA = SB; SB = t8;
    let t32: Int32Array = TA; TA = TB; TB = t32;
    t32 = TSA; TSA = TSB; TSB = t32;
    t32 = XA; XA = XB; XB = t32;
    t32 = YA; YA = YB; YB = t32;
  }
  const mesh: Mesh = { positions: pos.slice(0, 3 * nv), indices: idx.slice(0, 3 * nt) };
  if (wantNormals) mesh.normals = nrm.slice(0, 3 * nv);
  return mesh;
};
