import { weldVertices } from "@sdfkit/sdf-core";
import type { Csr, Mesh } from "@sdfkit/sdf-core";
import type { RefinePartsAtCreasesOptions } from "../api.js";
import { __concavity } from "./concavity.js";

/** Area-weighted vertex normals (unit; coincident vertices share one when `tol` ≥ 0): the normals {@link __refineAtCreases} reads; build once per mesh. @internal */
export const __creaseNormals = (mesh: Mesh, tol: number): Float32Array => {
  const p = mesh.positions, idx = mesh.indices, nv = p.length / 3;
  const remap = tol >= 0 ? weldVertices(mesh, { tolerance: tol }).remap : Uint32Array.from({ length: nv }, (_, i) => i);
  const acc = new Float64Array(3 * nv);
  for (let t = 0; t < idx.length; t += 3) {
    const a = 3 * idx[t], b = 3 * idx[t + 1], c = 3 * idx[t + 2];
    const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx; // |n| = 2 × area
    for (let j = 0; j < 3; j++) {
      const r = 3 * remap[idx[t + j]];
      acc[r] += nx;
      acc[r + 1] += ny;
      acc[r + 2] += nz;
    }
  }
  const out = new Float32Array(3 * nv);
  for (let v = 0; v < nv; v++) {
    const r = 3 * remap[v], l = Math.hypot(acc[r], acc[r + 1], acc[r + 2]) || 1;
    for (let d = 0; d < 3; d++) out[3 * v + d] = acc[r + d] / l;
  }
  return out;
};

/** Connected pieces of equal label on the graph (BFS), numbered 0 .. pieces − 1. @internal */
const __pieces = (adj: Csr, labels: Uint32Array): { piece: Int32Array; count: number } => {
  const nv = labels.length, piece = new Int32Array(nv).fill(-1), queue = new Uint32Array(nv);
  let count = 0;
  for (let s = 0; s < nv; s++) {
    if (piece[s] >= 0) continue;
    let tail = 0;
    piece[s] = count;
    queue[tail++] = s;
    for (let head = 0; head < tail; head++) {
      const v = queue[head];
      for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) {
        const w = adj.items[e];
        if (piece[w] < 0 && labels[w] === labels[v]) {
          piece[w] = count;
          queue[tail++] = w;
        }
      }
    }
    count++;
  }
  return { piece, count };
};

/** Hops from each vertex to the nearest vertex of its own part that touches another part (BFS inside the part; −1: no such vertex). @internal */
const __depthInPart = (adj: Csr, labels: Uint32Array): Int32Array => {
  const nv = labels.length, depth = new Int32Array(nv).fill(-1), queue = new Uint32Array(nv);
  let tail = 0;
  for (let v = 0; v < nv; v++)
    for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++)
      if (labels[adj.items[e]] !== labels[v]) {
        depth[v] = 0;
        queue[tail++] = v;
        break;
      }
  for (let head = 0; head < tail; head++) {
    const v = queue[head];
    for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) {
      const w = adj.items[e];
      if (depth[w] < 0 && labels[w] === labels[v]) {
        depth[w] = depth[v] + 1;
        queue[tail++] = w;
      }
    }
  }
  return depth;
};

/** `refinePartsAtCreases` on a prebuilt (welded) vertex graph and its {@link __creaseNormals}; options already checked. @internal */
export const __refineAtCreases = (mesh: Mesh, adj: Csr, normals: Float32Array, labels: Uint32Array, o: RefinePartsAtCreasesOptions): Uint32Array => {
  const nv = labels.length;
  const depth = __depthInPart(adj, labels);
  // seeds: per connected piece of a part, the vertices at least min(band, ⌈its deepest / 2⌉) hops from its boundary
  const { piece, count } = __pieces(adj, labels);
  const maxDepth = new Int32Array(count);
  for (let v = 0; v < nv; v++) maxDepth[piece[v]] = Math.max(maxDepth[piece[v]], depth[v]);
  const out = new Int32Array(nv);
  for (let v = 0; v < nv; v++) out[v] = depth[v] < 0 || depth[v] >= Math.min(o.band, Math.ceil(maxDepth[piece[v]] / 2)) ? labels[v] : -1;

  // watershed: a min-heap of (concavity, label change, arrival order) over edges from labelled to free vertices
  const hw: number[] = [], hm: number[] = [], hs: number[] = [], hv: number[] = [], hl: number[] = [];
  const heap: number[] = [];
  let seq = 0;
  const less = (a: number, b: number) => hw[a] < hw[b] || (hw[a] === hw[b] && (hm[a] < hm[b] || (hm[a] === hm[b] && hs[a] < hs[b])));
  const push = (from: number, to: number) => {
    const c = __concavity(mesh.positions, normals, from, to), id = hw.length;
    hw.push(c);
    hm.push(out[from] === labels[to] ? 0 : 1);
    hs.push(seq++);
    hv.push(to);
    hl.push(out[from]);
    let i = heap.length;
    heap.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const pop = (): number => {
    const top = heap[0], last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  for (let v = 0; v < nv; v++) {
    if (out[v] < 0) continue;
    for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) if (out[adj.items[e]] < 0) push(v, adj.items[e]);
  }
  while (heap.length > 0) {
    const id = pop(), v = hv[id];
    if (out[v] >= 0) continue;
    out[v] = hl[id];
    for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) if (out[adj.items[e]] < 0) push(v, adj.items[e]);
  }
  const refined = Uint32Array.from(out, (l, v) => (l < 0 ? labels[v] : l)); // a vertex no core reaches keeps its part
  return o.mergeBelow > 0 ? __mergeCreaseless(mesh, adj, normals, refined, o.mergeBelow) : refined;
};

/** Neighbouring parts whose shared boundary edges have a mean concavity below `below` joined (union-find; the smaller label id names the union). @internal */
const __mergeCreaseless = (mesh: Mesh, adj: Csr, normals: Float32Array, labels: Uint32Array, below: number): Uint32Array => {
  const sum = new Map<number, number>(), cnt = new Map<number, number>();
  let parts = 0;
  for (const l of labels) parts = Math.max(parts, l + 1);
  for (let v = 0; v < labels.length; v++)
    for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) {
      const w = adj.items[e];
      if (w <= v || labels[w] === labels[v]) continue;
      const a = Math.min(labels[v], labels[w]), b = Math.max(labels[v], labels[w]), key = a * parts + b;
      sum.set(key, (sum.get(key) ?? 0) + __concavity(mesh.positions, normals, v, w));
      cnt.set(key, (cnt.get(key) ?? 0) + 1);
    }
  const root = Int32Array.from({ length: parts }, (_, i) => i);
  const find = (x: number): number => (root[x] === x ? x : (root[x] = find(root[x])));
  for (const [key, s] of sum) {
    if (s / cnt.get(key)! >= below) continue;
    const a = find(Math.floor(key / parts)), b = find(key % parts);
    if (a !== b) root[Math.max(a, b)] = Math.min(a, b);
  }
  return Uint32Array.from(labels, (l) => find(l));
};

/** Labels renumbered 0 .. parts − 1 in order of first vertex. @internal */
export const __renumber = (labels: ArrayLike<number>): Uint32Array => {
  const id = new Map<number, number>();
  return Uint32Array.from(labels, (l) => {
    let r = id.get(l);
    if (r === undefined) id.set(l, (r = id.size));
    return r;
  });
};
