import { createRng, InvalidArgumentError, type Mesh, type Rng } from "@sdfkit/sdf-core";
import { DEFAULT_REFINE_PARTS_AT_CREASES, DEFAULT_SEGMENT_INSTANCES, type InstanceSegmentation, type SegmentInstancesOptions } from "./api.js";
import { __creaseNormals, __refineAtCreases, __renumber } from "./internal/crease-watershed.js";
import { probeActivations, type LayerForward } from "./probe-activations.js";
import { __segmentInstances } from "./segment-instances.js";
import { standardize } from "./standardize.js";
import { __mostAgreeing } from "./most-agreeing-partition.js";
import { weldedAdjacency } from "./internal/welded-adjacency.js";
import { selectFeatures } from "./select-features.js";
import { selectLayer, type FeatureLayer } from "./select-layer.js";

/** Label-free layer choices of {@link segmentMeshByActivations}. */
export type LayerCriterion = "agreement" | "cut" | "consensus" | "silhouette";

/** Options of {@link segmentMeshByActivations}: {@link segmentInstances}' options plus the type count and the layer choice. */
export interface SegmentMeshByActivationsOptions extends Omit<SegmentInstancesOptions, "types"> {
  /** Semantic types for k-means, or `"auto"`: the k in `candidateTypes` with the best mean silhouette on the subset (over every layer). @defaultValue 5 */
  types: number | "auto";
  /** The k tried by `types: "auto"`. @defaultValue [2, 3, 4, 5] */
  candidateTypes: number[];
  /** Vertices (a fixed stride through the mesh, no randomness) whose activations choose the layer (and k). @defaultValue 3000 */
  selectionPoints: number;
  /** Random source of the label-free choices (k-means + silhouette per layer). @defaultValue createRng(1) */
  selectRng: Rng;
  /** Points per forward call. @defaultValue 4096 */
  batchSize: number;
  /**
   * Label-free layer choice. `cut` (default): segment the mesh with every layer and keep the one whose parts
   * (at least `types` of them) are separated by the fewest mesh edges — the layer whose parts follow the
   * surface's own structure (one full segmentation per layer). `consensus`: the layer whose k-means types on
   * the subset agree best (mean ARI) with the other layers' (≥ 3 layers; cheap). `silhouette`: best mean
   * silhouette on the subset (cheap). `agreement`: segment the mesh with every layer at every candidate k
   * (`types: "auto"`: all of `candidateTypes`), refine each at the creases (`creaseBand`), and keep the
   * segmentation that agrees best (mean ARI) with all the others — the partition most (layer, k) pairs
   * reproduce (layers × k full segmentations; use `kmeansSample` to keep each cheap). @defaultValue "cut"
   */
  criterion: LayerCriterion;
  /**
   * Where the network is evaluated, one xyz per mesh vertex: the mesh's positions in the network's frame
   * when the mesh is stored in other units (e.g. the unit-sphere normalised positions of a mesh the decoder
   * was trained on). @defaultValue mesh.positions
   */
  points?: Float32Array;
  /**
   * Boundary refinement of the chosen segmentation ({@link refinePartsAtCreases}): vertices within this many
   * graph hops of a part boundary are re-assigned by a watershed over the mesh's concave creases, so the
   * boundaries sit on the junctions instead of where the smooth activations happen to change type. Applied
   * after the layer choice (the choice reads the activations' own boundaries). 0 = off. @defaultValue 12
   */
  creaseBand: number;
  /** Progress: called after the subset's activations (`"select"`) and after each layer's full segmentation (`"segment"`). */
  onProgress?: (e: SegmentMeshProgress) => void;
}

/** A progress event of {@link segmentMeshByActivations}: `done` of `total` steps (1 selection step + one per layer segmented). */
export interface SegmentMeshProgress {
  stage: "select" | "segment";
  /** The layer just segmented (stage "segment"). */
  layer?: number;
  done: number;
  total: number;
}

