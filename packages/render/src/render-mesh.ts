import type { Mesh, RgbaImage } from "@sdfkit/sdf-core";
import { assertValidMesh, InvalidArgumentError, triangleNormals } from "@sdfkit/sdf-core";
import { DEFAULT_RENDER, type RenderBuffers, type RenderOptions } from "./api.js";
import { boundingSphere, fitCamera, type OrthoCamera } from "./camera.js";
import { __shade, NO_LABEL, type ShadeInput } from "./internal/shade.js";


let _faceId = new Int32Array(0);
let _depth = new Float32Array(0);
/** @internal Per-thread scratch for the depth buffer of `renderMesh` (copied before it is handed out). */
const __scratchDepth = (n: number) => (_depth.length === n ? _depth : (_depth = new Float32Array(n)));
/** @internal Per-thread scratch for the triangle-per-pixel buffer of `renderMesh` (not kept by callers). */
const __scratchFaceId = (n: number) => (_faceId.length === n ? _faceId : (_faceId = new Int32Array(n)));

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

/** @internal Z-buffer pass: per-pixel depth and triangle, plus what shading needs. */
const __rasterize = (mesh: Mesh, o: RenderOptions): { shade: ShadeInput; camera: OrthoCamera } => {
  assertValidMesh("renderMesh", mesh);
  const nv = mesh.positions.length / 3, nt = mesh.indices.length / 3;
  const labels = o.labels;
  if (labels !== undefined && (!(labels instanceof Uint32Array) || (labels.length !== nv && labels.length !== nt)))
    throw new InvalidArgumentError("renderMesh", "labels", `a Uint32Array of length ${nv} (vertices) or ${nt} (triangles)`, labels);
  const cam = fitCamera(o.frame ?? boundingSphere(mesh), o.view, o.size, o.margin);
  const w = cam.width, h = cam.height;
  const p = mesh.positions, idx = mesh.indices;
  // project
  const sx = new Float32Array(nv), sy = new Float32Array(nv), sz = new Float32Array(nv);
  const [cx, cy, cz] = cam.center, r = cam.right, u = cam.up, f = cam.forward, s = cam.scale;
  for (let v = 0; v < nv; v++) {
    const x = p[3 * v] - cx, y = p[3 * v + 1] - cy, z = p[3 * v + 2] - cz;
    sx[v] = (x * r[0] + y * r[1] + z * r[2]) * s + w / 2;
    sy[v] = h / 2 - (x * u[0] + y * u[1] + z * u[2]) * s;
    sz[v] = x * f[0] + y * f[1] + z * f[2];
  }
  const depth = __scratchDepth(w * h).fill(Infinity);
  const faceId = __scratchFaceId(w * h).fill(-1);
  const smooth = o.shading === "smooth";
  const vertexLabels = labels !== undefined && labels.length === nv && labels.length !== nt;
  const needBary = smooth || vertexLabels;
  const b1 = needBary ? new Float32Array(w * h) : undefined;
  const b2 = needBary ? new Float32Array(w * h) : undefined;
  let rx0 = w, ry0 = h, rx1 = -1, ry1 = -1;
  for (let t = 0; t < nt; t++) {
    const ia = idx[3 * t], ib = idx[3 * t + 1], ic = idx[3 * t + 2];
    const ax = sx[ia], ay = sy[ia], bx = sx[ib], by = sy[ib], qx = sx[ic], qy = sy[ic];
    const area = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax);
    if (area === 0 || !Number.isFinite(area)) continue;
    const inv = 1 / area;
    let x0 = Math.floor(Math.min(ax, bx, qx)), x1 = Math.ceil(Math.max(ax, bx, qx));
    let y0 = Math.floor(Math.min(ay, by, qy)), y1 = Math.ceil(Math.max(ay, by, qy));
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > w - 1) x1 = w - 1;
    if (y1 > h - 1) y1 = h - 1;
    const za = sz[ia], zb = sz[ib], zc = sz[ic];
    // barycentrics along a row are linear in x: l1 = a1·x + c1, l2 = a2·x + c2, l0 = 1 − l1 − l2
    const a1 = (qy - ay) * inv, a2 = -(by - ay) * inv;
    const zx = a1 * (zb - za) + a2 * (zc - za);
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      const c1 = (-ax * (qy - ay) - (py - ay) * (qx - ax)) * inv;
      const c2 = ((bx - ax) * (py - ay) + (by - ay) * ax) * inv;
      // the span of x where l0, l1, l2 >= 0 (a hair of tolerance so shared edges never crack)
      let lo = x0 + 0.5, hi = x1 + 0.5;
      const E = 1e-7;
      if (a1 > 0) lo = Math.max(lo, (-E - c1) / a1); else if (a1 < 0) hi = Math.min(hi, (-E - c1) / a1); else if (c1 < -E) continue;
      if (a2 > 0) lo = Math.max(lo, (-E - c2) / a2); else if (a2 < 0) hi = Math.min(hi, (-E - c2) / a2); else if (c2 < -E) continue;
      const a0 = -(a1 + a2), c0 = 1 - c1 - c2;
      if (a0 > 0) lo = Math.max(lo, (-E - c0) / a0); else if (a0 < 0) hi = Math.min(hi, (-E - c0) / a0); else if (c0 < -E) continue;
      const xs = Math.max(x0, Math.ceil(lo - 0.5)), xe = Math.min(x1, Math.floor(hi - 0.5));
      if (xs > xe) continue;
      if (xs < rx0) rx0 = xs;
      if (xe > rx1) rx1 = xe;
      if (y < ry0) ry0 = y;
      if (y > ry1) ry1 = y;
      const row = y * w;
      let l1 = a1 * (xs + 0.5) + c1, l2 = a2 * (xs + 0.5) + c2;
      let z = za + l1 * (zb - za) + l2 * (zc - za);
      for (let x = xs; x <= xe; x++) {
        const i = row + x;
        if (z < depth[i]) {
          depth[i] = z;
          faceId[i] = t;
          if (b1) { b1[i] = l1; b2![i] = l2; }
        }
        l1 += a1;
        l2 += a2;
        z += zx;
      }
    }
  }
  const faceN = triangleNormals(mesh);
  let pixelN: Float32Array | undefined;
  let pixelLabel: Uint32Array | undefined;
  if (smooth || vertexLabels) {
    const vn = smooth ? (mesh.normals ?? __vertexNormals(mesh, faceN)) : undefined;
    if (vn) pixelN = new Float32Array(3 * w * h);
    if (vertexLabels) pixelLabel = new Uint32Array(w * h).fill(NO_LABEL);
    for (let i = 0; i < w * h; i++) {
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
  return { shade: { width: w, height: h, depth, faceId, faceN, pixelN, pixelLabel, faceLabel, rect: [rx0, ry0, rx1, ry1] }, camera: cam };
};

/**
 * Rasterise a mesh into depth / normal / label buffers (the same pass {@link renderMesh} shades):
 * for depth and normal images, picking and tests. Depth is along the view direction (Infinity where
 * empty); normals are the shading normals (face or interpolated); labels follow `opts.labels`.
 */
export const rasterizeMesh = (mesh: Mesh, opts: Partial<RenderOptions> = {}): { buffers: RenderBuffers; faceId: Int32Array; camera: OrthoCamera } => {
  const { shade: s, camera } = __rasterize(mesh, { ...DEFAULT_RENDER, ...opts });
  const n = s.width * s.height;
  const normal = s.pixelN ?? new Float32Array(3 * n);
  const label = s.pixelLabel ?? new Uint32Array(n).fill(NO_LABEL);
  for (let i = 0; i < n; i++) {
    const t = s.faceId[i];
    if (t < 0) continue;
    if (!s.pixelN) { normal[3 * i] = s.faceN[3 * t]; normal[3 * i + 1] = s.faceN[3 * t + 1]; normal[3 * i + 2] = s.faceN[3 * t + 2]; }
    if (s.faceLabel) label[i] = s.faceLabel[t];
  }
  return { buffers: { width: s.width, height: s.height, depth: s.depth.slice(), normal, label }, faceId: s.faceId.slice(), camera };
};

/**
 * Render an orthographic view of a mesh: z-buffer rasterisation, flat or smooth Lambert shading
 * with a light fixed in view space, silhouette and crease edges as dark lines, optional part colours.
 * `out`, an image of the same size, is drawn into instead of a new one (batch renderers reuse one
 * buffer per view and save the allocation).
 * @example const img = renderMesh(mesh, { view: "front", size: 512 }); writeFileSync("front.png", encodePng(img));
 */
export const renderMesh = (mesh: Mesh, opts: Partial<RenderOptions> = {}, out?: RgbaImage): RgbaImage => {
  const o = { ...DEFAULT_RENDER, ...opts };
  const { shade, camera } = __rasterize(mesh, o);
  return __shade(shade, camera, o, out);
};
