import type { Mesh, Sdf } from "@sdfkit/sdf-core";
import { assertValidMesh, computeBounds, InvalidArgumentError, MeshError, meshEdges, triangleAreas } from "@sdfkit/sdf-core";
import { DEFAULT_MESH_SDF, type MeshSdfOptions, type MeshSdfReport, type SignMethod } from "./api.js";
import { buildBvh, closestDist2, pointTriangleDist2, rayCrossings, windingNumber, _closest, type FlatBvh } from "./internal/bvh.js";

// three generic directions for the parity vote (axis-aligned rays hit mesh edges on CAD parts)
const RAYS: [number, number, number][] = [
  [0.5773, 0.5774, 0.5775],
  [-0.6412, 0.3211, -0.6969],
  [0.2137, -0.9012, 0.3771],
];

/**
 * Exact signed distance to a triangle mesh, over a flat typed-array BVH that also carries the
 * per-node dipoles of the fast generalised winding number (Barill et al. 2018). Sign: winding
 * number > 0.5 (default; robust for open and imperfect meshes) or a 3-ray parity vote. Measured
 * 2.5–3× faster than three-mesh-bvh's closest point on fandisk and the bunny (BENCHMARKS.md).
 * @example const sdf = new MeshSdf(mesh); const d = sdf.evaluate(points);
 */
export class MeshSdf {
  readonly mesh: Mesh;
  readonly options: MeshSdfOptions;
  readonly report: MeshSdfReport;
  /** @internal */
  readonly bvh: FlatBvh;
  private readonly hit = new Int32Array(1);

  constructor(mesh: Mesh, opts: Partial<MeshSdfOptions> = {}) {
    this.options = { ...DEFAULT_MESH_SDF, ...opts };
    if (!["winding", "parity", "auto"].includes(this.options.sign))
      throw new InvalidArgumentError("MeshSdf", "opts.sign", `"winding", "parity" or "auto"`, this.options.sign);
    if (!(this.options.beta >= 0)) throw new InvalidArgumentError("MeshSdf", "opts.beta", "a number >= 0", this.options.beta);
    assertValidMesh("MeshSdf", mesh);
    const nt = mesh.indices.length / 3;
    const areas = triangleAreas(mesh);
    const keep = new Uint8Array(nt);
    let degenerate = 0, area = 0;
    for (let t = 0; t < nt; t++) {
      if (areas[t] > 0) keep[t] = 1;
      else degenerate++;
      area += areas[t];
    }
    if (degenerate === nt) throw new MeshError("MeshSdf", `mesh has zero surface area (all ${nt} triangles degenerate)`);
    const b = computeBounds(mesh);
    const ext = [b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]];
    if (Math.min(...ext) <= 1e-9 * Math.max(...ext)) throw new MeshError("MeshSdf", `mesh has zero volume (bounding-box extents ${ext.join(", ")})`);
    this.mesh = mesh;
    const e = meshEdges(mesh);
    let boundary = 0, nonManifold = 0, boundaryLength = 0;
    const p = mesh.positions;
    for (let k = 0; k < e.edges.length / 2; k++) {
      const n = e.edgeFaceOffsets[k + 1] - e.edgeFaceOffsets[k];
      if (n === 1) {
        boundary++;
        const a = 3 * e.edges[2 * k], c = 3 * e.edges[2 * k + 1];
        boundaryLength += Math.hypot(p[a] - p[c], p[a + 1] - p[c + 1], p[a + 2] - p[c + 2]);
      } else if (n > 2) nonManifold++;
    }
    const watertight = boundary === 0 && nonManifold === 0;
    const signMethod: SignMethod = this.options.sign === "auto" ? (watertight ? "parity" : "winding") : this.options.sign;
    this.report = { triangles: nt, degenerateTriangles: degenerate, signMethod, boundaryEdges: boundary, nonManifoldEdges: nonManifold, openness: boundaryLength / Math.sqrt(area), watertight };
    this.bvh = buildBvh(p, mesh.indices, keep);
  }

  /** Closest surface points (stride 3) and, optionally, their triangle indices. */
  closestPoint(points: Float32Array, out?: Float32Array, faces?: Uint32Array): Float32Array {
    const n = this.__check("closestPoint", points);
    const r = out ?? new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      const x = points[3 * i], y = points[3 * i + 1], z = points[3 * i + 2];
      closestDist2(this.bvh, x, y, z, this.hit);
      pointTriangleDist2(this.bvh.tri, 9 * this.hit[0], x, y, z);
      r[3 * i] = _closest[0]; r[3 * i + 1] = _closest[1]; r[3 * i + 2] = _closest[2];
      if (faces) faces[i] = this.bvh.order[this.hit[0]];
    }
    return r;
  }

  /** Unsigned distance to the surface; `faces` (optional) receives the closest triangle id. */
  distance(points: Float32Array, out?: Float32Array, faces?: Uint32Array): Float32Array {
    const n = this.__check("distance", points);
    const r = out ?? new Float32Array(n);
    for (let i = 0; i < n; i++) {
      r[i] = Math.sqrt(closestDist2(this.bvh, points[3 * i], points[3 * i + 1], points[3 * i + 2], this.hit));
      if (faces) faces[i] = this.bvh.order[this.hit[0]];
    }
    return r;
  }

  /** Generalised winding number per point (1 inside, 0 outside a closed outward mesh); `exact` sums every triangle. */
  windingNumber(points: Float32Array, out?: Float32Array, exact = false): Float32Array {
    const n = this.__check("windingNumber", points);
    const r = out ?? new Float32Array(n);
    const beta = exact ? 0 : this.options.beta;
    for (let i = 0; i < n; i++) r[i] = windingNumber(this.bvh, points[3 * i], points[3 * i + 1], points[3 * i + 2], beta);
    return r;
  }

  /** Whether each point is inside (1) or not (0), by the configured sign method. */
  inside(points: Float32Array, out?: Uint8Array): Uint8Array {
    const n = this.__check("inside", points);
    const r = out ?? new Uint8Array(n);
    for (let i = 0; i < n; i++) r[i] = this.__inside(points[3 * i], points[3 * i + 1], points[3 * i + 2]) ? 1 : 0;
    return r;
  }

  /** Signed distance (< 0 inside): a batch `Sdf`. */
  readonly evaluate: Sdf = (points: Float32Array, out?: Float32Array): Float32Array => {
    const n = this.__check("evaluate", points);
    const r = out ?? new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const x = points[3 * i], y = points[3 * i + 1], z = points[3 * i + 2];
      const d = Math.sqrt(closestDist2(this.bvh, x, y, z, this.hit));
      r[i] = this.__inside(x, y, z) ? -d : d;
    }
    return r;
  };

  private __inside(x: number, y: number, z: number): boolean {
    // |w| so that a mesh oriented inward (w = −1 inside) works too
    if (this.report.signMethod === "winding") return Math.abs(windingNumber(this.bvh, x, y, z, this.options.beta)) > 0.5;
    let votes = 0;
    for (const [dx, dy, dz] of RAYS) votes += rayCrossings(this.bvh, x, y, z, dx, dy, dz) & 1;
    return votes >= 2;
  }

  private __check(fn: string, points: unknown): number {
    if (!(points instanceof Float32Array) || points.length % 3 !== 0)
      throw new InvalidArgumentError(`MeshSdf.${fn}`, "points", "a Float32Array of xyz triples", points);
    for (let i = 0; i < points.length; i++)
      if (!Number.isFinite(points[i])) throw new InvalidArgumentError(`MeshSdf.${fn}`, "points", "finite coordinates", `${points[i]} at index ${i}`);
    return points.length / 3;
  }
}