/** Default {@link SegmentMeshByActivationsOptions}. */
export const DEFAULT_SEGMENT_MESH_BY_ACTIVATIONS: SegmentMeshByActivationsOptions = {
  ...DEFAULT_SEGMENT_INSTANCES,
  candidateTypes: [2, 3, 4, 5],
  selectionPoints: 3000,
  selectRng: createRng(1),
  batchSize: 4096,
  criterion: "cut",
  creaseBand: 12,
};

/** Result of {@link segmentMeshByActivations}. */
export interface ActivationSegmentation extends InstanceSegmentation {
  /** The hidden layer whose activations were segmented (chosen without labels). */
  layer: number;
  /** The number of semantic types used (the given `types`, or the one `"auto"` chose). */
  k: number;
  /** Mean silhouette of each layer's k-means clustering into k types on the subset. */
  scores: number[];
  /** Mean ARI of each layer's clustering against the other layers' (the consensus score). */
  agreement: number[];
  /** `cut` only: per layer, the fraction of mesh edges between different parts (Infinity: fewer than k parts); empty otherwise. */
  cut: number[];
  /** The chosen layer's activations at every vertex (vertices × dim). */
  features: FeatureLayer;
  /**
   * `agreement` only: every (layer, k) segmentation with its part count, its mean ARI against the others, its
   * labels before the crease refinement (`unrefined`, renumbered parts) and after it (`labels`, the partition that
   * was voted on) — enough to re-run the vote with other refinement settings ({@link mostAgreeingPartition});
   * empty otherwise.
   */
  candidates: { layer: number; k: number; parts: number; agreement: number; unrefined: Uint32Array; labels: Uint32Array }[];
}

/** A generator at the same point of its stream as `r` (r itself does not advance). */
const copyRng = (r: Rng): Rng => {
  const c = createRng(0);
  c.setState(r.getState());
  return c;
};

/** Fraction of the graph's edges whose two ends carry different labels. */
const cutFraction = (adj: { offsets: Uint32Array; items: Uint32Array }, labels: Uint32Array): number => {
  let cut = 0;
  for (let v = 0; v < labels.length; v++) for (let e = adj.offsets[v]; e < adj.offsets[v + 1]; e++) if (labels[v] !== labels[adj.items[e]]) cut++;
  return cut / Math.max(1, adj.offsets[labels.length]);
};

/**
 * Instance segmentation of a mesh from a network's activations (e.g. a trained decoder with its latent
 * code, whose mesh this is), with no labels anywhere: every hidden layer's activations at a fixed subset of
 * vertices are clustered with k-means (k given, or chosen by silhouette with `types: "auto"`); one layer
 * is chosen (by default `cut`: the layer whose whole segmentation cuts the fewest mesh edges; or
 * `consensus` / `silhouette` on the subset); that layer's activations at every vertex go through
 * {@link segmentInstances} (k-means types → smoothing → connected components → small components merged).
 * Activations of all vertices are computed one layer at a time, so memory stays at one layer's worth.
 */
