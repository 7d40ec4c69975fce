/**
 * Concavity between two oriented surface points i and j (xyz and normals, stride 3):
 * `max(0, −(n_i − n_j)·(p_i − p_j) / |p_i − p_j|)` — 0 on flat and convex pairs, about the turn of the
 * normal across a concave crease (dimensionless, so independent of the mesh's units and resolution).
 * Coincident points give 0. @internal
 */
export const __concavity = (points: Float32Array, normals: Float32Array, i: number, j: number): number => {
  const dx = points[3 * i] - points[3 * j], dy = points[3 * i + 1] - points[3 * j + 1], dz = points[3 * i + 2] - points[3 * j + 2];
  const dl = Math.hypot(dx, dy, dz) || 1;
  return Math.max(0, -((normals[3 * i] - normals[3 * j]) * dx + (normals[3 * i + 1] - normals[3 * j + 1]) * dy + (normals[3 * i + 2] - normals[3 * j + 2]) * dz) / dl);
};
