import type { Aabb, Mesh, Vec3 } from "@sdfkit/sdf-core";
import { InvalidArgumentError, computeBounds } from "@sdfkit/sdf-core";
import type { View } from "./api.js";

/** An orthographic camera: world point p maps to pixel (x, y) = ((p−c)·right·s + w/2, h/2 − (p−c)·up·s), depth (p−c)·forward. */
export interface OrthoCamera {
  center: Vec3;
  right: Vec3;
  up: Vec3;
  /** Direction the camera looks along (into the screen). */
  forward: Vec3;
  /** Pixels per world unit. */
  scale: number;
  width: number;
  height: number;
}

const _named: Record<string, { dir: Vec3; up: Vec3 }> = {
  front: { dir: [0, 0, -1], up: [0, 1, 0] },
  back: { dir: [0, 0, 1], up: [0, 1, 0] },
  right: { dir: [-1, 0, 0], up: [0, 1, 0] },
  left: { dir: [1, 0, 0], up: [0, 1, 0] },
  top: { dir: [0, -1, 0], up: [0, 0, -1] },
  bottom: { dir: [0, 1, 0], up: [0, 0, 1] },
  iso: { dir: [-1, -1, -1], up: [0, 1, 0] },
};

/** All named views. */
export const VIEW_NAMES = Object.keys(_named) as (keyof typeof _named)[];

const norm = (v: Vec3): Vec3 => {
  const l = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / l, v[1] / l, v[2] / l];
};
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** The orthonormal basis of a view: `forward` (looking direction), `right`, `up`. */
export const viewBasis = (view: View): { forward: Vec3; right: Vec3; up: Vec3 } => {
  const v = typeof view === "string" ? _named[view] : view;
  if (!v || !Array.isArray(v.dir) || !Array.isArray(v.up))
    throw new InvalidArgumentError("viewBasis", "view", `one of ${VIEW_NAMES.join(", ")} or { dir, up }`, view);
  if (![...v.dir, ...v.up].every(Number.isFinite) || Math.hypot(...v.dir) === 0)
    throw new InvalidArgumentError("viewBasis", "view.dir", "a finite non-zero vector", v.dir);
  const forward = norm(v.dir);
  let right = cross(forward, v.up);
  if (Math.hypot(...right) < 1e-9) throw new InvalidArgumentError("viewBasis", "view.up", "a vector not parallel to view.dir", v.up);
  right = norm(right);
  const up = cross(right, forward);
  return { forward, right, up };
};

/** Bounding sphere (box centre, farthest used vertex) of a mesh. */
export const boundingSphere = (mesh: Mesh): { center: Vec3; radius: number } => {
  const b: Aabb = computeBounds(mesh);
  const center: Vec3 = [(b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2, (b.min[2] + b.max[2]) / 2];
  const p = mesh.positions, idx = mesh.indices;
  let r2 = 0;
  for (let t = 0; t < idx.length; t++) {
    const i = 3 * idx[t];
    const dx = p[i] - center[0], dy = p[i + 1] - center[1], dz = p[i + 2] - center[2];
    const d = dx * dx + dy * dy + dz * dz;
    if (d > r2) r2 = d;
  }
  return { center, radius: Math.sqrt(r2) };
};

/**
 * Fit an orthographic camera to a bounding sphere: the sphere fills the image minus `margin` on
 * each side, whatever the view, so all views of one model share their scale.
 */
export const fitCamera = (frame: { center: Vec3; radius: number }, view: View, size: number, margin: number): OrthoCamera => {
  if (!Number.isInteger(size) || size < 1 || size > 16384) throw new InvalidArgumentError("fitCamera", "size", "an integer in 1..16384", size);
  if (!(margin >= 0 && margin < 0.5)) throw new InvalidArgumentError("fitCamera", "margin", "a number in [0, 0.5)", margin);
  const r = frame.radius > 0 && Number.isFinite(frame.radius) ? frame.radius : 1;
  const { forward, right, up } = viewBasis(view);
  return { center: frame.center, right, up, forward, scale: (size * (1 - 2 * margin)) / (2 * r), width: size, height: size };
};
