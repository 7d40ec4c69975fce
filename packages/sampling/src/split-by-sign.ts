import { InvalidArgumentError, type Rng, type SdfSamples } from "@sdfkit/sdf-core";

/** DeepSDF's layout: `pos` (sdf ≥ 0) and `neg` (sdf < 0), each N×4 float32 rows of x, y, z, sdf. */
export interface PosNeg {
  pos: Float32Array;
  neg: Float32Array;
}

const check = (fn: string, s: SdfSamples): number => {
  if (!s || !(s.points instanceof Float32Array) || !(s.sdf instanceof Float32Array) || s.points.length !== s.sdf.length * 3)
    throw new InvalidArgumentError(fn, "samples", "SdfSamples with points.length === 3 * sdf.length", s);
  return s.sdf.length;
};

/** Split samples into DeepSDF's `pos` / `neg` N×4 arrays (sdf = 0 goes to `pos`). */
export const splitBySign = (samples: SdfSamples): PosNeg => {
  const n = check("splitBySign", samples);
  let np = 0;
  for (let i = 0; i < n; i++) if (samples.sdf[i] >= 0) np++;
  const pos = new Float32Array(np * 4), neg = new Float32Array((n - np) * 4);
  let a = 0, b = 0;
  for (let i = 0; i < n; i++) {
    const dst = samples.sdf[i] >= 0 ? pos : neg;
    const j = samples.sdf[i] >= 0 ? a++ : b++;
    dst[j * 4] = samples.points[i * 3]; dst[j * 4 + 1] = samples.points[i * 3 + 1]; dst[j * 4 + 2] = samples.points[i * 3 + 2]; dst[j * 4 + 3] = samples.sdf[i];
  }
  return { pos, neg };
};

/**
 * DeepSDF's `unpack_sdf_samples`: `n` rows, half drawn from `pos` and half from `neg` (without
 * replacement when enough rows exist, else with), seeded. Returns SdfSamples (positives first).
 */
export const subsampleBalanced = (data: PosNeg, n: number, rng: Rng): SdfSamples => {
  const fn = "subsampleBalanced";
  if (!(data?.pos instanceof Float32Array) || !(data?.neg instanceof Float32Array) || data.pos.length % 4 || data.neg.length % 4)
    throw new InvalidArgumentError(fn, "data", "{ pos, neg } Float32Arrays of N×4 rows", data);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(fn, "n", "an integer >= 1", n);
  const np = data.pos.length / 4, nn = data.neg.length / 4;
  if (np + nn === 0) throw new InvalidArgumentError(fn, "data", "at least one row", "0 rows");
  let half = n >> 1;
  if (np === 0) half = 0; else if (nn === 0) half = n;
  const points = new Float32Array(n * 3), sdf = new Float32Array(n);
  const take = (src: Float32Array, rows: number, k: number, at: number) => {
    // partial Fisher–Yates over an index array when sampling without replacement
    const idx = k <= rows ? Uint32Array.from({ length: rows }, (_, i) => i) : undefined;
    for (let i = 0; i < k; i++) {
      let r: number;
      if (idx) { const j = i + rng.int(rows - i); r = idx[j]; idx[j] = idx[i]; idx[i] = r; } else r = rng.int(rows);
      points[(at + i) * 3] = src[r * 4]; points[(at + i) * 3 + 1] = src[r * 4 + 1]; points[(at + i) * 3 + 2] = src[r * 4 + 2]; sdf[at + i] = src[r * 4 + 3];
    }
  };
  take(data.pos, np, half, 0);
  take(data.neg, nn, n - half, half);
  return { points, sdf };
};
