import type { Mesh } from "./api.js";
import { assertValidMesh } from "./internal/validate.js";
import { InvalidArgumentError } from "./errors.js";

/**
 * Unique undirected edges of a triangle mesh with the triangles on each side.
 * - `edges`: vertex pairs (a < b), stride 2.
 * - `edgeFaceOffsets`/`edgeFaces`: CSR list of the triangles that use each edge (1 = boundary, 2 = manifold, >2 = non-manifold).
 * - `triEdges`: for triangle t, the edge ids of its sides (v0v1, v1v2, v2v0), stride 3.
 */
export interface MeshEdges {
  edges: Uint32Array;
  edgeFaceOffsets: Uint32Array;
  edgeFaces: Uint32Array;
  triEdges: Uint32Array;
}

/** Compressed sparse rows: the neighbours of item i are `items[offsets[i] .. offsets[i + 1])`. */
export interface Csr {
  offsets: Uint32Array;
  items: Uint32Array;
}

/**
 * Build the unique edges of a mesh (by vertex index: weld first with {@link weldVertices} when the
 * mesh has split vertices). O(T + V): half-edges bucketed by their smaller vertex with a counting sort,
 * then ordered by the larger vertex inside each bucket (a vertex has few edges: insertion sort). Both
 * steps are stable, so edges come out sorted by (a, b) and each edge's triangles in half-edge order.
 */
export const meshEdges = (mesh: Mesh): MeshEdges => {
  assertValidMesh("meshEdges", mesh, { allowEmpty: true });
  const indices = mesh.indices, nh = indices.length, nv = mesh.positions.length / 3;
  const lo = new Uint32Array(nh), hi = new Uint32Array(nh);
  const offs = new Uint32Array(nv + 1);
  for (let h = 0; h < nh; h++) {
    const a = indices[h], b = indices[h - (h % 3) + ((h + 1) % 3)];
    lo[h] = a < b ? a : b;
    hi[h] = a < b ? b : a;
    offs[lo[h] + 1]++;
  }
  for (let v = 0; v < nv; v++) offs[v + 1] += offs[v];
  const fill = offs.slice(0, nv);
  const sorted = new Uint32Array(nh);
  for (let h = 0; h < nh; h++) sorted[fill[lo[h]]++] = h;
  for (let v = 0; v < nv; v++) {
    for (let i = offs[v] + 1; i < offs[v + 1]; i++) {
      const h = sorted[i], key = hi[h];
      let j = i - 1;
      while (j >= offs[v] && hi[sorted[j]] > key) {
        sorted[j + 1] = sorted[j];
        j--;
      }
      sorted[j + 1] = h;
    }
  }
  const triEdges = new Uint32Array(nh), edgeFaces = new Uint32Array(nh);
  const edges = new Uint32Array(2 * nh), edgeFaceOffsets = new Uint32Array(nh + 1);
  let ne = 0;
  for (let s = 0; s < nh; s++) {
    const h = sorted[s];
    if (s === 0 || lo[h] !== lo[sorted[s - 1]] || hi[h] !== hi[sorted[s - 1]]) {
      edgeFaceOffsets[ne] = s;
      edges[2 * ne] = lo[h];
      edges[2 * ne + 1] = hi[h];
      ne++;
    }
    triEdges[h] = ne - 1;
    edgeFaces[s] = (h / 3) | 0;
  }
  edgeFaceOffsets[ne] = nh;
  return { edges: edges.slice(0, 2 * ne), edgeFaceOffsets: edgeFaceOffsets.slice(0, ne + 1), edgeFaces, triEdges };
};

/** Vertex-to-vertex adjacency (CSR) over the mesh's triangle edges, each neighbour listed once. */
export const vertexAdjacency = (mesh: Mesh, edges: MeshEdges = meshEdges(mesh)): Csr => {
  const nv = mesh.positions.length / 3;
  const deg = new Uint32Array(nv + 1);
  const e = edges.edges;
  for (let i = 0; i < e.length; i += 2) {
    deg[e[i] + 1]++;
    deg[e[i + 1] + 1]++;
  }
  for (let i = 0; i < nv; i++) deg[i + 1] += deg[i];
  const items = new Uint32Array(deg[nv]);
  const fill = deg.slice(0, nv);
  for (let i = 0; i < e.length; i += 2) {
    items[fill[e[i]]++] = e[i + 1];
    items[fill[e[i + 1]]++] = e[i];
  }
  return { offsets: deg, items };
};

/** Unit normal of each triangle (stride 3); degenerate triangles get (0, 0, 0). */
export const triangleNormals = (mesh: Mesh, out?: Float32Array): Float32Array => {
  const p = mesh.positions, idx = mesh.indices;
  const nt = idx.length / 3;
  const r = out ?? new Float32Array(3 * nt);
  for (let t = 0; t < nt; t++) {
    const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
    const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
    let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const l = Math.hypot(nx, ny, nz);
    if (l > 0) {
      nx /= l;
      ny /= l;
      nz /= l;
    }
    r[3 * t] = nx;
    r[3 * t + 1] = ny;
    r[3 * t + 2] = nz;
  }
  return r;
};

