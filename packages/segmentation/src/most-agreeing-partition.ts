import { InvalidArgumentError } from "@sdfkit/sdf-core";
import { __adjustedRandIndexDense } from "./adjusted-rand-index.js";
import { __renumber } from "./internal/crease-watershed.js";

/** Result of {@link mostAgreeingPartition}. */
export interface PartitionAgreement {
  /** Index of the partition with the highest mean agreement (the first on ties). */
  index: number;
  /** Per partition: its mean adjusted Rand index against all the others (1 when there is only one). */
  agreement: Float64Array;
}

/**
 * The medoid of a set of partitions of the same items under the adjusted Rand index: the partition that
 * agrees best, on average, with all the others (e.g. one mesh segmented with every layer × k of a network,
 * where the partition most (layer, k) pairs reproduce is the one to trust). Ties go to the first.
 *
 * @param partitions - labelings of the same length (any integer labels; each is renumbered internally).
 * @returns the winner's index and every partition's mean ARI.
 * @throws InvalidArgumentError when `partitions` is empty or the labelings differ in length or hold non-integers.
 * @example
 * const { index } = mostAgreeingPartition([a.labels, b.labels, c.labels]);
 */
export const mostAgreeingPartition = (partitions: ArrayLike<number>[]): PartitionAgreement => {
  const fn = "mostAgreeingPartition";
  if (!Array.isArray(partitions) || partitions.length === 0) throw new InvalidArgumentError(fn, "partitions", "a non-empty array of labelings", partitions);
  const n = partitions[0]?.length;
  if (!(n > 0)) throw new InvalidArgumentError(fn, "partitions", "non-empty labelings", n);
  const dense = partitions.map((p, i) => {
    if (p?.length !== n) throw new InvalidArgumentError(fn, "partitions", `labelings of one length (${n})`, `${p?.length} at index ${i}`);
    for (let v = 0; v < n; v++) if (!Number.isInteger(p[v])) throw new InvalidArgumentError(fn, "partitions", "integer labels", `${p[v]} at partition ${i}, item ${v}`);
    return __renumber(p);
  });
  return __mostAgreeing(dense);
};

/** {@link mostAgreeingPartition} over labelings already numbered 0 .. parts − 1 (renumbered), unchecked. @internal */
export const __mostAgreeing = (dense: Uint32Array[]): PartitionAgreement => {
  const m = dense.length, parts = dense.map((l) => l.reduce((a, x) => Math.max(a, x + 1), 0));
  const agreement = new Float64Array(m);
  if (m === 1) agreement[0] = 1;
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) {
      const a = __adjustedRandIndexDense(dense[i], parts[i], dense[j], parts[j]);
      agreement[i] += a / (m - 1);
      agreement[j] += a / (m - 1);
    }
  let index = 0;
  for (let i = 1; i < m; i++) if (agreement[i] > agreement[index]) index = i;
  return { index, agreement };
};
