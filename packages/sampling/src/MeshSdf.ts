import { BufferAttribute, BufferGeometry, DoubleSide, Ray, Vector3 } from "three";
import { MeshBVH, type HitPointInfo } from "three-mesh-bvh";
import type { Mesh, Sdf } from "@sdfkit/sdf-core";
import { assertValidMesh, InvalidArgumentError, MeshError, meshEdges, meshArea } from "@sdfkit/sdf-core";
import { DEFAULT_MESH_SDF, type MeshSdfOptions, type MeshSdfReport, type SignMethod } from "./api.js";
import { WindingTree } from "./internal/winding-tree.js";

const _q = /*@__PURE__*/ new Vector3();
const _hit: HitPointInfo = { point: new Vector3(), distance: 0, faceIndex: 0 };
const _ray = /*@__PURE__*/ new Ray();
const _dirs = [new Vector3(1, 0, 0), new Vector3(0, 1, 0), new Vector3(0, 0, 1)];

/**
 * Exact signed distance to a triangle mesh. Distance: closest point through three-mesh-bvh.
 * Sign: generalised winding number (default; robust for open and imperfect meshes) or ray parity.
 * @example const sdf = new MeshSdf(mesh); const d = sdf.evaluate(points);
 */
export class MeshSdf {
  readonly mesh: Mesh;
  readonly options: MeshSdfOptions;
  readonly report: MeshSdfReport;
  private readonly bvh: MeshBVH;
  private winding?: WindingTree;

  constructor(mesh: Mesh, opts: Partial<MeshSdfOptions> = {}) {
    assertValidMesh("MeshSdf", mesh);
    this.options = { ...DEFAULT_MESH_SDF, ...opts };
    if (!["winding", "parity", "auto"].includes(this.options.sign))
      throw new InvalidArgumentError("MeshSdf", "opts.sign", `"winding", "parity" or "auto"`, this.options.sign);
    const area = meshArea(mesh);
    if (!(area > 0)) throw new MeshError("MeshSdf", "mesh has zero surface area (all triangles degenerate)");
    this.mesh = mesh;
    const geo = new BufferGeometry();
    geo.setAttribute("position", new BufferAttribute(mesh.positions, 3));
    geo.setIndex(new BufferAttribute(mesh.indices, 1));
    this.bvh = new MeshBVH(geo, { targetLeafSize: this.options.maxLeafSize });
    const e = meshEdges(mesh);
    let boundary = 0, nonManifold = 0, boundaryLength = 0;
    const p = mesh.positions;
    for (let k = 0; k < e.edges.length / 2; k++) {
      const n = e.edgeFaceOffsets[k + 1] - e.edgeFaceOffsets[k];
      if (n === 1) {
        boundary++;
        const a = 3 * e.edges[2 * k], b = 3 * e.edges[2 * k + 1];
        boundaryLength += Math.hypot(p[a] - p[b], p[a + 1] - p[b + 1], p[a + 2] - p[b + 2]);
      } else if (n > 2) nonManifold++;
    }
    const watertight = boundary === 0 && nonManifold === 0;
    const signMethod: SignMethod = this.options.sign === "auto" ? (watertight ? "parity" : "winding") : this.options.sign;
    this.report = { triangles: mesh.indices.length / 3, signMethod, boundaryEdges: boundary, nonManifoldEdges: nonManifold, openness: boundaryLength / Math.sqrt(area), watertight };
    if (signMethod === "winding") this.winding = new WindingTree(mesh, { beta: this.options.beta });
  }

  /** Closest surface points (stride 3) and, optionally, their triangle indices. */
  closestPoint(points: Float32Array, out?: Float32Array, faces?: Uint32Array): Float32Array {
    const n = this.__check("closestPoint", points);
    const r = out ?? new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      _q.set(points[3 * i], points[3 * i + 1], points[3 * i + 2]);
      this.bvh.closestPointToPoint(_q, _hit);
      r[3 * i] = _hit.point.x; r[3 * i + 1] = _hit.point.y; r[3 * i + 2] = _hit.point.z;
      if (faces) faces[i] = _hit.faceIndex;
    }
    return r;
  }

  /** Unsigned distance to the surface. */
  distance(points: Float32Array, out?: Float32Array): Float32Array {
    const n = this.__check("distance", points);
    const r = out ?? new Float32Array(n);
    for (let i = 0; i < n; i++) {
      _q.set(points[3 * i], points[3 * i + 1], points[3 * i + 2]);
      this.bvh.closestPointToPoint(_q, _hit);
      r[i] = _hit.distance;
    }
    return r;
  }

  /** Generalised winding number per point (1 inside, 0 outside a closed outward mesh). */
  windingNumber(points: Float32Array, out?: Float32Array, exact = false): Float32Array {
    const n = this.__check("windingNumber", points);
    this.winding ??= new WindingTree(this.mesh, { beta: this.options.beta });
    const r = out ?? new Float32Array(n);
    for (let i = 0; i < n; i++) r[i] = this.winding.winding(points[3 * i], points[3 * i + 1], points[3 * i + 2], exact);
    return r;
  }

  /** Whether each point is inside (1) or not (0), by the configured sign method. */
  inside(points: Float32Array, out?: Uint8Array): Uint8Array {
    const n = this.__check("inside", points);
    const r = out ?? new Uint8Array(n);
    if (this.report.signMethod === "winding") {
      for (let i = 0; i < n; i++) r[i] = this.winding!.winding(points[3 * i], points[3 * i + 1], points[3 * i + 2]) > 0.5 ? 1 : 0;
      return r;
    }
    for (let i = 0; i < n; i++) {
      let votes = 0;
      for (const d of _dirs) {
        _ray.origin.set(points[3 * i], points[3 * i + 1], points[3 * i + 2]);
        _ray.direction.copy(d);
        if (this.bvh.raycast(_ray, DoubleSide).length % 2 === 1) votes++;
      }
      r[i] = votes >= 2 ? 1 : 0;
    }
    return r;
  }

  /** Signed distance (< 0 inside): a batch `Sdf`. */
  readonly evaluate: Sdf = (points: Float32Array, out?: Float32Array): Float32Array => {
    const n = this.__check("evaluate", points);
    const r = this.distance(points, out);
    const ins = this.inside(points);
    for (let i = 0; i < n; i++) if (ins[i]) r[i] = -r[i];
    return r;
  };

  private __check(fn: string, points: unknown): number {
    if (!(points instanceof Float32Array) || points.length % 3 !== 0)
      throw new InvalidArgumentError(`MeshSdf.${fn}`, "points", "a Float32Array of xyz triples", points);
    for (let i = 0; i < points.length; i++)
      if (!Number.isFinite(points[i])) throw new InvalidArgumentError(`MeshSdf.${fn}`, "points", "finite coordinates", `${points[i]} at index ${i}`);
    return points.length / 3;
  }
}
