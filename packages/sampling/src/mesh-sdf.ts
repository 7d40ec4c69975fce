import type { Sdf } from "@sdfkit/sdf-core";
import { assertValidMesh, meshComponents, meshEdges, computeBounds, MeshError, InvalidArgumentError, type Mesh } from "@sdfkit/sdf-core";
import { DEFAULT_MESH_SDF, type MeshOpenness, type MeshSdfOptions, type SignMethod } from "./api.js";
import { availableParallelism } from "node:os";
import { buildBvh, closestDist2, insideTest, shareBvh, signedRangeBvh, windingNumber, SIGN_PSEUDONORMAL, SIGN_RAYCAST, SIGN_WINDING, type FlatBvh } from "./internal/bvh.js";
import { keptTriangles } from "./internal/kept-triangles.js";
import { pseudonormalsInOrder, surfaceNormals, type SurfaceNormals } from "./internal/pseudonormals.js";
import { countSelfIntersections } from "./internal/self-intersections.js";
import { signedParallel, startWorkers, stopWorkers, takeBvh, type PendingBvh } from "./internal/worker-pool.js";

/**
 * Exact signed distance to a triangle mesh: owns a flat BVH (closest point, ray parity) with
 * per-node dipoles for the hierarchical generalised winding number. Negative inside.
 *
 * @throws MeshError for empty meshes, NaN/Infinity vertices, meshes whose triangles are all
 *   degenerate, and zero-volume (flat) meshes.
 */
export class MeshSdf {
  /** The sign method actually used. */
  readonly signMethod: SignMethod;
  /** How open the mesh is. */
  readonly openness: MeshOpenness;
  readonly options: MeshSdfOptions;
  /** @internal */
  readonly bvh: FlatBvh;
  /** Fraction of triangles whose pseudonormals decide the sign (1 for a clean closed mesh; 0 unless the sign method is "pseudonormal"). */
  readonly pseudonormalCoverage: number = 0;
  private readonly hit = new Int32Array(1);
  private shared?: FlatBvh;

