import type { Rng } from "@sdfkit/sdf-core";
import { createRng } from "@sdfkit/sdf-core";

/** Options of {@link kmeans}. */
export interface KMeansOptions {
  /** Seeded random source for initialisation. @defaultValue a fresh createRng(0) per call */
  rng: Rng;
  /** Independent runs; the one with the lowest inertia wins. @defaultValue 4 */
  restarts: number;
  /** Lloyd iterations per run. @defaultValue 100 */
  maxIter: number;
  /** Initialisation. @defaultValue "kmeans++" */
  init: "kmeans++" | "random";
  /** Stop when the total squared centroid shift falls to or below `tol` × mean per-dimension variance (sklearn's rule). @defaultValue 1e-4 */
  tol: number;
  /** Initial centroids (k × dim), used for the first run instead of `init`. @defaultValue undefined */
  initialCentroids?: Float32Array;
}

/** Default {@link KMeansOptions}. */
export const DEFAULT_KMEANS: KMeansOptions = { rng: createRng(0), restarts: 4, maxIter: 100, init: "kmeans++", tol: 1e-4 };

/** Result of {@link kmeans}. */
export interface KMeansResult {
  /** Cluster id per point. */
  labels: Uint32Array;
  /** Centroids, k × dim row-major. */
  centroids: Float32Array;
  /** Sum of squared distances of points to their centroid (best run). */
  inertia: number;
  /** Lloyd iterations of the best run. */
  iterations: number;
}

/** Options of {@link segmentInstances}. */
export interface SegmentInstancesOptions {
  /** Number of semantic types for k-means (the rule: min(expected parts, 5)). @defaultValue 5 */
  types: number;
  /** Seeded random source for k-means. @defaultValue createRng(0) */
  rng: Rng;
  /** A component is small when it has fewer than max(minComponentFraction × type size, minComponentSize) vertices. @defaultValue 0.01 */
  minComponentFraction: number;
  /** See `minComponentFraction`. @defaultValue 10 */
  minComponentSize: number;
  /** Standardise features (zero mean, unit variance per dimension) before k-means. @defaultValue true */
  standardize: boolean;
  /** k-means restarts. @defaultValue 4 */
  restarts: number;
  /** Weld coincident vertices (tolerance) before building adjacency; labels still come back per input vertex. 0 = exact duplicates only; negative = do not weld. @defaultValue 0 */
  weldTolerance: number;
  /**
   * Majority-vote smoothing of the semantic types over the vertex graph before the components are
   * built: each pass gives every vertex the most frequent type among itself and its neighbours (ties
   * keep its own). Removes the speckle along noisy type boundaries that otherwise splits parts. @defaultValue 0
   */
  smoothIterations: number;
  /**
   * After the per-type rule, components smaller than `minPartFraction` × the median size of the
   * significant components are merged too (a rule relative to the typical part, independent of type sizes). 0 = off. @defaultValue 0
   */
  minPartFraction: number;
  /**
   * Boundary refinement at concave creases ({@link refinePartsAtCreases}), applied to the final parts: the
   * band (in graph hops) each side of every part boundary inside which vertices are re-assigned. 0 = off. @defaultValue 0
   */
  creaseBand: number;
  /** With `creaseBand`: parts whose shared boundary has a mean concavity below this are joined (`refinePartsAtCreases`' `mergeBelow`). 0 = off. @defaultValue 0 */
  creaseMerge: number;
  /**
   * Fit k-means on at most this many vertices (a fixed prime stride through the vertex order, no randomness)
   * and give every vertex its nearest centroid: the fit's cost no longer grows with the mesh. 0 = fit on all. @defaultValue 0
   */
  kmeansSample: number;
}

/** Options of {@link refinePartsAtCreases}. */
export interface RefinePartsAtCreasesOptions {
  /**
   * Vertices within this many graph hops of their part's boundary are re-assigned (each part keeps at least its
   * deeper half as seeds, so no part vanishes). Wider bands repair boundaries that sit further from the crease. @defaultValue 12
   */
  band: number;
  /**
   * After the watershed, neighbouring parts whose shared boundary has a mean edge concavity below this are joined
   * (a boundary with no crease under it is not a junction; a right-angle junction averages ≈ 0.4). 0 = off. @defaultValue 0
   */
  mergeBelow: number;
  /** Weld coincident vertices (tolerance) for the graph and the normals; negative = do not weld. @defaultValue 0 */
  weldTolerance: number;
}

/** Default {@link RefinePartsAtCreasesOptions}. */
export const DEFAULT_REFINE_PARTS_AT_CREASES: RefinePartsAtCreasesOptions = { band: 12, mergeBelow: 0, weldTolerance: 0 };

/** Default {@link SegmentInstancesOptions}. */
export const DEFAULT_SEGMENT_INSTANCES: SegmentInstancesOptions = {
  types: 5,
  rng: createRng(0),
  minComponentFraction: 0.01,
  minComponentSize: 10,
  standardize: true,
  restarts: 4,
  weldTolerance: 0,
  smoothIterations: 0,
  minPartFraction: 0,
  creaseBand: 0,
  creaseMerge: 0,
  kmeansSample: 0,
};

/** Result of {@link segmentInstances}. */
export interface InstanceSegmentation {
  /** Part id per vertex, 0 .. parts-1 (parts numbered by first vertex). */
  labels: Uint32Array;
  /** Number of parts. */
  parts: number;
  /** Semantic type per vertex (k-means cluster). */
  types: Uint32Array;
  /** Components merged away because they were small. */
  merged: number;
}

