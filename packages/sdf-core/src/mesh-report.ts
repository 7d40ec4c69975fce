import type { Aabb, Mesh } from "./api.js";
import { assertValidMesh } from "./internal/validate.js";
import { meshEdges, triangleAreas, type MeshEdges } from "./mesh-topology.js";
import { computeBounds } from "./compute-bounds.js";

/** Total surface area of a mesh. */
export const meshArea = (mesh: Mesh): number => {
  const a = triangleAreas(mesh);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

/**
 * Signed volume by the divergence theorem (sum of signed tetrahedra from the origin). Positive for a
 * closed, outward-oriented mesh; meaningless for an open one.
 */
export const signedVolume = (mesh: Mesh): number => {
  const p = mesh.positions, idx = mesh.indices;
  let v = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const a = 3 * idx[t], b = 3 * idx[t + 1], c = 3 * idx[t + 2];
    v +=
      p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) -
      p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) +
      p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
  }
  return v / 6;
};

/**
 * Connected components of triangles that share a vertex (union-find). Returns the component id of
 * each triangle (0-based, in order of first appearance) and the count.
 */
export const meshComponents = (mesh: Mesh): { labels: Uint32Array; count: number } => {
  assertValidMesh("meshComponents", mesh, { allowEmpty: true });
  const nv = mesh.positions.length / 3;
  const parent = new Uint32Array(nv);
  for (let i = 0; i < nv; i++) parent[i] = i;
  const find = (x: number) => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const idx = mesh.indices;
  for (let t = 0; t < idx.length; t += 3) {
    const a = find(idx[t]), b = find(idx[t + 1]), c = find(idx[t + 2]);
    if (a !== b) parent[b] = a;
    const a2 = find(a);
    if (a2 !== c) parent[c] = a2;
  }
  const nt = idx.length / 3;
  const labels = new Uint32Array(nt);
  const id = new Map<number, number>();
  for (let t = 0; t < nt; t++) {
    const r = find(idx[3 * t]);
    let l = id.get(r);
    if (l === undefined) {
      l = id.size;
      id.set(r, l);
    }
    labels[t] = l;
  }
  return { labels, count: id.size };
};

/** What {@link meshReport} finds. */
export interface MeshReport {
  vertices: number;
  triangles: number;
  /** Connected components (triangles sharing vertices). */
  components: number;
  /** Edges used by exactly one triangle (holes, open patches). */
  boundaryEdges: number;
  /** Edges used by three or more triangles. */
  nonManifoldEdges: number;
  /** Triangles of zero area (repeated or collinear vertices). */
  degenerateTriangles: number;
  /** Triangles with the same vertex set as an earlier one. */
  duplicateTriangles: number;
  /** Every two-triangle edge is traversed in opposite directions by its triangles. */
  consistentlyOriented: boolean;
  /** Closed 2-manifold with consistent orientation: no boundary or non-manifold edge, consistently oriented. */
  watertight: boolean;
  area: number;
  /** Signed volume (divergence theorem); only meaningful when watertight. */
  volume: number;
  bbox: Aabb;
}

/**
 * Watertightness and manifoldness report of a mesh. Vertices are taken as given: weld split
 * vertices first (`weldVertices`) when the file stores a triangle soup (STL).
 */
export const meshReport = (mesh: Mesh, edges?: MeshEdges): MeshReport => {
  assertValidMesh("meshReport", mesh);
  const e = edges ?? meshEdges(mesh);
  const idx = mesh.indices;
  const nt = idx.length / 3;
  const off = e.edgeFaceOffsets, ef = e.edgeFaces;
  const ne = e.edges.length / 2;
  let boundary = 0, nonManifold = 0, consistent = true;
  for (let k = 0; k < ne; k++) {
    const n = off[k + 1] - off[k];
    if (n === 1) boundary++;
    else if (n > 2) nonManifold++;
    else if (n === 2 && consistent) {
      // the two triangles must traverse edge (a,b) in opposite directions
      const a = e.edges[2 * k], b = e.edges[2 * k + 1];
      const dir = (t: number) => {
        for (let j = 0; j < 3; j++) {
          const u = idx[3 * t + j], v = idx[3 * t + ((j + 1) % 3)];
          if (u === a && v === b) return 1;
          if (u === b && v === a) return -1;
        }
        return 0;
      };
      if (dir(ef[off[k]]) + dir(ef[off[k] + 1]) !== 0) consistent = false;
    }
  }
  const areas = triangleAreas(mesh);
  let degenerate = 0, area = 0;
  let maxArea = 0;
  for (let t = 0; t < nt; t++) if (areas[t] > maxArea) maxArea = areas[t];
  const eps = maxArea * 1e-12;
  for (let t = 0; t < nt; t++) {
    area += areas[t];
    const a = idx[3 * t], b = idx[3 * t + 1], c = idx[3 * t + 2];
    if (areas[t] <= eps || a === b || b === c || a === c) degenerate++;
  }
  const seen = new Set<string>();
  let duplicates = 0;
  for (let t = 0; t < nt; t++) {
    const tri = [idx[3 * t], idx[3 * t + 1], idx[3 * t + 2]].sort((x, y) => x - y);
    const key = `${tri[0]},${tri[1]},${tri[2]}`;
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }
  const { count } = meshComponents(mesh);
  return {
    vertices: mesh.positions.length / 3,
    triangles: nt,
    components: count,
    boundaryEdges: boundary,
    nonManifoldEdges: nonManifold,
    degenerateTriangles: degenerate,
    duplicateTriangles: duplicates,
    consistentlyOriented: consistent,
    watertight: boundary === 0 && nonManifold === 0 && consistent,
    area,
    volume: signedVolume(mesh),
    bbox: computeBounds(mesh),
  };
};
