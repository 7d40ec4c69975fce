import type { MeshEdges } from "@sdfkit/sdf-core";

/**
 * @internal sdf-core's `meshEdges` (same arrays, same order) in O(T + V): half-edges bucketed by
 * their smaller vertex with a counting sort, then ordered by the larger vertex inside each bucket
 * (buckets hold a vertex's few edges: insertion sort). Both steps are stable, so ties keep
 * half-edge order, as sdf-core's sort of packed keys does.
 */
export const fastMeshEdges = (indices: Uint32Array, vertexCount: number): MeshEdges => {
  const nh = indices.length;
  const lo = new Uint32Array(nh), hi = new Uint32Array(nh);
  const offs = new Uint32Array(vertexCount + 1);
  for (let h = 0; h < nh; h++) {
    const a = indices[h], b = indices[h - (h % 3) + ((h + 1) % 3)];
    lo[h] = a < b ? a : b;
    hi[h] = a < b ? b : a;
    offs[lo[h] + 1]++;
  }
  for (let v = 0; v < vertexCount; v++) offs[v + 1] += offs[v];
  const fill = offs.slice(0, vertexCount);
  const sorted = new Uint32Array(nh);
  for (let h = 0; h < nh; h++) sorted[fill[lo[h]]++] = h;
  for (let v = 0; v < vertexCount; v++) {
    for (let i = offs[v] + 1; i < offs[v + 1]; i++) {
      const h = sorted[i], key = hi[h];
      let j = i - 1;
      while (j >= offs[v] && hi[sorted[j]] > key) { sorted[j + 1] = sorted[j]; j--; }
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
