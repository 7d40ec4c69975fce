import type { Mesh } from "@sdfkit/sdf-core";
import { assertValidMesh, InvalidArgumentError, meshEdges, triangleNormals, type MeshEdges } from "@sdfkit/sdf-core";
import type { RenderOptions } from "../api.js";
import { boundingSphere, fitCamera, type OrthoCamera } from "../camera.js";
import { NO_LABEL, type ShadeInput } from "./shade.js";

// Per-thread scratch of the z-buffer pass. depth / faceId are kept cleared (Infinity / −1) outside
// `_dirty`, the rectangle the last pass wrote, so a pass clears only that instead of the whole frame.
let _depth = new Float32Array(0);
let _faceId = new Int32Array(0);
let _frameW = 0;
const _dirty: [number, number, number, number] = [0, 0, -1, -1];
/** Barycentric tolerance of the coverage test: pixel centres on a shared edge belong to both triangles. */
const E = 1e-7;
let _sx = new Float32Array(0), _sy = new Float32Array(0), _sz = new Float32Array(0);
let _b1 = new Float32Array(0), _b2 = new Float32Array(0);

/** @internal The cleared depth and triangle-per-pixel buffers of a w×h frame (per-thread scratch; callers copy what they keep). */
const __frameBuffers = (w: number, h: number): { depth: Float32Array; faceId: Int32Array } => {
  if (_frameW !== w || _depth.length !== w * h) {
    _depth = new Float32Array(w * h).fill(Infinity);
    _faceId = new Int32Array(w * h).fill(-1);
    _frameW = w;
  } else {
    const [x0, y0, x1, y1] = _dirty;
    for (let y = y0; y <= y1 && x0 <= x1; y++) {
      _depth.fill(Infinity, y * w + x0, y * w + x1 + 1);
      _faceId.fill(-1, y * w + x0, y * w + x1 + 1);
    }
  }
  // until this pass records what it wrote, assume the whole frame (a pass that throws leaves it clean)
  _dirty[0] = 0; _dirty[1] = 0; _dirty[2] = w - 1; _dirty[3] = h - 1;
  return { depth: _depth, faceId: _faceId };
};

/** @internal Per-thread scratch of at least n floats (contents undefined). */
const __grow = (a: Float32Array<ArrayBuffer>, n: number): Float32Array<ArrayBuffer> => (a.length >= n ? a : new Float32Array(Math.max(n, 2 * a.length)));

/** @internal Area-weighted vertex normals. */
const __vertexNormals = (mesh: Mesh, faceN: Float32Array): Float32Array => {
  const p = mesh.positions, idx = mesh.indices;
  const vn = new Float32Array(p.length);
  for (let t = 0; t < idx.length / 3; t++) {
    const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
    const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
    const area = 0.5 * Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
    for (const v of [a, b, c]) {
      vn[v] += faceN[3 * t] * area; vn[v + 1] += faceN[3 * t + 1] * area; vn[v + 2] += faceN[3 * t + 2] * area;
    }
  }
  for (let i = 0; i < vn.length; i += 3) {
    const l = Math.hypot(vn[i], vn[i + 1], vn[i + 2]) || 1;
    vn[i] /= l; vn[i + 1] /= l; vn[i + 2] /= l;
  }
  return vn;
};

/**
 * @internal Which triangles back-face culling may skip: +1 those whose projected signed area is
 * positive (facing away from the camera when the surface is oriented outward), −1 the negative
 * ones (oriented inward), 0 none. Culls only a closed, consistently oriented mesh: every edge has
 * exactly two triangles, which run along it in opposite directions (no degenerate edge). Every
 * connected piece (by shared vertices) must enclose its volume the same way round (signed volume
 * of each piece); pieces of both signs (an inverted part, or a cavity's shell) are drawn without culling.
 */
