import { basename, extname } from "node:path";
import { InvalidArgumentError, normalizeMesh, type Mesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import type { ShapeNormalization } from "@sdfkit/sdf-core/model";

/** A mesh file read and normalised to DeepSDF's unit sphere, named by its file stem. */
export interface NamedMesh {
  name: string;
  file: string;
  /** The mesh in the normalised (training) frame. */
  mesh: Mesh;
  normalization: ShapeNormalization;
}

/** Read mesh files (any format `readMesh` knows) and normalise each; names are file stems, made unique. */
export const readNormalizedMeshes = async (files: string[]): Promise<NamedMesh[]> => {
  const out: NamedMesh[] = [];
  const seen = new Map<string, number>();
  for (const file of files) {
    const stem = basename(file, extname(file));
    const k = seen.get(stem) ?? 0;
    seen.set(stem, k + 1);
    const n = normalizeMesh(await readMesh(file));
    out.push({ name: k ? `${stem}-${k + 1}` : stem, file, mesh: n.mesh, normalization: { offset: n.offset, scale: n.scale } });
  }
  return out;
};

/** Bring a mesh from the normalised frame back to the original units: p / scale + offset. */
export const denormalizeMesh = (mesh: Mesh, n: ShapeNormalization | undefined): Mesh => {
  if (!n) return mesh;
  const p = new Float32Array(mesh.positions.length);
  for (let i = 0; i < p.length; i += 3) {
    p[i] = mesh.positions[i] / n.scale + n.offset[0];
    p[i + 1] = mesh.positions[i + 1] / n.scale + n.offset[1];
    p[i + 2] = mesh.positions[i + 2] / n.scale + n.offset[2];
  }
  return { positions: p, indices: mesh.indices };
};

/** Parse an integer CLI option. */
export const intOpt = (cmd: string, name: string, v: string | undefined, min = 1): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(cmd, name, `an integer >= ${min}`, v);
  return n;
};
