import type { Mesh, NormalizeTransform, Vec3 } from "./api.js";
import { assertValidMesh } from "./internal/validate.js";
import { computeBounds } from "./compute-bounds.js";
import { MeshError } from "./errors.js";

/** Options of {@link normalizeMesh}. */
export interface NormalizeMeshOptions {
  /** Radius margin: the farthest vertex lands at 1 / margin. @defaultValue 1.03 (DeepSDF) */
  margin: number;
}
export const DEFAULT_NORMALIZE_MESH: NormalizeMeshOptions = { margin: 1.03 };

/**
 * DeepSDF's unit-sphere normalisation: centre on the bounding-box centre, scale so the farthest
 * vertex is at distance 1 / margin. Returns the new mesh and the transform
 * (`normalised = (original - offset) * scale`); {@link denormalizePoints} inverts it.
 * @throws MeshError on an empty mesh or one of zero extent.
 */
export const normalizeMesh = (mesh: Mesh, opts: Partial<NormalizeMeshOptions> = {}): { mesh: Mesh; offset: Vec3; scale: number } => {
  const o = { ...DEFAULT_NORMALIZE_MESH, ...opts };
  assertValidMesh("normalizeMesh", mesh);
  const b = computeBounds(mesh);
  const offset: Vec3 = [(b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2, (b.min[2] + b.max[2]) / 2];
  const p = mesh.positions, idx = mesh.indices;
  let r2 = 0;
  for (let t = 0; t < idx.length; t++) {
    const i = idx[t] * 3;
    const dx = p[i] - offset[0], dy = p[i + 1] - offset[1], dz = p[i + 2] - offset[2];
    const d = dx * dx + dy * dy + dz * dz;
    if (d > r2) r2 = d;
  }
  if (!(r2 > 0)) throw new MeshError("normalizeMesh", "mesh has zero extent (all vertices coincide)");
  const scale = 1 / (Math.sqrt(r2) * o.margin);
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) {
    out[i] = (p[i] - offset[0]) * scale;
    out[i + 1] = (p[i + 1] - offset[1]) * scale;
    out[i + 2] = (p[i + 2] - offset[2]) * scale;
  }
  return { mesh: { ...mesh, positions: out }, offset, scale };
};

/** Apply a normalisation transform to xyz points (in place into `out`, or a new array). */
export const normalizePoints = (points: Float32Array, t: NormalizeTransform, out?: Float32Array): Float32Array => {
  const r = out ?? new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 3) {
    r[i] = (points[i] - t.offset[0]) * t.scale;
    r[i + 1] = (points[i + 1] - t.offset[1]) * t.scale;
    r[i + 2] = (points[i + 2] - t.offset[2]) * t.scale;
  }
  return r;
};

/** Map normalised xyz points back to the original frame: `original = normalised / scale + offset`. */
export const denormalizePoints = (points: Float32Array, t: NormalizeTransform, out?: Float32Array): Float32Array => {
  const r = out ?? new Float32Array(points.length);
  const inv = 1 / t.scale;
  for (let i = 0; i < points.length; i += 3) {
    r[i] = points[i] * inv + t.offset[0];
    r[i + 1] = points[i + 1] * inv + t.offset[1];
    r[i + 2] = points[i + 2] * inv + t.offset[2];
  }
  return r;
};
