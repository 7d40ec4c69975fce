import type { Grid3, Mesh } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { __checkNumber } from "./internal/validate.js";
import { __checkBounds, __checkRes } from "./sample-grid.js";
import { MC_COUNTS, MC_TRIANGLES } from "./internal/mc-tables.js";

/** Options of {@link marchingCubes}. */
export interface MarchingCubesOptions {
  /** Level to extract; a sample is inside when its value is < iso. @defaultValue 0 */
  iso: number;
  /** Also return per-vertex unit normals from the grid gradient (central differences). @defaultValue false */
  computeNormals: boolean;
}

/** Defaults of {@link marchingCubes}. */
export const DEFAULT_MARCHING_CUBES: MarchingCubesOptions = { iso: 0, computeNormals: false };

/** @internal Bits 0..3 of a column code spread to corner bits 0, 2, 4, 6. */
const SPREAD = Uint8Array.from({ length: 16 }, (_, q) => (q & 1) | ((q & 2) << 1) | ((q & 4) << 2) | ((q & 8) << 3));

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

  const [x0, y0, z0] = bounds.min;
  const hx = (bounds.max[0] - x0) / (nx - 1), hy = (bounds.max[1] - y0) / (ny - 1), hz = (bounds.max[2] - z0) / (nz - 1);
  const nxy = nx * ny;

  // layer state: A = layer z, B = layer z + 1
  let SA = new Uint8Array(nxy), SB = new Uint8Array(nxy);
  let CA = new Uint8Array(nxy), CB = new Uint8Array(nxy);
  let RA = new Uint8Array(ny), RB = new Uint8Array(ny);
  let XA = new Int32Array(nxy), XB = new Int32Array(nxy);
  let YA = new Int32Array(nxy), YB = new Int32Array(nxy);
  const ZE = new Int32Array(nxy);

  let vcap = 1 << 12, tcap = 1 << 13;
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

  /**
   * Signs, per-row state (0 all outside, 1 all inside, 2 mixed), column codes and x/y edge
   * vertices of layer k. Uniform rows skip the per-sample edge work.
   */
  const loadLayer = (k: number, S: Uint8Array, R: Uint8Array, C: Uint8Array, X: Int32Array, Y: Int32Array) => {
    const base = k * nxy;
    for (let j = 0, row = 0; j < ny; j++, row += nx) {
      let cnt = 0;
      const g = base + row;
      for (let i = 0; i < nx; i++) {
        const v = data[g + i];
        if (v - v !== 0) throw new InvalidArgumentError(fn, "grid.data", "finite values", `${v} at sample ${g + i} (i ${i}, j ${j}, k ${k})`);
        const s = v < iso ? 1 : 0;
        S[row + i] = s;
        cnt += s;
      }
      const st = cnt === 0 ? 0 : cnt === nx ? 1 : 2;
      R[j] = st;
      if (st === 2) {
        for (let i = 0; i < nx - 1; i++) {
          const p = row + i;
          if (S[p] !== S[p + 1]) X[p] = addVertex(base + p, 1, 0, i, j, k);
        }
      }
    }
    for (let j = 0, row = 0; j < ny - 1; j++, row += nx) {
      const r0 = R[j];
      if (r0 !== 2 && r0 === R[j + 1]) {
        C.fill(r0 === 1 ? 3 : 0, row, row + nx);
        continue;
      }
      for (let i = 0; i < nx; i++) {
        const p = row + i;
        const s = S[p], s2 = S[p + nx];
        C[p] = s | (s2 << 1);
        if (s !== s2) Y[p] = addVertex(base + p, nx, 1, i, j, k);
      }
    }
  };

  const ev = new Int32Array(12);
  loadLayer(0, SA, RA, CA, XA, YA);
  for (let k = 0; k < nz - 1; k++) {
    loadLayer(k + 1, SB, RB, CB, XB, YB);
    const base = k * nxy;
    for (let j = 0, row = 0; j < ny; j++, row += nx) {
      const ra = RA[j];
      if (ra !== 2 && ra === RB[j]) continue;
      for (let i = 0; i < nx; i++) {
        const p = row + i;
        if (SA[p] !== SB[p]) ZE[p] = addVertex(base + p, nxy, 2, i, j, k);
      }
    }
    for (let j = 0, row = 0; j < ny - 1; j++, row += nx) {
      const ra = RA[j];
      if (ra !== 2 && ra === RA[j + 1] && ra === RB[j] && ra === RB[j + 1]) continue;
      let left = SPREAD[CA[row] | (CB[row] << 2)];
      for (let i = 0; i < nx - 1; i++) {
        const p = row + i;
        const right = SPREAD[CA[p + 1] | (CB[p + 1] << 2)];
        const cfg = left | (right << 1);
        left = right;
        if (cfg === 0 || cfg === 255) continue;
        ev[0] = XA[p]; ev[1] = XA[p + nx]; ev[2] = XB[p]; ev[3] = XB[p + nx];
        ev[4] = YA[p]; ev[5] = YA[p + 1]; ev[6] = YB[p]; ev[7] = YB[p + 1];
        ev[8] = ZE[p]; ev[9] = ZE[p + 1]; ev[10] = ZE[p + nx]; ev[11] = ZE[p + nx + 1];
        const cnt = MC_COUNTS[cfg], off = cfg << 4;
        if (3 * nt + cnt > idx.length) {
          tcap *= 2;
          const i2 = new Uint32Array(3 * tcap);
          i2.set(idx);
          idx = i2;
        }
        let w = 3 * nt;
        for (let e = 0; e < cnt; e++) idx[w++] = ev[MC_TRIANGLES[off + e]];
        nt += cnt / 3;
      }
    }
    let t8: Uint8Array = SA; SA = SB; SB = t8;
    t8 = RA; RA = RB; RB = t8;
    t8 = CA; CA = CB; CB = t8;
    let t32: Int32Array = XA; XA = XB; XB = t32;
    t32 = YA; YA = YB; YB = t32;
  }
  const mesh: Mesh = { positions: pos.slice(0, 3 * nv), indices: idx.slice(0, 3 * nt) };
  if (wantNormals) mesh.normals = nrm.slice(0, 3 * nv);
  return mesh;
};
