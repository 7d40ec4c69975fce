import { InvalidArgumentError, createRng } from "@sdfkit/sdf-core";
import { DEFAULT_SELECT_LAYER, selectLayer, type FeatureLayer, type SelectLayerOptions } from "./select-layer.js";

/**
 * Label-free choice of both the feature layer and the number of clusters: {@link selectLayer} for
 * every candidate `k`, and the (layer, k) pair with the highest mean silhouette coefficient wins.
 * `scores[i][j]` is the silhouette of layer j at k = ks[i]. The labels are never consulted.
 */
export const selectFeatures = (layers: FeatureLayer[], ks: number[], opts: Partial<SelectLayerOptions> = {}): { layer: number; k: number; scores: number[][]; labels: Uint32Array } => {
  if (!Array.isArray(ks) || ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 2)) throw new InvalidArgumentError("selectFeatures", "ks", "a non-empty array of integers >= 2", ks);
  const o = { ...DEFAULT_SELECT_LAYER, rng: createRng(0), ...opts };
  let best: { layer: number; k: number; score: number; labels: Uint32Array } = { layer: 0, k: ks[0], score: -Infinity, labels: new Uint32Array(0) };
  const scores: number[][] = [];
  for (const k of ks) {
    const r = selectLayer(layers, k, o);
    scores.push(r.scores);
    if (r.scores[r.layer] > best.score) best = { layer: r.layer, k, score: r.scores[r.layer], labels: r.labels[r.layer] };
  }
  return { layer: best.layer, k: best.k, scores, labels: best.labels };
};
