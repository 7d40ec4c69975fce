import { InvalidArgumentError, assertValidMesh } from "@sdfkit/sdf-core";
import type { Mesh } from "@sdfkit/sdf-core";
import { DEFAULT_REFINE_PARTS_AT_CREASES, type RefinePartsAtCreasesOptions } from "./api.js";
import { __creaseNormals, __refineAtCreases } from "./internal/crease-watershed.js";
import { weldedAdjacency } from "./internal/welded-adjacency.js";

/**
 * Moves the boundaries between parts of a mesh onto its concave creases. Parts of a union (a baluster on a
 * rail, a handle on a body) meet at concave creases, while parts found from smooth per-vertex features (a
 * decoder's activations) change label somewhere near the crease, a few rings off to either side. Each
 * part is eroded by `band` hops (keeping at least its deeper half) and the freed vertices are flooded
 * back from the remaining cores in order of the concavity of the edge crossed (a watershed on the vertex
 * graph: a vertex goes to the core it reaches over the lowest crease; exact ties — flat or convex surface,
 * concavity 0 — keep its old label, so boundaries there stay where they were). The concavity is not
 * thresholded: a threshold zeroes some edges of a real crease, and one such edge lets the old label leak
 * round a whole junction ring. Labels keep their ids; every connected piece of a part keeps a core.
 *
 * @param mesh - the triangle mesh (its normals are computed from the triangles).
 * @param labels - part per vertex.
 * @returns the refined part per vertex.
 * @throws InvalidArgumentError on a malformed mesh, labels or options.
 * @example
 * const refined = refinePartsAtCreases(mesh, segmentInstances(mesh, feats, dim).labels, { band: 12 });
 */
export const refinePartsAtCreases = (mesh: Mesh, labels: Uint32Array, opts: Partial<RefinePartsAtCreasesOptions> = {}): Uint32Array => {
  const o = { ...DEFAULT_REFINE_PARTS_AT_CREASES, ...opts };
  const fn = "refinePartsAtCreases";
  assertValidMesh(fn, mesh);
  const nv = mesh.positions.length / 3;
  if (!(labels instanceof Uint32Array) || labels.length !== nv) throw new InvalidArgumentError(fn, "labels", `a Uint32Array with one part per vertex (${nv})`, labels?.length);
  if (!Number.isInteger(o.band) || o.band < 0) throw new InvalidArgumentError(fn, "opts.band", "an integer >= 0", o.band);
  if (!(o.mergeBelow >= 0)) throw new InvalidArgumentError(fn, "opts.mergeBelow", "a number >= 0", o.mergeBelow);
  if (!Number.isFinite(o.weldTolerance)) throw new InvalidArgumentError(fn, "opts.weldTolerance", "a finite number", o.weldTolerance);
  if (o.band === 0) return labels.slice();
  return __refineAtCreases(mesh, weldedAdjacency(mesh, o.weldTolerance), __creaseNormals(mesh, o.weldTolerance), labels, o);
};
