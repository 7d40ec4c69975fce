import { contingency } from "./adjusted-rand-index.js";

/**
 * Minimum-cost assignment of a rows × cols cost matrix (rows <= cols), Hungarian algorithm with
 * potentials, O(rows² · cols). Returns the column assigned to each row.
 */
export const hungarian = (cost: Float64Array, rows: number, cols: number): Int32Array => {
  if (rows > cols) {
    // solve the transpose and invert
    const t = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = cost[i * cols + j];
    const colOfRowT = hungarian(t, cols, rows);
    const out = new Int32Array(rows).fill(-1);
    for (let j = 0; j < cols; j++) out[colOfRowT[j]] = j;
    return out;
  }
  const u = new Float64Array(rows + 1), v = new Float64Array(cols + 1);
  const p = new Int32Array(cols + 1), way = new Int32Array(cols + 1);
  const minv = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity, j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * cols + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const out = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (p[j] > 0) out[p[j] - 1] = j - 1;
  return out;
};

/**
 * Accuracy of `pred` against `truth` under the best one-to-one mapping of predicted clusters to
 * true labels (Hungarian assignment on the contingency table). Unmatched clusters count as wrong.
 */
export const bestPermutationAccuracy = (truth: ArrayLike<number>, pred: ArrayLike<number>): number => {
  const { table, rows, cols, n } = contingency("bestPermutationAccuracy", truth, pred);
  const cost = new Float64Array(rows * cols);
  for (let i = 0; i < table.length; i++) cost[i] = -table[i];
  const match = hungarian(cost, rows, cols);
  let hit = 0;
  for (let i = 0; i < rows; i++) if (match[i] >= 0) hit += table[i * cols + match[i]];
  return hit / n;
};