export const __cullSign = (mesh: Mesh, edges: MeshEdges = meshEdges(mesh)): -1 | 0 | 1 => {
  const idx = mesh.indices, p = mesh.positions, nv = p.length / 3, n = idx.length;
  const { triEdges, edgeFaceOffsets } = edges, ne = edgeFaceOffsets.length - 1;
  if (n === 0) return 0;
  for (let e = 0; e < ne; e++) if (edgeFaceOffsets[e + 1] - edgeFaceOffsets[e] !== 2) return 0;
  // the two half-edges of each edge: one from its smaller vertex, one from its larger
  const dir = new Int8Array(ne);
  for (let h = 0; h < n; h++) {
    const a = idx[h], b = idx[h - (h % 3) + ((h + 1) % 3)];
    if (a === b) return 0;
    dir[triEdges[h]] += a < b ? 1 : -1;
  }
  for (let e = 0; e < ne; e++) if (dir[e] !== 0) return 0;
  // pieces: union-find over the vertices of each triangle, then each piece's signed volume
  const parent = new Int32Array(nv);
  for (let v = 0; v < nv; v++) parent[v] = v;
  const root = (v: number) => {
    while (parent[v] !== v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (let t = 0; t < n; t += 3) {
    const r0 = root(idx[t]), r1 = root(idx[t + 1]), r2 = root(idx[t + 2]);
    parent[r1] = r0;
    parent[r2] = r0;
  }
  const vol = new Float64Array(nv);
  for (let t = 0; t < n; t += 3) {
    const a = 3 * idx[t], b = 3 * idx[t + 1], c = 3 * idx[t + 2];
    vol[root(idx[t])] +=
      p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) - p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) + p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
  }
  let pos = false, neg = false;
  for (let v = 0; v < nv; v++) {
    if (parent[v] !== v) continue;
    if (vol[v] > 0) pos = true;
    else if (vol[v] < 0) neg = true;
  }
  return pos && !neg ? 1 : neg && !pos ? -1 : 0;
};

/** 1 − cos of the largest angle between a flat patch's first triangle and any other of its triangles (≈ 4.5e-5 rad). */
const __FLAT_EPS = 1e-9;

/**
 * @internal Flat patches: triangles joined across shared edges (by vertex index) into groups whose
 * normals all lie within ≈ 4.5e-5 rad of the group's first triangle's (breadth-first from it), so a
 * group is one plane to far below a pixel. Shading skips the edge test between two pixels of one
 * patch: they meet on one plane, so there is neither a crease nor a depth jump between them.
 */
export const __flatPatches = (mesh: Mesh, faceN: Float32Array, edges: MeshEdges = meshEdges(mesh)): Int32Array => {
  const nt = mesh.indices.length / 3;
  const { triEdges, edgeFaceOffsets, edgeFaces } = edges;
  const group = new Int32Array(nt).fill(-1);
  const queue = new Int32Array(nt);
  for (let s = 0; s < nt; s++) {
    if (group[s] >= 0) continue;
    group[s] = s;
    const sx = faceN[3 * s], sy = faceN[3 * s + 1], sz = faceN[3 * s + 2];
    let head = 0, tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const t = queue[head++];
      for (let k = 0; k < 3; k++) {
        const e = triEdges[3 * t + k];
        for (let j = edgeFaceOffsets[e]; j < edgeFaceOffsets[e + 1]; j++) {
          const u = edgeFaces[j];
          if (group[u] >= 0 || 1 - (faceN[3 * u] * sx + faceN[3 * u + 1] * sy + faceN[3 * u + 2] * sz) > __FLAT_EPS) continue;
          group[u] = s;
          queue[tail++] = u;
        }
      }
    }
  }
  return group;
};

/** @internal What every view of one mesh shares: triangle normals, the culling sign ({@link __cullSign}) and flat patches ({@link __flatPatches}). */
export interface MeshPrep {
  faceN: Float32Array;
  cull: -1 | 0 | 1;
  patch?: Int32Array;
}

/** @internal {@link MeshPrep} of a validated mesh for options `o`. */
export const __prepareMesh = (mesh: Mesh, o: RenderOptions): MeshPrep => {
  const faceN = triangleNormals(mesh);
  const edges = o.cull === "auto" || o.edges ? meshEdges(mesh) : undefined;
  return { faceN, cull: o.cull === "auto" ? __cullSign(mesh, edges) : 0, patch: o.edges ? __flatPatches(mesh, faceN, edges) : undefined };
};

/**
 * @internal Z-buffer pass: per-pixel depth and triangle, plus what shading needs. `depth` and
 * `faceId` of the result are per-thread scratch, valid until the next pass. Callers that render
 * several views of one mesh validate it and pass its {@link MeshPrep} (computed here otherwise).
 */
