import { InvalidArgumentError, assertValidMesh } from "@sdfkit/sdf-core";
import type { Mesh } from "@sdfkit/sdf-core";

/** 12 well-separated colours (Tableau 10 + 2), RGB in [0, 1]; parts beyond 12 cycle with golden-ratio hues. */
const PALETTE = [
  [0.122, 0.467, 0.706], [1.0, 0.498, 0.055], [0.173, 0.627, 0.173], [0.839, 0.153, 0.157], [0.58, 0.404, 0.741], [0.549, 0.337, 0.294],
  [0.89, 0.467, 0.761], [0.498, 0.498, 0.498], [0.737, 0.741, 0.133], [0.09, 0.745, 0.812], [0.0, 0.0, 0.5], [0.5, 0.8, 0.3],
];

/** RGB colour (components in [0, 1]) of part `i`. */
export const partColor = (i: number): [number, number, number] => {
  if (i < PALETTE.length) return PALETTE[i] as [number, number, number];
  const h = (i * 0.618033988749895) % 1, s = 0.65, v = 0.9;
  const k = (n: number) => (n + h * 6) % 6;
  const f = (n: number) => v - v * s * Math.max(0, Math.min(k(n), 4 - k(n), 1));
  return [f(5), f(3), f(1)];
};

const checkLabels = (fn: string, mesh: Mesh, labels: ArrayLike<number>) => {
  assertValidMesh(fn, mesh);
  const nv = mesh.positions.length / 3;
  if (labels.length !== nv) throw new InvalidArgumentError(fn, "labels", `one label per vertex (${nv})`, labels.length);
  for (let i = 0; i < nv; i++) if (!Number.isInteger(labels[i]) || labels[i] < 0) throw new InvalidArgumentError(fn, "labels", "integers >= 0", `${labels[i]} at index ${i}`);
};

/** A copy of the mesh with per-vertex `colors` (RGB, stride 3) from the part palette. */
export const colorByLabels = (mesh: Mesh, labels: ArrayLike<number>): Mesh => {
  checkLabels("colorByLabels", mesh, labels);
  const nv = mesh.positions.length / 3;
  const colors = new Float32Array(nv * 3);
  for (let i = 0; i < nv; i++) colors.set(partColor(labels[i]), 3 * i);
  return { ...mesh, colors };
};

const fmt = (x: number) => String(Number(x.toPrecision(7)));
const requireColors = (fn: string, mesh: Mesh): Float32Array => {
  assertValidMesh(fn, mesh);
  const c = mesh.colors;
  if (!c || c.length !== mesh.positions.length) throw new InvalidArgumentError(fn, "mesh.colors", "per-vertex RGB colours (stride 3), e.g. from colorByLabels", c);
  return c;
};

/** OBJ text with vertex colours (`v x y z r g b`, the MeshLab/Blender convention, r g b in [0, 1]). */
export const serializeColoredObj = (mesh: Mesh): string => {
  const c = requireColors("serializeColoredObj", mesh);
  const p = mesh.positions, idx = mesh.indices;
  const out: string[] = ["# sdfkit OBJ with vertex colours"];
  for (let i = 0; i < p.length; i += 3) out.push(`v ${fmt(p[i])} ${fmt(p[i + 1])} ${fmt(p[i + 2])} ${fmt(c[i])} ${fmt(c[i + 1])} ${fmt(c[i + 2])}`);
  for (let i = 0; i < idx.length; i += 3) out.push(`f ${idx[i] + 1} ${idx[i + 1] + 1} ${idx[i + 2] + 1}`);
  out.push("");
  return out.join("\n");
};

/** Binary little-endian PLY with float xyz, uchar red/green/blue per vertex and uchar-count uint faces. */
export const serializeColoredPly = (mesh: Mesh): Uint8Array => {
  const c = requireColors("serializeColoredPly", mesh);
  const p = mesh.positions, idx = mesh.indices;
  const nv = p.length / 3, nt = idx.length / 3;
  const header =
    `ply\nformat binary_little_endian 1.0\ncomment sdfkit part colours\nelement vertex ${nv}\nproperty float x\nproperty float y\nproperty float z\n` +
    `property uchar red\nproperty uchar green\nproperty uchar blue\nelement face ${nt}\nproperty list uchar uint vertex_indices\nend_header\n`;
  const h = new TextEncoder().encode(header);
  const buf = new Uint8Array(h.length + nv * 15 + nt * 13);
  buf.set(h);
  const dv = new DataView(buf.buffer);
  let o = h.length;
  const u8 = (x: number) => Math.max(0, Math.min(255, Math.round(x * 255)));
  for (let i = 0; i < nv; i++) {
    dv.setFloat32(o, p[3 * i], true);
    dv.setFloat32(o + 4, p[3 * i + 1], true);
    dv.setFloat32(o + 8, p[3 * i + 2], true);
    buf[o + 12] = u8(c[3 * i]);
    buf[o + 13] = u8(c[3 * i + 1]);
    buf[o + 14] = u8(c[3 * i + 2]);
    o += 15;
  }
  for (let t = 0; t < nt; t++) {
    buf[o] = 3;
    dv.setUint32(o + 1, idx[3 * t], true);
    dv.setUint32(o + 5, idx[3 * t + 1], true);
    dv.setUint32(o + 9, idx[3 * t + 2], true);
    o += 13;
  }
  return buf;
};

/**
 * Split a mesh into one mesh per part. A triangle goes to the part of the majority of its vertices
 * (ties: its first vertex); vertices are re-indexed per part. Returns `parts[label]` (empty parts
 * as meshes with no triangles are left out: the array holds only labels that own triangles, with
 * `label` recorded).
 */
export const splitMeshByLabels = (mesh: Mesh, labels: ArrayLike<number>): { label: number; mesh: Mesh }[] => {
  checkLabels("splitMeshByLabels", mesh, labels);
  const idx = mesh.indices, p = mesh.positions, nrm = mesh.normals, col = mesh.colors;
  const nt = idx.length / 3;
  const triPart = new Uint32Array(nt);
  let maxL = 0;
  for (let t = 0; t < nt; t++) {
    const a = labels[idx[3 * t]], b = labels[idx[3 * t + 1]], c = labels[idx[3 * t + 2]];
    const l = b === c ? b : a;
    triPart[t] = l;
    if (l > maxL) maxL = l;
  }
  const out: { label: number; mesh: Mesh }[] = [];
  const local = new Int32Array(p.length / 3);
  for (let l = 0; l <= maxL; l++) {
    local.fill(-1);
    const verts: number[] = [], tris: number[] = [];
    for (let t = 0; t < nt; t++) {
      if (triPart[t] !== l) continue;
      for (let k = 0; k < 3; k++) {
        const v = idx[3 * t + k];
        if (local[v] < 0) {
          local[v] = verts.length;
          verts.push(v);
        }
        tris.push(local[v]);
      }
    }
    if (tris.length === 0) continue;
    const pick = (src: Float32Array) => {
      const r = new Float32Array(verts.length * 3);
      for (let i = 0; i < verts.length; i++) r.set(src.subarray(3 * verts[i], 3 * verts[i] + 3), 3 * i);
      return r;
    };
    const m: Mesh = { positions: pick(p), indices: Uint32Array.from(tris) };
    if (nrm && nrm.length === p.length) m.normals = pick(nrm);
    if (col && col.length === p.length) m.colors = pick(col);
    out.push({ label: l, mesh: m });
  }
  return out;
};
