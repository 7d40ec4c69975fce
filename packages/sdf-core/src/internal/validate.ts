import { InvalidArgumentError, MeshError } from "../errors.js";
import type { Mesh } from "../api.js";

/** @internal Throws unless `points` is a Float32Array whose length is a multiple of 3. */
export const __checkPoints = (fn: string, points: unknown, arg = "points"): Float32Array => {
  if (!(points instanceof Float32Array)) throw new InvalidArgumentError(fn, arg, "a Float32Array of xyz triples", points);
  if (points.length % 3 !== 0) throw new InvalidArgumentError(fn, arg, "a length that is a multiple of 3", `length ${points.length}`);
  return points;
};

/** @internal Returns `out` when it is large enough, else a new Float32Array of length n. */
export const __outBuffer = (fn: string, out: Float32Array | undefined, n: number): Float32Array => {
  if (out === undefined) return new Float32Array(n);
  if (!(out instanceof Float32Array) || out.length < n)
    throw new InvalidArgumentError(fn, "out", `a Float32Array of length >= ${n}`, out);
  return out;
};

/** @internal Throws unless `v` is a finite number (optionally > 0). */
export const __checkNumber = (fn: string, arg: string, v: unknown, opts: { positive?: boolean; integer?: boolean; min?: number } = {}): number => {
  const ok =
    typeof v === "number" &&
    Number.isFinite(v) &&
    (!opts.positive || v > 0) &&
    (!opts.integer || Number.isInteger(v)) &&
    (opts.min === undefined || v >= opts.min);
  if (!ok) {
    const what = [opts.integer ? "an integer" : "a finite number", opts.positive ? "> 0" : "", opts.min !== undefined ? `>= ${opts.min}` : ""]
      .filter(Boolean)
      .join(" ");
    throw new InvalidArgumentError(fn, arg, what, v);
  }
  return v as number;
};

/** @internal Throws unless `v` is a length-3 array of finite numbers. */
export const __checkVec3 = (fn: string, arg: string, v: unknown): [number, number, number] => {
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new InvalidArgumentError(fn, arg, "an [x, y, z] array of finite numbers", v);
  const a = v as ArrayLike<number>;
  if (a.length !== 3 || !Number.isFinite(a[0]) || !Number.isFinite(a[1]) || !Number.isFinite(a[2]))
    throw new InvalidArgumentError(fn, arg, "an [x, y, z] array of finite numbers", Array.from(a as ArrayLike<number>).slice(0, 4));
  return [a[0], a[1], a[2]];
};

/**
 * Check that a mesh is usable: typed arrays of the right kinds, non-empty, finite coordinates,
 * indices in range, optional arrays of matching length. Throws `MeshError` naming `fn`.
 */
export const assertValidMesh = (fn: string, mesh: unknown, opts: { allowEmpty?: boolean } = {}): Mesh => {
  if (typeof mesh !== "object" || mesh === null) throw new InvalidArgumentError(fn, "mesh", "a Mesh { positions, indices }", mesh);
  const m = mesh as Mesh;
  if (!(m.positions instanceof Float32Array)) throw new InvalidArgumentError(fn, "mesh.positions", "a Float32Array", m.positions);
  if (!(m.indices instanceof Uint32Array)) throw new InvalidArgumentError(fn, "mesh.indices", "a Uint32Array", m.indices);
  if (m.positions.length % 3 !== 0) throw new MeshError(fn, `mesh.positions length ${m.positions.length} is not a multiple of 3`);
  if (m.indices.length % 3 !== 0) throw new MeshError(fn, `mesh.indices length ${m.indices.length} is not a multiple of 3`);
  if (!opts.allowEmpty && (m.indices.length === 0 || m.positions.length === 0))
    throw new MeshError(fn, `mesh is empty (${m.positions.length / 3} vertices, ${m.indices.length / 3} triangles)`);
  const p = m.positions;
  for (let i = 0; i < p.length; i++) {
    if (!Number.isFinite(p[i])) throw new MeshError(fn, `vertex ${Math.floor(i / 3)} has a non-finite coordinate (${p[i]})`);
  }
  const nv = p.length / 3;
  const idx = m.indices;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] >= nv) throw new MeshError(fn, `triangle ${Math.floor(i / 3)} references vertex ${idx[i]} but the mesh has ${nv} vertices`);
  }
  if (m.normals !== undefined && (!(m.normals instanceof Float32Array) || m.normals.length !== p.length))
    throw new MeshError(fn, `mesh.normals must be a Float32Array of length ${p.length}`);
  if (m.faceIds !== undefined && (!(m.faceIds instanceof Uint32Array) || m.faceIds.length !== idx.length / 3))
    throw new MeshError(fn, `mesh.faceIds must be a Uint32Array of length ${idx.length / 3}`);
  if (m.colors !== undefined && (!(m.colors instanceof Float32Array) || m.colors.length !== p.length))
    throw new MeshError(fn, `mesh.colors must be a Float32Array of length ${p.length}`);
  return m;
};
