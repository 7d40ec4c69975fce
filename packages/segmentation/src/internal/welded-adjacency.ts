import { vertexAdjacency, weldVertices } from "@sdfkit/sdf-core";
import type { Csr, Mesh } from "@sdfkit/sdf-core";

/**
 * Vertex adjacency of a mesh in its own vertex numbering, with vertices that coincide after
 * welding (tolerance `tol`; negative = no welding) linked to each other. @internal
 */
export const weldedAdjacency = (mesh: Mesh, tol: number): Csr => {
  const base = vertexAdjacency(mesh);
  if (tol < 0) return base;
  const nv = mesh.positions.length / 3;
  const { remap } = weldVertices(mesh, { tolerance: tol });
  const rep = new Int32Array(nv).fill(-1);
  let extra = 0;
  for (let i = 0; i < nv; i++) {
    if (rep[remap[i]] < 0) rep[remap[i]] = i;
    else extra++;
  }
  if (extra === 0) return base;
  const deg = new Uint32Array(nv);
  for (let i = 0; i < nv; i++) {
    deg[i] += base.offsets[i + 1] - base.offsets[i];
    const r = rep[remap[i]];
    if (r !== i) {
      deg[i]++;
      deg[r]++;
    }
  }
  const offsets = new Uint32Array(nv + 1);
  for (let i = 0; i < nv; i++) offsets[i + 1] = offsets[i] + deg[i];
  const items = new Uint32Array(offsets[nv]);
  const fill = offsets.slice(0, nv);
  for (let i = 0; i < nv; i++) {
    for (let e = base.offsets[i]; e < base.offsets[i + 1]; e++) items[fill[i]++] = base.items[e];
    const r = rep[remap[i]];
    if (r !== i) {
      items[fill[i]++] = r;
      items[fill[r]++] = i;
    }
  }
  return { offsets, items };
};

