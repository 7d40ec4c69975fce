import { createRng, InvalidArgumentError, type Mesh, type Rng } from "@sdfkit/sdf-core";
import { DEFAULT_SEGMENT_INSTANCES, type InstanceSegmentation, type SegmentInstancesOptions } from "./api.js";
import { probeActivations, type LayerForward } from "./probe-activations.js";
import { segmentInstances } from "./segment-instances.js";
import { selectLayer, type FeatureLayer } from "./select-layer.js";

/** Options of {@link segmentMeshByActivations}: {@link segmentInstances}' options plus the layer choice. */
export interface SegmentMeshByActivationsOptions extends SegmentInstancesOptions {
  /** Vertices (a fixed stride through the mesh, no randomness) whose activations choose the layer. @defaultValue 3000 */
  selectionPoints: number;
  /** Random source of the label-free layer choice (k-means + silhouette per layer). @defaultValue createRng(1) */
  selectRng: Rng;
  /** Points per forward call. @defaultValue 4096 */
  batchSize: number;
  /** Label-free layer choice (see `selectLayer`): `consensus` = the layer whose types agree best with the other layers' (≥ 3 layers), `silhouette` = best mean silhouette. @defaultValue "consensus" */
  criterion: "silhouette" | "consensus";
}

/** Default {@link SegmentMeshByActivationsOptions}. */
export const DEFAULT_SEGMENT_MESH_BY_ACTIVATIONS: SegmentMeshByActivationsOptions = { ...DEFAULT_SEGMENT_INSTANCES, selectionPoints: 3000, selectRng: createRng(1), batchSize: 4096, criterion: "consensus" };

/** Result of {@link segmentMeshByActivations}. */
export interface ActivationSegmentation extends InstanceSegmentation {
  /** The hidden layer whose activations were segmented (chosen without labels). */
  layer: number;
  /** Mean silhouette of each layer's k-means clustering. */
  scores: number[];
  /** Mean ARI of each layer's clustering against the other layers' (the consensus score). */
  agreement: number[];
  /** The chosen layer's activations at every vertex (vertices × dim). */
  features: FeatureLayer;
}

/**
 * Instance segmentation of a mesh from a network's activations (e.g. a trained decoder with its latent
 * code, whose mesh this is): every hidden layer's activations at a fixed subset of vertices are clustered
 * into `types` with k-means and one layer is chosen without labels (by default the consensus layer: its
 * types agree best with the other layers'; or the best mean silhouette), then that
 * layer's activations at every vertex go through {@link segmentInstances} (k-means types → connected
 * components → small components merged).
 */
export const segmentMeshByActivations = async (forward: LayerForward, mesh: Mesh, opts: Partial<SegmentMeshByActivationsOptions> = {}): Promise<ActivationSegmentation> => {
  const o = { ...DEFAULT_SEGMENT_MESH_BY_ACTIVATIONS, rng: createRng(0), selectRng: createRng(1), ...opts }; // fresh default rngs per call
  if (typeof forward !== "function") throw new InvalidArgumentError("segmentMeshByActivations", "forward", "a function (points, count) => Float32Array[]", forward);
  if (!(mesh?.positions instanceof Float32Array) || mesh.positions.length < 9 || mesh.positions.length % 3 !== 0)
    throw new InvalidArgumentError("segmentMeshByActivations", "mesh", "a mesh with at least 3 vertices", mesh?.positions?.length);
  if (!Number.isInteger(o.selectionPoints) || o.selectionPoints < 3) throw new InvalidArgumentError("segmentMeshByActivations", "selectionPoints", "an integer >= 3", o.selectionPoints);
  if (!Number.isInteger(o.types) || o.types < 2) throw new InvalidArgumentError("segmentMeshByActivations", "types", "an integer >= 2", o.types);
  const n = mesh.positions.length / 3, m = Math.min(n, o.selectionPoints);
  if (o.types >= m) throw new InvalidArgumentError("segmentMeshByActivations", "types", `fewer than the ${m} selection vertices`, o.types);
  const sub = new Float32Array(3 * m);
  for (let i = 0; i < m; i++) {
    const v = (i * 7919) % n; // a prime stride: spread over the vertex order, no randomness
    sub.set(mesh.positions.subarray(3 * v, 3 * v + 3), 3 * i);
  }
  const candidates = await probeActivations(forward, sub, { batchSize: o.batchSize });
  const sel = selectLayer(candidates, o.types, { rng: o.selectRng, criterion: o.criterion });
  const [features] = await probeActivations(forward, mesh.positions, { batchSize: o.batchSize, layers: [sel.layer] });
  const seg = segmentInstances(mesh, features.data, features.dim, o);
  return { ...seg, layer: sel.layer, scores: sel.scores, agreement: sel.agreement, features };
};
