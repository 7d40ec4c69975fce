import type { Aabb, RgbaImage, Sdf, Vec3 } from "@sdfkit/sdf-core";
import { InvalidArgumentError, sdfGradient } from "@sdfkit/sdf-core";
import { DEFAULT_RENDER, type RenderBuffers, type RenderOptions } from "./api.js";
import { fitCamera, type OrthoCamera } from "./camera.js";
import { __shadeRgba } from "./internal/shade.js";

/** Options of {@link renderSdf} beyond {@link RenderOptions}. */
export interface RenderSdfOptions extends RenderOptions {
  /** Region the SDF lives in; the camera frames its bounding sphere unless `frame` is given. @defaultValue [−1, 1]³ */
  bounds: Aabb;
  /** Sphere-tracing steps at most. @defaultValue 160 */
  maxSteps: number;
  /** Step = `stepScale` × distance; below 1 for SDFs that overestimate (learned ones). @defaultValue 0.95 */
  stepScale: number;
  /** Hit when |sdf| is below this many pixel widths. @defaultValue 0.25 */
  hitPixels: number;
  /** Per-part SDFs: a hit pixel takes the label of the part with the smallest value there (argmin). @defaultValue undefined */
  parts?: Sdf[];
}

export const DEFAULT_RENDER_SDF: RenderSdfOptions = {
  ...DEFAULT_RENDER,
  bounds: { min: [-1, -1, -1], max: [1, 1, 1] },
  maxSteps: 160,
  stepScale: 0.95,
  hitPixels: 0.25,
};

/**
 * Sphere-trace an orthographic view of any batch SDF. All rays of the frame march together: each
 * step evaluates the SDF once over every active ray (one batch — what a decoder wants), normals come
 * from central differences in one more batch. Returns the buffers and the camera.
 */
export const traceSdf = (sdf: Sdf, opts: Partial<RenderSdfOptions> = {}): { buffers: RenderBuffers; camera: OrthoCamera; evaluations: number } => {
  const o = { ...DEFAULT_RENDER_SDF, ...opts };
  if (typeof sdf !== "function") throw new InvalidArgumentError("renderSdf", "sdf", "a batch Sdf function", sdf);
  const b = o.bounds;
  const center: Vec3 = [(b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2, (b.min[2] + b.max[2]) / 2];
  const R = Math.hypot(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]) / 2;
  if (!(R > 0) || !Number.isFinite(R)) throw new InvalidArgumentError("renderSdf", "bounds", "a non-empty finite box", b);
  const cam = fitCamera(o.frame ?? { center, radius: R }, o.view, o.size, o.margin);
  const w = cam.width, h = cam.height, n = w * h;
  const { right: r, up: u, forward: f, scale: s } = cam;
  const c = cam.center;
  // ray origins on the plane through c - f*R', where R' covers the bounds
  const start = R + Math.hypot(center[0] - c[0], center[1] - c[1], center[2] - c[2]);
  const tMax = 2 * start;
  const ox = new Float32Array(n), oy = new Float32Array(n), oz = new Float32Array(n);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const a = (x + 0.5 - w / 2) / s, bb = (h / 2 - y - 0.5) / s;
      ox[i] = c[0] + r[0] * a + u[0] * bb - f[0] * start;
      oy[i] = c[1] + r[1] * a + u[1] * bb - f[1] * start;
      oz[i] = c[2] + r[2] * a + u[2] * bb - f[2] * start;
    }
  const t = new Float32Array(n);
  const depth = new Float32Array(n).fill(Infinity);
  let active = new Uint32Array(n);
  for (let i = 0; i < n; i++) active[i] = i;
  let na = n;
  const eps = o.hitPixels / s;
  const pts = new Float32Array(3 * n);
  let dist = new Float32Array(n);
  let evaluations = 0;
  for (let step = 0; step < o.maxSteps && na > 0; step++) {
    for (let k = 0; k < na; k++) {
      const i = active[k];
      pts[3 * k] = ox[i] + f[0] * t[i];
      pts[3 * k + 1] = oy[i] + f[1] * t[i];
      pts[3 * k + 2] = oz[i] + f[2] * t[i];
    }
    const d = sdf(pts.subarray(0, 3 * na), dist.subarray(0, na));
    if (d.length < na) throw new InvalidArgumentError("renderSdf", "sdf", `a function returning one value per point (${na})`, `${d.length} values`);
    evaluations += na;
    let m = 0;
    for (let k = 0; k < na; k++) {
      const i = active[k];
      const v = d[k];
      if (Number.isNaN(v)) throw new InvalidArgumentError("renderSdf", "sdf", "finite distances", `NaN at point (${pts[3 * k]}, ${pts[3 * k + 1]}, ${pts[3 * k + 2]})`);
      if (v < eps) {
        depth[i] = t[i] - start;
        continue;
      }
      t[i] += Math.max(v * o.stepScale, eps * 0.5);
      if (t[i] < tMax) active[m++] = i;
    }
    na = m;
  }
  // normals by central differences, one batch over every hit
  const hits: number[] = [];
  for (let i = 0; i < n; i++) if (depth[i] !== Infinity) hits.push(i);
  const nh = hits.length;
  const normal = new Float32Array(3 * n);
  const label = new Uint32Array(n).fill(0xffffffff);
  if (nh > 0) {
    const hp = new Float32Array(3 * nh);
    for (let k = 0; k < nh; k++) {
      const i = hits[k];
      hp[3 * k] = ox[i] + f[0] * t[i];
      hp[3 * k + 1] = oy[i] + f[1] * t[i];
      hp[3 * k + 2] = oz[i] + f[2] * t[i];
    }
    const g = sdfGradient(sdf, hp, { step: 0.5 / s });
    evaluations += 6 * nh;
    for (let k = 0; k < nh; k++) {
      const i = hits[k];
      const gx = g[3 * k], gy = g[3 * k + 1], gz = g[3 * k + 2];
      const l = Math.hypot(gx, gy, gz) || 1;
      normal[3 * i] = gx / l; normal[3 * i + 1] = gy / l; normal[3 * i + 2] = gz / l;
    }
    if (o.parts && o.parts.length > 0) {
      const best = new Float32Array(nh).fill(Infinity);
      o.parts.forEach((part, pi) => {
        const v = part(hp);
        evaluations += nh;
        for (let k = 0; k < nh; k++) if (v[k] < best[k]) { best[k] = v[k]; label[hits[k]] = pi; }
      });
    }
  }
  return { buffers: { width: w, height: h, depth, normal, label }, camera: cam, evaluations };
};

/**
 * Render an orthographic view of a batch SDF (analytic, CSG or a decoder's `toSdf`) by sphere
 * tracing, with the same shading, edges and part colours as {@link renderMesh}.
 */
export const renderSdf = (sdf: Sdf, opts: Partial<RenderSdfOptions> = {}): RgbaImage => {
  const o = { ...DEFAULT_RENDER_SDF, ...opts };
  const { buffers: b, camera } = traceSdf(sdf, o);
  const n = b.width * b.height;
  const faceId = new Int32Array(n);
  for (let i = 0; i < n; i++) faceId[i] = b.depth[i] === Infinity ? -1 : i;
  return __shadeRgba({ width: b.width, height: b.height, depth: b.depth, faceId, faceN: b.normal, pixelLabel: b.label }, camera, o);
};
