import { InvalidArgumentError } from "@sdfkit/sdf-core";

type Labels = ArrayLike<number>;

/** Contingency table of two labelings (labels are remapped to 0..r-1 / 0..c-1). @internal */
export const contingency = (fn: string, a: Labels, b: Labels): { table: Float64Array; rows: number; cols: number; n: number } => {
  if (a.length !== b.length) throw new InvalidArgumentError(fn, "b", `a labeling of the same length as a (${a.length})`, b.length);
  if (a.length === 0) throw new InvalidArgumentError(fn, "a", "a non-empty labeling", 0);
  const ra = new Map<number, number>(), rb = new Map<number, number>();
  const ia = new Uint32Array(a.length), ib = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (!Number.isInteger(x)) throw new InvalidArgumentError(fn, "a", "integer labels", `${x} at index ${i}`);
    if (!Number.isInteger(y)) throw new InvalidArgumentError(fn, "b", "integer labels", `${y} at index ${i}`);
    let u = ra.get(x);
    if (u === undefined) ra.set(x, (u = ra.size));
    let v = rb.get(y);
    if (v === undefined) rb.set(y, (v = rb.size));
    ia[i] = u;
    ib[i] = v;
  }
  const rows = ra.size, cols = rb.size;
  const table = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) table[ia[i] * cols + ib[i]]++;
  return { table, rows, cols, n: a.length };
};

const comb2 = (x: number) => (x * (x - 1)) / 2;

/**
 * Adjusted Rand index of two labelings (Hubert & Arabie 1985; same definition and edge cases as
 * scikit-learn's `adjusted_rand_score`: 1 for identical partitions up to renaming, ~0 for chance).
 */
export const adjustedRandIndex = (a: Labels, b: Labels): number => {
  const { table, rows, cols, n } = contingency("adjustedRandIndex", a, b);
  return ariOfTable(table, rows, cols, n);
};

/** ARI from a rows × cols contingency table of n items (empty rows / columns are not clusters). */
const ariOfTable = (table: Float64Array, ra: number, rb: number, n: number): number => {
  const rs = new Float64Array(ra), cs = new Float64Array(rb);
  let sumIj = 0;
  for (let i = 0; i < ra; i++)
    for (let j = 0; j < rb; j++) {
      const v = table[i * rb + j];
      sumIj += comb2(v);
      rs[i] += v;
      cs[j] += v;
    }
  let sumA = 0, sumB = 0, rows = 0, cols = 0;
  for (const v of rs) if (v > 0) (sumA += comb2(v)), rows++;
  for (const v of cs) if (v > 0) (sumB += comb2(v)), cols++;
  const total = comb2(n);
  // special cases as sklearn: both trivial (all-one-cluster or all-singletons) agree perfectly
  if (rows === cols && (rows === 1 || rows === n || total === 0)) return 1;
  const expected = (sumA * sumB) / total;
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (sumIj - expected) / (max - expected);
};

/**
 * {@link adjustedRandIndex} of two labelings already numbered 0 .. ra − 1 and 0 .. rb − 1 (e.g. renumbered
 * parts), without validation or relabelling maps: the same pair counts, so the same value (the sums are of
 * integers, exact in float64). For callers that compare many partitions of one mesh pairwise. @internal
 */
export const __adjustedRandIndexDense = (a: Uint32Array, ra: number, b: Uint32Array, rb: number): number => {
  const n = a.length, table = new Float64Array(ra * rb);
  for (let k = 0; k < n; k++) table[a[k] * rb + b[k]]++;
  return ariOfTable(table, ra, rb, n);
};
