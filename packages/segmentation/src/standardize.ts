import { InvalidArgumentError } from "@sdfkit/sdf-core";

/**
 * Standardise features per dimension (zero mean, unit variance; constant dimensions become 0).
 * Returns the standardised copy (or writes into `out`) with the mean and scale used.
 */
export const standardize = (x: Float32Array, dim: number, out?: Float32Array): { data: Float32Array; mean: Float32Array; scale: Float32Array } => {
  if (!Number.isInteger(dim) || dim < 1) throw new InvalidArgumentError("standardize", "dim", "an integer >= 1", dim);
  if (x.length % dim !== 0 || x.length === 0) throw new InvalidArgumentError("standardize", "x", `a non-empty length divisible by dim ${dim}`, x.length);
  const n = x.length / dim;
  const mean = new Float64Array(dim), m2 = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d] += x[i * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= n;
  for (let i = 0; i < n; i++)
    for (let d = 0; d < dim; d++) {
      const t = x[i * dim + d] - mean[d];
      m2[d] += t * t;
    }
  const scale = new Float32Array(dim);
  for (let d = 0; d < dim; d++) {
    const sd = Math.sqrt(m2[d] / n);
    if (!Number.isFinite(sd)) throw new InvalidArgumentError("standardize", "x", "finite values", `non-finite in dimension ${d}`);
    scale[d] = sd > 1e-12 ? sd : 1;
  }
  const data = out ?? new Float32Array(x.length);
  if (data.length !== x.length) throw new InvalidArgumentError("standardize", "out", `a Float32Array of length ${x.length}`, data.length);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) data[i * dim + d] = (x[i * dim + d] - mean[d]) / scale[d];
  return { data, mean: Float32Array.from(mean), scale };
};
