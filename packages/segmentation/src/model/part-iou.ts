import { InvalidArgumentError, type Aabb, type Sdf } from "@sdfkit/sdf-core";

/** Result of {@link partIou}. */
export interface PartIouReport {
  /** IoU of {x : pred_k(x) < 0} and {x : truth_k(x) < 0} per part. */
  parts: number[];
  /** IoU of the union (min over predicted parts) against the union of the true parts. */
  union: number;
  /** Fraction of grid nodes inside the true union whose argmin part is predicted correctly. */
  ownership: number;
}

/**
 * Volumetric IoU on a `res`³ grid of nodes over `bounds`: per part (predicted part SDF vs its true
 * SDF), of the union (min of predicted parts vs min of true parts), and the interior ownership
 * accuracy (argmin part, predicted vs true, over nodes inside the true union).
 * @param pred - all predicted part SDFs at once: points (xyz, stride 3) → N × parts row-major
 *   (e.g. `PartSdfDecoder.evaluateParts`).
 */
export const partIou = (pred: (points: Float32Array) => Float32Array, truth: Sdf[], opts: { res?: number; bounds?: Aabb } = {}): PartIouReport => {
  if (typeof pred !== "function") throw new InvalidArgumentError("partIou", "pred", "a function points → N × parts values", pred);
  if (!Array.isArray(truth) || truth.length === 0) throw new InvalidArgumentError("partIou", "truth", "a non-empty array of Sdf functions", truth);
  const res = opts.res ?? 64, b = opts.bounds ?? { min: [-1, -1, -1], max: [1, 1, 1] };
  if (!Number.isInteger(res) || res < 2) throw new InvalidArgumentError("partIou", "res", "an integer >= 2", res);
  const P = truth.length, n = res * res * res;
  const pts = new Float32Array(3 * n);
  for (let z = 0, i = 0; z < res; z++)
    for (let y = 0; y < res; y++)
      for (let x = 0; x < res; x++, i++) {
        pts[3 * i] = b.min[0] + ((b.max[0] - b.min[0]) * x) / (res - 1);
        pts[3 * i + 1] = b.min[1] + ((b.max[1] - b.min[1]) * y) / (res - 1);
        pts[3 * i + 2] = b.min[2] + ((b.max[2] - b.min[2]) * z) / (res - 1);
      }
  const pv = pred(pts);
  if (!(pv instanceof Float32Array) || pv.length !== n * P) throw new InvalidArgumentError("partIou", "pred", `to return ${n} × ${P} values`, pv?.length);
  const tv = truth.map((f) => f(pts));
  const inter = new Float64Array(P), uni = new Float64Array(P);
  let ui = 0, uu = 0, inside = 0, owned = 0;
  for (let i = 0; i < n; i++) {
    let pm = Infinity, tm = Infinity, pa = 0, ta = 0;
    for (let k = 0; k < P; k++) {
      const p = pv[i * P + k], t = tv[k][i];
      if (p < 0 && t < 0) inter[k]++;
      if (p < 0 || t < 0) uni[k]++;
      if (p < pm) [pm, pa] = [p, k];
      if (t < tm) [tm, ta] = [t, k];
    }
    if (pm < 0 && tm < 0) ui++;
    if (pm < 0 || tm < 0) uu++;
    if (tm < 0) {
      inside++;
      if (pa === ta) owned++;
    }
  }
  return { parts: Array.from(inter, (x, k) => (uni[k] === 0 ? 1 : x / uni[k])), union: uu === 0 ? 1 : ui / uu, ownership: inside === 0 ? 1 : owned / inside };
};
