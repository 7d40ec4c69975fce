import { createRng } from "@sdfkit/sdf-core";
import type { Mesh } from "@sdfkit/sdf-core";

/** Gaussian blobs: `k` centres spaced `sep` apart along random directions, `per` points each. */
export const blobs = (k: number, per: number, dim: number, sep: number, seed = 1): { x: Float32Array; labels: Uint32Array } => {
  const rng = createRng(seed);
  const centres = new Float64Array(k * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = sep * rng.normal();
  const x = new Float32Array(k * per * dim), labels = new Uint32Array(k * per);
  for (let c = 0; c < k; c++)
    for (let j = 0; j < per; j++) {
      const i = c * per + j;
      labels[i] = c;
      for (let d = 0; d < dim; d++) x[i * dim + d] = centres[c * dim + d] + rng.normal();
    }
  return { x, labels };
};

/** A flat nx × ny vertex grid in the xy plane (unit spacing), triangulated. */
export const gridMesh = (nx: number, ny: number): Mesh => {
  const positions = new Float32Array(nx * ny * 3);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) positions.set([i, j, 0], 3 * (j * nx + i));
  const idx: number[] = [];
  for (let j = 0; j + 1 < ny; j++)
    for (let i = 0; i + 1 < nx; i++) {
      const a = j * nx + i, b = a + 1, c = a + nx, d = c + 1;
      idx.push(a, b, d, a, d, c);
    }
  return { positions, indices: Uint32Array.from(idx) };
};

/** Same surface with every triangle owning its own three vertices (an unwelded "triangle soup"). */
export const unweld = (m: Mesh): { mesh: Mesh; source: Uint32Array } => {
  const nt = m.indices.length / 3;
  const positions = new Float32Array(nt * 9), source = new Uint32Array(nt * 3);
  for (let t = 0; t < 3 * nt; t++) {
    source[t] = m.indices[t];
    positions.set(m.positions.subarray(3 * m.indices[t], 3 * m.indices[t] + 3), 3 * t);
  }
  return { mesh: { positions, indices: Uint32Array.from({ length: nt * 3 }, (_, i) => i) }, source };
};