/** Options of {@link ActivationClassifier.fit}. */
export interface ClassifierOptions {
  /** "centroid" = nearest centroid in standardised (by default also whitened, see `whiten`) space; "softmax" = linear softmax head trained by full-batch gradient descent. @defaultValue "softmax" */
  kind: "centroid" | "softmax";
  /** Softmax: epochs of mini-batch gradient descent. @defaultValue 200 */
  epochs: number;
  /** Softmax: learning rate. @defaultValue 0.5 */
  learningRate: number;
  /** Softmax: L2 weight decay. @defaultValue 1e-4 */
  weightDecay: number;
  /** Softmax: mini-batch size. @defaultValue 256 */
  batchSize: number;
  /**
   * Centroid: prototypes per class — the class's standardised points (at most 1,000 of them, an even stride
   * through the class) clustered by seeded k-means (`rng`, 4 restarts) into min(prototypes, that many) centroids; a point takes the class of its nearest prototype. A class
   * spread over several places of feature space (a long rail whose activations change along its length) is then
   * covered by several means instead of one mean between them. 1 = the plain class mean. @defaultValue 1
   */
  prototypes: number;
  /**
   * Centroid: measure distances in the space whitened by the pooled within-class covariance of the standardised
   * features (the Mahalanobis distance to each class mean — linear discriminant analysis' rule with equal priors), so
   * directions in which every class varies a lot (a rail's activations changing along its length) count less than the
   * few in which the classes differ. The covariance is shrunk toward its mean variance by `shrinkage`. false = Euclidean
   * distance in the standardised space (the rule before 2026-12-07). @defaultValue true
   */
  whiten: boolean;
  /** Centroid with `whiten`: covariance shrinkage α in [0, 1], Σ ← (1 − α) Σ + α · (trace Σ / dim) · I (keeps it invertible when units are dead or redundant). @defaultValue 0.01 */
  shrinkage: number;
  /** Seeded random source (weight init, batch order, prototypes' k-means). @defaultValue createRng(0) */
  rng: Rng;
}

/** Default {@link ClassifierOptions}. */
export const DEFAULT_CLASSIFIER: ClassifierOptions = { kind: "softmax", epochs: 200, learningRate: 0.5, weightDecay: 1e-4, batchSize: 256, prototypes: 1, whiten: true, shrinkage: 0.01, rng: createRng(0) };

/** Options of {@link segmentSurfacePoints}. */
export interface SegmentSurfacePointsOptions {
  /** Neighbours per point in the k-nearest-neighbour graph (the graph is their symmetric union). @defaultValue 10 */
  neighbors: number;
  /**
   * Concavity scale σ of the crease term exp(−(c/σ)²); c is the normal change along the edge per unit
   * length of the edge direction (≈ the sine of the bend between the two points, 0 on convex or flat pairs).
   * Smaller cuts at gentler creases. @defaultValue 0.1
   */
  creaseScale: number;
  /** Optional per-point features (n × dim, e.g. a decoder layer's activations) multiplied into the affinity. @defaultValue undefined */
  features?: { data: Float32Array; dim: number };
  /** Standardise `features` per dimension first. @defaultValue true */
  standardizeFeatures: boolean;
  /** Floor of every edge weight (keeps the graph connected across sharp creases). @defaultValue 1e-4 */
  minWeight: number;
  /** Eigenpairs computed (≥ k + 1; more gives a longer spectrum for {@link SurfacePointSegmentation.pieces}; 0 = k + 1). @defaultValue 0 */
  spectrumSize: number;
  /** Largest Lanczos basis. @defaultValue 400 */
  maxLanczos: number;
  /** Eigenpair residual ‖Mv − μv‖ at which Lanczos stops. @defaultValue 1e-4 */
  tolerance: number;
  /** k-means restarts on the spectral embedding. @defaultValue 10 */
  restarts: number;
  /**
   * Largest graph: with more points, the graph and its spectrum are built on a seeded uniform subset of this
   * many (landmarks) and every other point takes the majority part of its 5 nearest landmarks (the
   * eigen-solver's cost grows with n × basis², so this bounds the time). @defaultValue 2500
   */
  maxGraphPoints: number;
  /** Seeded random source (landmarks, Lanczos start vector, k-means). @defaultValue a fresh createRng(0) per call */
  rng: Rng;
}

/** Default {@link SegmentSurfacePointsOptions}. */
export const DEFAULT_SEGMENT_SURFACE_POINTS: SegmentSurfacePointsOptions = {
  neighbors: 10,
  creaseScale: 0.1,
  standardizeFeatures: true,
  minWeight: 1e-4,
  spectrumSize: 0,
  maxLanczos: 400,
  tolerance: 1e-4,
  restarts: 10,
  maxGraphPoints: 2500,
  rng: createRng(0),
};

/** Result of {@link segmentSurfacePoints}. */
export interface SurfacePointSegmentation {
  /** Part per point, 0 .. k − 1. */
  labels: Uint32Array;
  /** Smallest normalised-Laplacian eigenvalues, ascending (the first is 0). */
  eigenvalues: Float64Array;
  /** Eigengap estimate of how many weakly joined pieces the graph has (≥ k; meaningful with `spectrumSize` > k + 1). */
  pieces: number;
  /** Normalised cut Σ cut(part)/vol(part) of the labels on the weighted graph (lower = cleaner cut). */
  normalizedCut: number;
  /** Lanczos basis size used. */
  lanczosIterations: number;
  /** Largest eigenpair residual ‖Mv − μv‖ (convergence check). */
  maxResidual: number;
}
