import type { Mesh, Rng } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { __checkNumber, __checkPoints } from "./internal/validate.js";
import { KdTree } from "./KdTree.js";
import { createRng } from "./rng.js";
import { sampleSurface } from "./sample-surface.js";

/** Options of {@link chamferDistance}. */
export interface ChamferDistanceOptions {
  /** Surface samples per mesh (DeepSDF: 30,000). @defaultValue 30000 */
  samples: number;
  /** Generator for the surface samples. @defaultValue createRng(0) at each call */
  rng?: Rng;
}

/** Defaults of {@link chamferDistance}. */
export const DEFAULT_CHAMFER_DISTANCE: ChamferDistanceOptions = { samples: 30000 };

/** Chamfer result: the sum and its two directed terms (mean squared nearest-neighbour distances). */
export interface ChamferResult {
  /** `aToB + bToA` (DeepSDF reports this × 1000). */
  chamfer: number;
  /** mean over a's points of the squared distance to the nearest point of b. */
  aToB: number;
  /** mean over b's points of the squared distance to the nearest point of a. */
  bToA: number;
}

/**
 * Symmetric Chamfer distance between two point clouds (xyz stride 3), as DeepSDF's
 * `compute_trimesh_chamfer`: `mean(d²(a→b)) + mean(d²(b→a))`, exact nearest neighbours through a
 * {@link KdTree} on each side.
 * @throws InvalidArgumentError on empty or malformed point arrays.
 */
export const chamferDistancePoints = (a: Float32Array, b: Float32Array): ChamferResult => {
  __checkPoints("chamferDistancePoints", a, "a");
  __checkPoints("chamferDistancePoints", b, "b");
  if (a.length === 0 || b.length === 0) throw new InvalidArgumentError("chamferDistancePoints", a.length === 0 ? "a" : "b", "at least one point", "length 0");
  const aToB = new KdTree(b).meanSquaredDistance(a);
  const bToA = new KdTree(a).meanSquaredDistance(b);
  return { chamfer: aToB + bToA, aToB, bToA };
};

/**
 * Chamfer distance between two meshes as DeepSDF evaluates reconstructions: `samples`
 * area-weighted surface points on each mesh ({@link sampleSurface}, seeded), then
 * {@link chamferDistancePoints}. Deterministic for a given rng state.
 * @example chamferDistance(gt, reconstruction).chamfer * 1000 // DeepSDF's reported unit
 */
export const chamferDistance = (a: Mesh, b: Mesh, opts: Partial<ChamferDistanceOptions> = {}): ChamferResult => {
  const o = { ...DEFAULT_CHAMFER_DISTANCE, ...opts };
  const n = __checkNumber("chamferDistance", "opts.samples", o.samples, { integer: true, min: 1 });
  const rng = o.rng ?? createRng(0);
  const pa = sampleSurface(a, n, { rng }).points;
  const pb = sampleSurface(b, n, { rng }).points;
  return chamferDistancePoints(pa, pb);
};