export const __rasterize = (mesh: Mesh, o: RenderOptions, prep?: MeshPrep): { shade: ShadeInput; camera: OrthoCamera } => {
  if (!prep) {
    assertValidMesh("renderMesh", mesh);
    if (o.cull !== "auto" && o.cull !== "none") throw new InvalidArgumentError("renderMesh", "cull", '"auto" or "none"', o.cull);
  }
  const nv = mesh.positions.length / 3, nt = mesh.indices.length / 3;
  const labels = o.labels;
  if (labels !== undefined && (!(labels instanceof Uint32Array) || (labels.length !== nv && labels.length !== nt)))
    throw new InvalidArgumentError("renderMesh", "labels", `a Uint32Array of length ${nv} (vertices) or ${nt} (triangles)`, labels);
  const cam = fitCamera(o.frame ?? boundingSphere(mesh), o.view, o.size, o.margin);
  const { faceN, cull, patch } = prep ?? __prepareMesh(mesh, o);
  const w = cam.width, h = cam.height;
  const p = mesh.positions, idx = mesh.indices;
  // project
  const sx = (_sx = __grow(_sx, nv)), sy = (_sy = __grow(_sy, nv)), sz = (_sz = __grow(_sz, nv));
  const [cx, cy, cz] = cam.center, r = cam.right, u = cam.up, f = cam.forward, s = cam.scale;
  for (let v = 0; v < nv; v++) {
    const x = p[3 * v] - cx, y = p[3 * v + 1] - cy, z = p[3 * v + 2] - cz;
    sx[v] = (x * r[0] + y * r[1] + z * r[2]) * s + w / 2;
    sy[v] = h / 2 - (x * u[0] + y * u[1] + z * u[2]) * s;
    sz[v] = x * f[0] + y * f[1] + z * f[2];
  }
  const { depth, faceId } = __frameBuffers(w, h);
  const smooth = o.shading === "smooth";
  const vertexLabels = labels !== undefined && labels.length === nv && labels.length !== nt;
  const needBary = smooth || vertexLabels;
  // barycentrics are read only where this pass wrote faceId, so stale scratch is fine
  const b1 = needBary ? (_b1 = __grow(_b1, w * h)) : undefined;
  const b2 = needBary ? (_b2 = __grow(_b2, w * h)) : undefined;
  let rx0 = w, ry0 = h, rx1 = -1, ry1 = -1;
  for (let t = 0; t < nt; t++) {
    const ia = idx[3 * t], ib = idx[3 * t + 1], ic = idx[3 * t + 2];
    const ax = sx[ia], ay = sy[ia], bx = sx[ib], by = sy[ib], qx = sx[ic], qy = sy[ic];
    const area = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax);
    if (area === 0 || !Number.isFinite(area) || area * cull > 0) continue;
    const inv = 1 / area;
    let x0 = Math.floor(Math.min(ax, bx, qx)), x1 = Math.ceil(Math.max(ax, bx, qx));
    // rows whose pixel centre y + 0.5 may lie inside (a hair wider than [min y, max y], see E below)
    let y0 = Math.ceil(Math.min(ay, by, qy) - 0.5 - 1e-6), y1 = Math.floor(Math.max(ay, by, qy) - 0.5 + 1e-6);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > w - 1) x1 = w - 1;
    if (y1 > h - 1) y1 = h - 1;
    const za = sz[ia], zb = sz[ib], zc = sz[ic];
    // barycentrics are linear in the pixel centre: l1 = a1·x + g1·y + c1, l2 = a2·x + g2·y + c2,
    // l0 = 1 − l1 − l2. The span of x where all three are >= −E (a hair of tolerance so shared
    // edges never crack) is bounded by lines x = p + q·y: a lower bound for each k with a_k > 0,
    // an upper one for a_k < 0 (a0 + a1 + a2 = 0, so at most two of each); a_k = 0 (an edge
    // parallel to x) bounds the rows instead.
    const a1 = (qy - ay) * inv, a2 = -(by - ay) * inv, a0 = -(a1 + a2);
    const g1 = -(qx - ax) * inv, g2 = (bx - ax) * inv, g0 = -(g1 + g2);
    const c1 = (ay * (qx - ax) - ax * (qy - ay)) * inv, c2 = (ax * (by - ay) - ay * (bx - ax)) * inv, c0 = 1 - c1 - c2;
    let pl = -Infinity, ql = 0, pm = -Infinity, qm = 0, ph = Infinity, qh = 0, pk = Infinity, qk = 0;
    for (let k = 0; k < 3; k++) {
      const a = k === 0 ? a0 : k === 1 ? a1 : a2, g = k === 0 ? g0 : k === 1 ? g1 : g2, c = k === 0 ? c0 : k === 1 ? c1 : c2;
      if (a === 0) {
        // g·py + c >= −E for py on one side of (−E − c) / g
        const yb = (-E - c) / g - 0.5;
        if (g > 0) { const v = Math.ceil(yb); if (v > y0) y0 = v; } else { const v = Math.floor(yb); if (v < y1) y1 = v; }
        continue;
      }
      const pp = (-E - c) / a, qq = -g / a;
      if (a > 0) { if (pl === -Infinity) { pl = pp; ql = qq; } else { pm = pp; qm = qq; } }
      else if (ph === Infinity) { ph = pp; qh = qq; } else { pk = pp; qk = qq; }
    }
    const zx = a1 * (zb - za) + a2 * (zc - za);
    const xl = x0 + 0.5, xh = x1 + 0.5;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      let lo = pl + ql * py, hi = ph + qh * py;
      const lo2 = pm + qm * py, hi2 = pk + qk * py;
      if (lo2 > lo) lo = lo2;
      if (lo < xl) lo = xl;
      if (hi2 < hi) hi = hi2;
      if (hi > xh) hi = xh;
      const xs = Math.ceil(lo - 0.5), xe = Math.floor(hi - 0.5);
      if (xs > xe) continue;
      if (xs < rx0) rx0 = xs;
      if (xe > rx1) rx1 = xe;
      if (y < ry0) ry0 = y;
      if (y > ry1) ry1 = y;
      const row = y * w;
      let l1 = a1 * (xs + 0.5) + g1 * py + c1, l2 = a2 * (xs + 0.5) + g2 * py + c2;
      let z = za + l1 * (zb - za) + l2 * (zc - za);
      if (b1) {
        for (let x = xs; x <= xe; x++) {
          const i = row + x;
          if (z < depth[i]) {
            depth[i] = z;
            faceId[i] = t;
            b1[i] = l1;
            b2![i] = l2;
          }
          l1 += a1;
          l2 += a2;
          z += zx;
        }
      } else {
        for (let i = row + xs, e = row + xe; i <= e; i++) {
          if (z < depth[i]) {
            depth[i] = z;
            faceId[i] = t;
          }
          z += zx;
        }
      }
    }
  }
  _dirty[0] = rx0; _dirty[1] = ry0; _dirty[2] = rx1; _dirty[3] = ry1;
  let pixelN: Float32Array | undefined;
  let pixelLabel: Uint32Array | undefined;
  if (smooth || vertexLabels) {
    const vn = smooth ? (mesh.normals ?? __vertexNormals(mesh, faceN)) : undefined;
    if (vn) pixelN = new Float32Array(3 * w * h);
    if (vertexLabels) pixelLabel = new Uint32Array(w * h).fill(NO_LABEL);
    for (let y = ry0; y <= ry1; y++)
      for (let i = y * w + rx0, e = y * w + rx1; i <= e; i++) {
        const t = faceId[i];
        if (t < 0) continue;
        const l1 = b1![i], l2 = b2![i], l0 = 1 - l1 - l2;
        if (vn && pixelN) {
          const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
          const nx = l0 * vn[a] + l1 * vn[b] + l2 * vn[c], ny = l0 * vn[a + 1] + l1 * vn[b + 1] + l2 * vn[c + 1], nz = l0 * vn[a + 2] + l1 * vn[b + 2] + l2 * vn[c + 2];
          const l = Math.hypot(nx, ny, nz) || 1;
          pixelN[3 * i] = nx / l; pixelN[3 * i + 1] = ny / l; pixelN[3 * i + 2] = nz / l;
        }
        if (pixelLabel) {
          const k = l0 >= l1 && l0 >= l2 ? 0 : l1 >= l2 ? 1 : 2;
          pixelLabel[i] = labels![idx[3 * t + k]];
        }
      }
  }
  const faceLabel = labels && !vertexLabels ? labels : undefined;
  return { shade: { width: w, height: h, depth, faceId, faceN, facePatch: patch, pixelN, pixelLabel, faceLabel, rect: [rx0, ry0, rx1, ry1] }, camera: cam };
};
