import { InvalidArgumentError, createRng } from "@sdfkit/sdf-core";
import type { Rng } from "@sdfkit/sdf-core";
import { adjustedRandIndex } from "./adjusted-rand-index.js";
import { kmeans } from "./kmeans.js";
import { silhouetteScore } from "./silhouette-score.js";
import { standardize } from "./standardize.js";

/** One candidate feature set (e.g. one decoder layer's activations at the probe points). */
export interface FeatureLayer {
  /** n × dim, row-major. */
  data: Float32Array;
  dim: number;
}

/** Options of {@link selectLayer}. */
export interface SelectLayerOptions {
  /** Seeded random source (k-means, silhouette subsample). @defaultValue createRng(0) */
  rng: Rng;
  /** k-means restarts per layer. @defaultValue 4 */
  restarts: number;
  /** Points scored by the silhouette (seeded subset; all when n is smaller). @defaultValue 1000 */
  sampleSize: number;
  /**
   * `silhouette`: the layer whose k-means clustering has the best mean silhouette. `consensus`: the layer
   * whose clustering agrees best (mean ARI) with the other layers' clusterings — the structure most layers
   * see; needs ≥ 3 layers (with fewer, silhouette decides). @defaultValue "silhouette"
   */
  criterion: "silhouette" | "consensus";
}

/** Default {@link SelectLayerOptions}. */
export const DEFAULT_SELECT_LAYER: SelectLayerOptions = { rng: createRng(0), restarts: 4, sampleSize: 1000, criterion: "silhouette" };

/**
 * Label-free layer choice: standardise each layer, cluster it into `k` with k-means, score the
 * clustering by its mean silhouette coefficient (and, with `criterion: "consensus"`, by its mean ARI
 * against the other layers' clusterings), and return the best layer with every clustering. The labels
 * are never consulted, so the choice is fair to report next to ARI.
 */
export const selectLayer = (layers: FeatureLayer[], k: number, opts: Partial<SelectLayerOptions> = {}): { layer: number; scores: number[]; agreement: number[]; labels: Uint32Array[] } => {
  const o = { ...DEFAULT_SELECT_LAYER, rng: createRng(0), ...opts }; // a fresh default rng per call: results never depend on call history
  if (!Array.isArray(layers) || layers.length === 0) throw new InvalidArgumentError("selectLayer", "layers", "a non-empty array of { data, dim }", layers);
  const n = layers[0].data.length / layers[0].dim;
  layers.forEach((l, i) => {
    if (!(l.data instanceof Float32Array) || !Number.isInteger(l.dim) || l.dim < 1 || l.data.length !== n * l.dim)
      throw new InvalidArgumentError("selectLayer", `layers[${i}]`, `{ data: Float32Array of ${n} × dim, dim }`, l);
  });
  if (!Number.isInteger(k) || k < 2 || k >= n) throw new InvalidArgumentError("selectLayer", "k", `an integer in [2, ${n - 1}]`, k);
  if (o.criterion !== "silhouette" && o.criterion !== "consensus") throw new InvalidArgumentError("selectLayer", "criterion", "silhouette or consensus", o.criterion);
  const scores: number[] = [], labels: Uint32Array[] = [];
  for (const l of layers) {
    const z = standardize(l.data, l.dim).data;
    const km = kmeans(z, l.dim, k, { rng: o.rng, restarts: o.restarts });
    labels.push(km.labels);
    const distinct = new Set(km.labels).size;
    scores.push(distinct < 2 ? -1 : silhouetteScore(z, l.dim, km.labels, { sampleSize: o.sampleSize, rng: o.rng }));
  }
  const agreement = labels.map((a, i) => (labels.length < 2 ? 0 : labels.reduce((sum, b, j) => (j === i ? sum : sum + adjustedRandIndex(a, b)), 0) / (labels.length - 1)));
  const by = o.criterion === "consensus" && layers.length >= 3 ? agreement : scores;
  let layer = 0;
  for (let i = 1; i < by.length; i++) if (by[i] > by[layer]) layer = i;
  return { layer, scores, agreement, labels };
};