/** Area of each triangle. */
export const triangleAreas = (mesh: Mesh, out?: Float32Array): Float32Array => {
  const p = mesh.positions, idx = mesh.indices;
  const nt = idx.length / 3;
  const r = out ?? new Float32Array(nt);
  for (let t = 0; t < nt; t++) {
    const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
    const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
    r[t] = 0.5 * Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
  }
  return r;
};

/**
 * Dihedral angle (radians, 0 = flat) across each edge with exactly two triangles; boundary and
 * non-manifold edges get NaN. Sharp-edge detection is `angle > threshold`.
 */
export const edgeDihedralAngles = (mesh: Mesh, edges: MeshEdges = meshEdges(mesh), faceNormals = triangleNormals(mesh)): Float32Array => {
  const ne = edges.edges.length / 2;
  const r = new Float32Array(ne);
  const off = edges.edgeFaceOffsets, f = edges.edgeFaces;
  for (let e = 0; e < ne; e++) {
    if (off[e + 1] - off[e] !== 2) {
      r[e] = NaN;
      continue;
    }
    const a = 3 * f[off[e]], b = 3 * f[off[e] + 1];
    const d = faceNormals[a] * faceNormals[b] + faceNormals[a + 1] * faceNormals[b + 1] + faceNormals[a + 2] * faceNormals[b + 2];
    r[e] = Math.acos(Math.max(-1, Math.min(1, d)));
  }
  return r;
};

/**
 * Merge vertices closer than `tolerance` (grid hashing; exact duplicates with tolerance 0).
 * Returns the welded mesh (triangles that collapse are dropped) and `remap[old] = new`.
 * Per-vertex normals/colours keep the first vertex's value; faceIds follow their triangles.
 */
export const weldVertices = (mesh: Mesh, opts: { tolerance?: number } = {}): { mesh: Mesh; remap: Uint32Array } => {
  assertValidMesh("weldVertices", mesh, { allowEmpty: true });
  const tol = opts.tolerance ?? 0;
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new InvalidArgumentError("weldVertices", "tolerance", "a finite number >= 0", tol);
  const p = mesh.positions;
  const nv = p.length / 3;
  const remap = new Uint32Array(nv);
  const map = new Map<string, number[]>();
  const cell = tol > 0 ? tol : 1;
  const outPos: number[] = [];
  const firstOf: number[] = [];
  for (let i = 0; i < nv; i++) {
    const x = p[3 * i], y = p[3 * i + 1], z = p[3 * i + 2];
    let found = -1;
    if (tol === 0) {
      const key = `${x},${y},${z}`;
      const hit = map.get(key);
      if (hit) found = hit[0];
      else map.set(key, [firstOf.length]);
    } else {
      const cx = Math.floor(x / cell), cy = Math.floor(y / cell), cz = Math.floor(z / cell);
      const t2 = tol * tol;
      for (let dx = -1; dx <= 1 && found < 0; dx++)
        for (let dy = -1; dy <= 1 && found < 0; dy++)
          for (let dz = -1; dz <= 1 && found < 0; dz++) {
            const list = map.get(`${cx + dx},${cy + dy},${cz + dz}`);
            if (!list) continue;
            for (const j of list) {
              const ex = outPos[3 * j] - x, ey = outPos[3 * j + 1] - y, ez = outPos[3 * j + 2] - z;
              if (ex * ex + ey * ey + ez * ez <= t2) {
                found = j;
                break;
              }
            }
          }
      if (found < 0) {
        const key = `${cx},${cy},${cz}`;
        const l = map.get(key);
        if (l) l.push(firstOf.length);
        else map.set(key, [firstOf.length]);
      }
    }
    if (found >= 0) remap[i] = found;
    else {
      remap[i] = firstOf.length;
      firstOf.push(i);
      outPos.push(x, y, z);
    }
  }
  const idx = mesh.indices;
  const tris: number[] = [];
  const keptTris: number[] = [];
  for (let t = 0; t < idx.length; t += 3) {
    const a = remap[idx[t]], b = remap[idx[t + 1]], c = remap[idx[t + 2]];
    if (a === b || b === c || a === c) continue;
    tris.push(a, b, c);
    keptTris.push(t / 3);
  }
  const pick = (src: Float32Array | undefined) => {
    if (!src) return undefined;
    const r = new Float32Array(3 * firstOf.length);
    for (let k = 0; k < firstOf.length; k++) {
      r[3 * k] = src[3 * firstOf[k]];
      r[3 * k + 1] = src[3 * firstOf[k] + 1];
      r[3 * k + 2] = src[3 * firstOf[k] + 2];
    }
    return r;
  };
  const out: Mesh = { positions: Float32Array.from(outPos), indices: Uint32Array.from(tris) };
  const n = pick(mesh.normals);
  if (n) out.normals = n;
  const c = pick(mesh.colors);
  if (c) out.colors = c;
  if (mesh.faceIds) out.faceIds = Uint32Array.from(keptTris, (t) => mesh.faceIds![t]);
  return { mesh: out, remap };
};