export const segmentMeshByActivations = async (forward: LayerForward, mesh: Mesh, opts: Partial<SegmentMeshByActivationsOptions> = {}): Promise<ActivationSegmentation> => {
  const o = { ...DEFAULT_SEGMENT_MESH_BY_ACTIVATIONS, rng: createRng(0), selectRng: createRng(1), ...opts }; // fresh default rngs per call
  const fn = "segmentMeshByActivations";
  if (typeof forward !== "function") throw new InvalidArgumentError(fn, "forward", "a function (points, count) => Float32Array[]", forward);
  if (!(mesh?.positions instanceof Float32Array) || mesh.positions.length < 9 || mesh.positions.length % 3 !== 0)
    throw new InvalidArgumentError(fn, "mesh", "a mesh with at least 3 vertices", mesh?.positions?.length);
  const points = o.points ?? mesh.positions;
  if (!(points instanceof Float32Array) || points.length !== mesh.positions.length) throw new InvalidArgumentError(fn, "points", `a Float32Array with one xyz per vertex (${mesh.positions.length} numbers)`, points?.length);
  if (!Number.isInteger(o.selectionPoints) || o.selectionPoints < 3) throw new InvalidArgumentError(fn, "selectionPoints", "an integer >= 3", o.selectionPoints);
  if (o.types !== "auto" && (!Number.isInteger(o.types) || o.types < 2)) throw new InvalidArgumentError(fn, "types", 'an integer >= 2 or "auto"', o.types);
  if (!Number.isInteger(o.creaseBand) || o.creaseBand < 0) throw new InvalidArgumentError(fn, "creaseBand", "an integer >= 0", o.creaseBand);
  if (!["agreement", "cut", "consensus", "silhouette"].includes(o.criterion)) throw new InvalidArgumentError(fn, "criterion", "agreement, cut, consensus or silhouette", o.criterion);
  const n = mesh.positions.length / 3, m = Math.min(n, o.selectionPoints);
  const ks = o.types === "auto" ? o.candidateTypes : [o.types];
  if (!Array.isArray(ks) || ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 2 || k >= m))
    throw new InvalidArgumentError(fn, o.types === "auto" ? "candidateTypes" : "types", `integers in [2, ${m - 1}] (fewer than the selection vertices)`, o.types === "auto" ? ks : o.types);
  const sub = new Float32Array(3 * m);
  for (let i = 0; i < m; i++) {
    const v = (i * 7919) % n; // a prime stride: spread over the vertex order, no randomness
    sub.set(points.subarray(3 * v, 3 * v + 3), 3 * i);
  }
  const candidates = await probeActivations(forward, sub, { batchSize: o.batchSize });
  // the graph and normals every refinement reads (the agreement criterion refines each layer × k)
  const adj = weldedAdjacency(mesh, o.weldTolerance);
  const normals = o.creaseBand > 0 ? __creaseNormals(mesh, o.weldTolerance) : new Float32Array(0);
  const refined = (seg: InstanceSegmentation): InstanceSegmentation => {
    if (o.creaseBand === 0) return seg;
    const labels = __renumber(__refineAtCreases(mesh, adj, normals, seg.labels, { ...DEFAULT_REFINE_PARTS_AT_CREASES, band: o.creaseBand, mergeBelow: o.creaseMerge, weldTolerance: o.weldTolerance }));
    return { ...seg, labels, parts: labels.reduce((m, l) => Math.max(m, l + 1), 0) };
  };
  // one layer's features segmented into k types (validated once here, standardised once per layer by the caller)
  if (!(o.minComponentFraction >= 0 && o.minComponentFraction < 1)) throw new InvalidArgumentError(fn, "minComponentFraction", "a number in [0, 1)", o.minComponentFraction);
  if (!(o.minComponentSize >= 0)) throw new InvalidArgumentError(fn, "minComponentSize", "a number >= 0", o.minComponentSize);
  if (!(Number.isInteger(o.smoothIterations) && o.smoothIterations >= 0)) throw new InvalidArgumentError(fn, "smoothIterations", "an integer >= 0", o.smoothIterations);
  if (!(o.minPartFraction >= 0 && o.minPartFraction < 1)) throw new InvalidArgumentError(fn, "minPartFraction", "a number in [0, 1)", o.minPartFraction);
  if (!(o.creaseMerge >= 0)) throw new InvalidArgumentError(fn, "creaseMerge", "a number >= 0", o.creaseMerge);
  if (!Number.isInteger(o.kmeansSample) || o.kmeansSample < 0) throw new InvalidArgumentError(fn, "kmeansSample", "an integer >= 0", o.kmeansSample);
  const prepared = (features: FeatureLayer): Float32Array => (o.standardize ? standardize(features.data, features.dim).data : features.data);
  const segment = (f: Float32Array, dim: number, k: number): InstanceSegmentation => __segmentInstances(mesh, adj, normals, f, dim, { ...o, types: k, creaseBand: 0, rng: copyRng(o.rng) });
  if (o.criterion === "agreement") return agreementChoice(forward, points, candidates, ks, o, prepared, segment, refined);
  const k = ks.length === 1 ? ks[0] : selectFeatures(candidates, ks, { rng: copyRng(o.selectRng) }).k;
  const sel = selectLayer(candidates, k, { rng: o.selectRng, criterion: o.criterion === "consensus" ? "consensus" : "silhouette" });
  const total = 1 + (o.criterion === "cut" ? candidates.length : 1);
  o.onProgress?.({ stage: "select", done: 1, total });
  if (o.criterion !== "cut") {
    const [features] = await probeActivations(forward, points, { batchSize: o.batchSize, layers: [sel.layer] });
    const seg = segment(prepared(features), features.dim, k);
    o.onProgress?.({ stage: "segment", layer: sel.layer, done: 2, total });
    return { ...refined(seg), layer: sel.layer, k, scores: sel.scores, agreement: sel.agreement, cut: [], features, candidates: [] };
  }
  // cut: the whole segmentation per layer (the same k-means seed for each), one layer's activations alive at a time
  const cut: number[] = [];
  let best: { layer: number; seg: InstanceSegmentation; features: FeatureLayer } | null = null;
  for (let l = 0; l < candidates.length; l++) {
    const [features] = await probeActivations(forward, points, { batchSize: o.batchSize, layers: [l] });
    const seg = segment(prepared(features), features.dim, k);
    cut.push(seg.parts < k ? Infinity : cutFraction(adj, seg.labels));
    if (best === null || cut[l] < cut[best.layer]) best = { layer: l, seg, features };
    o.onProgress?.({ stage: "segment", layer: l, done: 2 + l, total });
  }
  if (!best || !Number.isFinite(cut[best.layer])) {
    // no layer gives k parts: fall back to the silhouette layer
    const [features] = await probeActivations(forward, points, { batchSize: o.batchSize, layers: [sel.layer] });
    best = { layer: sel.layer, seg: segment(prepared(features), features.dim, k), features };
  }
  return { ...refined(best.seg), layer: best.layer, k, scores: sel.scores, agreement: sel.agreement, cut, features: best.features, candidates: [] };
};