  /**
   * @param mesh - the triangle mesh (vertices by index; weld split vertices first for exact signs).
   * @param opts - sign method and its parameters ({@link DEFAULT_MESH_SDF}).
   * @param pending - internal: a BVH build already handed to a pool worker (see sampleBandsParallel).
   */
  constructor(mesh: Mesh, opts: Partial<MeshSdfOptions> = {}, pending?: PendingBvh) {
    this.options = { ...DEFAULT_MESH_SDF, ...opts };
    if (!["winding", "raycast", "pseudonormal", "auto"].includes(this.options.sign))
      throw new InvalidArgumentError("MeshSdf", "opts.sign", '"winding" | "raycast" | "pseudonormal" | "auto"', this.options.sign);
    if (!(this.options.pseudonormalRange >= 0)) throw new InvalidArgumentError("MeshSdf", "opts.pseudonormalRange", "a number >= 0", this.options.pseudonormalRange);
    if (!(this.options.beta >= 0)) throw new InvalidArgumentError("MeshSdf", "opts.beta", "a number >= 0", this.options.beta);
    assertValidMesh("MeshSdf", mesh);
    const tCount = mesh.indices.length / 3;
    if (tCount === 0) throw new MeshError("MeshSdf", "mesh has no triangles");
    const p = mesh.positions;
    for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i])) throw new MeshError("MeshSdf", `vertex ${Math.floor(i / 3)} has a non-finite coordinate (${p[i]})`);
    const keep = keptTriangles(mesh);
    let degenerate = tCount;
    for (let t = 0; t < tCount; t++) degenerate -= keep[t];
    if (degenerate === tCount) throw new MeshError("MeshSdf", `all ${tCount} triangles are degenerate (zero area)`);
    const b = computeBounds(mesh);
    const ext = [b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]];
    if (Math.min(...ext) <= 1e-9 * Math.max(...ext)) throw new MeshError("MeshSdf", `mesh has zero volume (bounding-box extents ${ext.join(", ")})`);
    const e = meshEdges(mesh);
    let boundary = 0, nonManifold = 0;
    for (let i = 0; i + 1 < e.edgeFaceOffsets.length; i++) {
      const c = e.edgeFaceOffsets[i + 1] - e.edgeFaceOffsets[i];
      if (c === 1) boundary++; else if (c > 2) nonManifold++;
    }
    this.openness = { boundaryEdges: boundary, nonManifoldEdges: nonManifold, degenerateTriangles: degenerate, closed: boundary === 0 && nonManifold === 0 };
    this.signMethod = this.options.sign === "auto" ? "pseudonormal" : this.options.sign;
    const pseudo = this.signMethod === "pseudonormal";
    // everything that needs no BVH first: a worker may be building it meanwhile
    let sn: SurfaceNormals | undefined, labels: Uint32Array | undefined, vol: Float64Array | undefined;
    if (pseudo) {
      sn = surfaceNormals(mesh, e, keep);
      const comp = meshComponents(mesh);
      labels = comp.labels;
      vol = new Float64Array(comp.count);
      const idx = mesh.indices;
      for (let t = 0; t < tCount; t++) {
        const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
        vol[labels[t]] += p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) - p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) + p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
      }
    }
    const built = pending && takeBvh(pending);
    this.bvh = built?.bvh ?? buildBvh(p, mesh.indices, keep);
    if (pseudo) {
      const { pn, clean, defects } = pseudonormalsInOrder(mesh, e, sn!, this.bvh.order);
      // a self-intersecting mesh has sheets buried inside itself whose pseudonormals point "out":
      // leave every sign to the winding number there
      if ((built ? built.selfIntersections : countSelfIntersections(this.bvh, mesh.indices)) > 0) clean.fill(0);
      // a component facing inwards (negative signed volume) is left to the winding number too
      const order = this.bvh.order;
      for (let i = 0; i < order.length; i++) if (!(vol![labels![order[i]]] > 0)) clean[i] = 0;
      this.bvh.pn = pn;
      this.bvh.clean = clean;
      // a closed, clean surface: pseudonormals are exact everywhere; otherwise only near clean surface
      this.bvh.pnMaxDist = defects === 0 ? Infinity : this.options.pseudonormalRange * Math.hypot(ext[0], ext[1], ext[2]);
      let c = 0;
      for (let i = 0; i < clean.length; i++) c += clean[i];
      this.pseudonormalCoverage = clean.length ? c / clean.length : 0;
    }
  }

  /** Unsigned distance of each xyz point; `faces` (optional) receives the closest triangle id. */
  distance(points: Float32Array, out?: Float32Array, faces?: Uint32Array): Float32Array {
    const n = this.check("distance", points, out);
    const res = out ?? new Float32Array(n);
    for (let i = 0; i < n; i++) {
      res[i] = Math.sqrt(closestDist2(this.bvh, points[i * 3], points[i * 3 + 1], points[i * 3 + 2], this.hit));
      if (faces) faces[i] = this.bvh.order[this.hit[0]];
    }
    return res;
  }

  /** Generalised winding number of each point (≈1 inside, ≈0 outside); `exact` sums every triangle. */
  winding(points: Float32Array, exact = false, out?: Float32Array): Float32Array {
    const n = this.check("winding", points, out);
    const res = out ?? new Float32Array(n);
    const beta = exact ? 0 : this.options.beta;
    for (let i = 0; i < n; i++) res[i] = windingNumber(this.bvh, points[i * 3], points[i * 3 + 1], points[i * 3 + 2], beta);
    return res;
  }

  /** True where a point is inside, by {@link MeshSdf.signMethod}. */
  inside(x: number, y: number, z: number): boolean {
    if (this.signMethod !== "pseudonormal") return insideTest(this.bvh, this.signMethod === "raycast", this.options.beta, x, y, z);
    const r = new Float32Array(1);
    signedRangeBvh(this.bvh, SIGN_PSEUDONORMAL, this.options.beta, Float32Array.of(x, y, z), r, 0, 1);
    return r[0] < 0;
  }

  /** @internal The sign mode code of the BVH queries. */
  private get mode(): number {
    return this.signMethod === "raycast" ? SIGN_RAYCAST : this.signMethod === "pseudonormal" ? SIGN_PSEUDONORMAL : SIGN_WINDING;
  }

  /** Signed distance (negative inside) of each xyz point. */
  /** The signed distance as a batch `Sdf` (for `sampleGrid`, `renderSdf`, …): same as {@link MeshSdf.signedDistance}. */
  readonly evaluate: Sdf = (points: Float32Array, out?: Float32Array): Float32Array => this.signedDistance(points, out);

  signedDistance(points: Float32Array, out?: Float32Array): Float32Array {
    const n = this.check("signedDistance", points, out);
    const res = out ?? new Float32Array(n);
    this.signedRange(points, res, 0, n);
    return res;
  }

  /** @internal Signed distance for points [from, to); `hints[i]`: a triangle id near point i, or -1. */
  signedRange(points: Float32Array, res: Float32Array, from: number, to: number, hints?: Int32Array): void {
    signedRangeBvh(this.bvh, this.mode, this.options.beta, points, res, from, to, hints);
  }

  /**
   * {@link MeshSdf.signedDistance} on this thread plus `threads - 1` worker threads of a persistent
   * pool (started on first use, reused, never keeping the process alive; see
   * {@link MeshSdf.startWorkers}), over SharedArrayBuffers: same result as single-threaded. Points go
   * out in chunks as threads become free, so workers that are still starting take none. Below
   * `minPoints` it runs on this thread alone.
   * @param opts.threads - threads in all, this one included. @defaultValue availableParallelism()
   */
  async signedDistanceParallel(points: Float32Array, opts: { threads?: number; minPoints?: number } = {}): Promise<Float32Array> {
    const n = this.check("signedDistanceParallel", points);
    const res = new Float32Array(n);
    this.signedRangeParallel(points, res, undefined, opts.threads, opts.minPoints);
    return res;
  }

  /**
   * @internal {@link MeshSdf.signedDistanceParallel} into `res`, with optional search hints (see
   * {@link MeshSdf.signedRange}); returns how many points the workers computed.
   */
  signedRangeParallel(points: Float32Array, res: Float32Array, hints?: Int32Array, threadCount?: number, minPoints = 50_000): number {
    const n = points.length / 3;
    const threads = Math.max(1, Math.min(threadCount ?? availableParallelism(), 16));
    if (threads === 1 || n < minPoints) {
      this.signedRange(points, res, 0, n, hints);
      return 0;
    }
    this.shared ??= shareBvh(this.bvh);
    const share = <T extends Float32Array | Int32Array>(a: T): T => {
      if (a.buffer instanceof SharedArrayBuffer) return a;
      const C = a.constructor as { new (b: SharedArrayBuffer): T };
      const c = new C(new SharedArrayBuffer(a.byteLength));
      c.set(a as never);
      return c;
    };
    const out = share(res);
    const byWorkers = signedParallel({ bvh: this.shared, mode: this.mode, beta: this.options.beta, points: share(points), out, hints: hints && share(hints), n, chunk: 2048 }, threads);
    if (out !== res) res.set(out);
    return byWorkers;
  }

  /**
   * Start the worker threads of {@link MeshSdf.signedDistanceParallel} (`threads - 1` of them) now;
   * resolves when they are ready. Optional: parallel calls start them on demand.
   */
  static startWorkers(threads: number = availableParallelism()): Promise<void> {
    return startWorkers(Math.max(0, Math.min(threads, 16) - 1));
  }

  /** Stop the worker threads (a later parallel call starts new ones). */
  static stopWorkers(): Promise<void> {
    return stopWorkers();
  }

  private check(fn: string, points: Float32Array, out?: Float32Array): number {
    if (!(points instanceof Float32Array) || points.length % 3 !== 0)
      throw new InvalidArgumentError(`MeshSdf.${fn}`, "points", "a Float32Array of xyz triples", points);
    for (let i = 0; i < points.length; i++) if (!Number.isFinite(points[i])) throw new InvalidArgumentError(`MeshSdf.${fn}`, "points", "finite coordinates", `${points[i]} at index ${i}`);
    const n = points.length / 3;
    if (out !== undefined && (!(out instanceof Float32Array) || out.length < n)) throw new InvalidArgumentError(`MeshSdf.${fn}`, "out", `a Float32Array of length >= ${n}`, out);
    return n;
  }
}
