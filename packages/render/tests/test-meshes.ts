import type { Mesh } from "@sdfkit/sdf-core";

/** An axis-aligned cube of half-size s around c, 12 outward-facing triangles. */
export const cube = (c: [number, number, number] = [0, 0, 0], s = 0.5): Mesh => ({
  positions: new Float32Array([-1, -1, -1, 1, -1, -1, 1, 1, -1, -1, 1, -1, -1, -1, 1, 1, -1, 1, 1, 1, 1, -1, 1, 1].map((v, i) => c[i % 3] + s * v)),
  indices: new Uint32Array([0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 3, 7, 6, 3, 6, 2, 0, 4, 7, 0, 7, 3, 1, 2, 6, 1, 6, 5]),
});
/** The same triangles wound the other way round. */
export const flip = (m: Mesh): Mesh => ({ positions: m.positions, indices: m.indices.map((_, i, a) => a[i - (i % 3) + [0, 2, 1][i % 3]]) });
/** Two meshes as one. */
export const merge = (a: Mesh, b: Mesh): Mesh => ({
  positions: Float32Array.from([...a.positions, ...b.positions]),
  indices: Uint32Array.from([...a.indices, ...Array.from(b.indices, (i) => i + a.positions.length / 3)]),
});