/**
 * The `agreement` criterion: every (layer, k) segmentation, refined; the medoid by mean ARI wins (first on ties).
 * Each layer is probed and standardised once and segmented at every k; the mesh graph and normals are shared.
 */
const agreementChoice = async (
  forward: LayerForward,
  points: Float32Array,
  sub: FeatureLayer[],
  ks: number[],
  o: SegmentMeshByActivationsOptions & { rng: Rng },
  prepared: (features: FeatureLayer) => Float32Array,
  segment: (f: Float32Array, dim: number, k: number) => InstanceSegmentation,
  refined: (seg: InstanceSegmentation) => InstanceSegmentation,
): Promise<ActivationSegmentation> => {
  const total = 1 + sub.length;
  o.onProgress?.({ stage: "select", done: 1, total });
  const segs: { layer: number; k: number; unrefined: Uint32Array; seg: InstanceSegmentation }[] = [];
  for (let l = 0; l < sub.length; l++) {
    const [features] = await probeActivations(forward, points, { batchSize: o.batchSize, layers: [l] });
    const f = prepared(features);
    for (const k of ks) {
      const raw = segment(f, features.dim, k);
      segs.push({ layer: l, k, unrefined: raw.labels, seg: refined(raw) });
    }
    o.onProgress?.({ stage: "segment", layer: l, done: 2 + l, total });
  }
  const { index: best, agreement: mean } = __mostAgreeing(segs.map((c) => c.seg.labels));
  const { layer, k, seg } = segs[best];
  const [features] = await probeActivations(forward, points, { batchSize: o.batchSize, layers: [layer] });
  const sel = selectLayer(sub, k, { rng: o.selectRng });
  const candidates = segs.map((c, i) => ({ layer: c.layer, k: c.k, parts: c.seg.parts, agreement: mean[i], unrefined: c.unrefined, labels: c.seg.labels }));
  return { ...seg, layer, k, scores: sel.scores, agreement: sel.agreement, cut: [], features, candidates };
};
