import {
  assertValidMesh, edgeDihedralAngles, InvalidArgumentError, normalizeMesh, meshEdges, sampleSurface, triangleAreaCdf, triangleNormals,
  type Mesh, type Rng,
} from "@sdfkit/sdf-core";
import { DEFAULT_SAMPLE_BANDS, SAMPLE_MIXES, type Band, type BandSamples, type SampleBandsOptions } from "./api.js";
import { MeshSdf } from "./mesh-sdf.js";
import { keptTriangles } from "./internal/kept-triangles.js";
import { requestBvh, startWorkers } from "./internal/worker-pool.js";
import { availableParallelism } from "node:os";

const fn = "sampleBands";

/** Resolve a mix name or band list into validated bands with fractions summing to 1. */
export const resolveMix = (mix: string | readonly Band[]): Band[] => {
  const bands = typeof mix === "string" ? SAMPLE_MIXES[mix] : mix;
  if (!bands || !Array.isArray(bands) || bands.length === 0)
    throw new InvalidArgumentError(fn, "opts.mix", `one of ${Object.keys(SAMPLE_MIXES).join(", ")} or a non-empty Band[]`, mix);
  let total = 0;
  for (const b of bands) {
    if (!(b.fraction > 0)) throw new InvalidArgumentError(fn, "opts.mix[].fraction", "a number > 0", b.fraction);
    if ((b.kind === "near" || b.kind === "feature") && !(b.sigma > 0)) throw new InvalidArgumentError(fn, "opts.mix[].sigma", "a number > 0", b.sigma);
    if (!["surface", "near", "volume", "feature"].includes(b.kind)) throw new InvalidArgumentError(fn, "opts.mix[].kind", "surface | near | volume | feature", b.kind);
    total += b.fraction;
  }
  return bands.map((b) => ({ ...b, fraction: b.fraction / total }));
};

/** Split `count` over the bands by largest remainder (deterministic, sums to count). */
const splitCount = (count: number, bands: Band[]): number[] => {
  const raw = bands.map((b) => b.fraction * count);
  const n = raw.map(Math.floor);
  let left = count - n.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) n[order[k % order.length][1]]++;
  return n;
};

/** Feature edges (sharp, boundary, non-manifold, face-id border) as vertex pairs with a length CDF. */
const featureEdges = (mesh: Mesh, sharpAngle: number): { pairs: number[]; cdf: Float64Array } => {
  const e = meshEdges(mesh);
  const ang = edgeDihedralAngles(mesh, e, triangleNormals(mesh));
  const pairs: number[] = [], lens: number[] = [];
  const P = mesh.positions;
  const nE = e.edges.length / 2;
  for (let i = 0; i < nE; i++) {
    const f0 = e.edgeFaceOffsets[i], f1 = e.edgeFaceOffsets[i + 1];
    let feat = f1 - f0 !== 2 || ang[i] >= sharpAngle;
    if (!feat && mesh.faceIds) feat = mesh.faceIds[e.edgeFaces[f0]] !== mesh.faceIds[e.edgeFaces[f0 + 1]];
    if (!feat) continue;
    const a = e.edges[i * 2], b = e.edges[i * 2 + 1];
    const l = Math.hypot(P[a * 3] - P[b * 3], P[a * 3 + 1] - P[b * 3 + 1], P[a * 3 + 2] - P[b * 3 + 2]);
    if (l > 0) { pairs.push(a, b); lens.push(l); }
  }
  const cdf = new Float64Array(lens.length);
  let acc = 0;
  for (let i = 0; i < lens.length; i++) cdf[i] = acc += lens[i];
  return { pairs, cdf };
};

const pickCdf = (cdf: Float64Array, u: number): number => {
  let lo = 0, hi = cdf.length - 1;
  const x = u * cdf[cdf.length - 1];
  while (lo < hi) { const m = (lo + hi) >> 1; if (cdf[m] < x) lo = m + 1; else hi = m; }
  return lo;
};


/**
 * Near-surface band: `n` stratified area-weighted surface points (the same draws as
 * `sampleSurface(mesh, n, { rng, stratified: true })`: u_i = (i + r) / n walks the area CDF
 * upwards, so no search is needed, and no normals are made), written at sample `k` on, then each
 * coordinate jittered by `sigma` · N(0, 1). `hints` receives each point's triangle.
 */
const drawNear = (mesh: Mesh, cdf: Float64Array, n: number, sigma: number, rng: Rng, points: Float32Array, hints: Int32Array, k: number): void => {
  const p = mesh.positions, idx = mesh.indices;
  const last = cdf.length - 1, total = cdf[last];
  let t = 0;
  for (let i = 0; i < n; i++) {
    const u = ((i + rng.next()) / n) * total;
    while (t < last && cdf[t] <= u) t++;
    const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
    const s1 = Math.sqrt(rng.next()), r2 = rng.next();
    const wa = 1 - s1, wb = s1 * (1 - r2), wc = s1 * r2;
    const o = 3 * (k + i);
    points[o] = wa * p[a] + wb * p[b] + wc * p[c];
    points[o + 1] = wa * p[a + 1] + wb * p[b + 1] + wc * p[c + 1];
    points[o + 2] = wa * p[a + 2] + wb * p[b + 2] + wc * p[c + 2];
    hints[k + i] = t;
  }
  for (let j = 3 * k, e = 3 * (k + n); j < e; j++) points[j] += sigma * rng.normal();
};

/**
 * Multi-band DeepSDF training samples of a mesh: surface, Gaussian near-surface bands, uniform
 * volume and feature-aware bands (see {@link SAMPLE_MIXES}), with exact signed distance from
 * {@link MeshSdf} (winding-number sign by default, so open meshes work). Seeded and deterministic.
 *
 * @example
 * const { samples, transform } = sampleBands(mesh, 250_000, { rng: createRng(0), mix: "deepsdf" });
 */
export const sampleBands = (mesh: Mesh, count: number, opts: Partial<SampleBandsOptions> & { rng: Rng }): BandSamples => {
  const d = drawBands(mesh, count, opts);
  const CHUNK = 8192;
  for (let s = 0; s < count; s += CHUNK) {
    const e = Math.min(count, s + CHUNK);
    d.sdf.signedRange(d.points, d.dist, s, e, d.hints);
    d.o.onProgress?.(0.1 + (0.9 * e) / count);
  }
  return finish(d);
};

/**
 * {@link sampleBands} with the signed distances computed on this thread and `threads - 1` workers of
 * a persistent pool over shared buffers ({@link MeshSdf.signedDistanceParallel}); same samples as
 * `sampleBands` for the same rng state, whatever the number of threads.
 */
export const sampleBandsParallel = async (mesh: Mesh, count: number, opts: Partial<SampleBandsOptions> & { rng: Rng; threads?: number }): Promise<BandSamples> => {
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), 16));
  // a cold pool starts now and its workers join in once they are up
  if (threads > 1) void startWorkers(threads - 1).catch(() => undefined);
  const d = drawBands(mesh, count, opts, threads);
  d.sdf.signedRangeParallel(d.points, d.dist, d.hints, threads);
  d.o.onProgress?.(1);
  return finish(d);
};

const finish = (d: ReturnType<typeof drawBands>): BandSamples => {
  const { dist, isSurface, o, count } = d;
  for (let i = 0; i < count; i++) {
    if (isSurface[i]) dist[i] = 0;
    if (o.clamp > 0) dist[i] = Math.max(-o.clamp, Math.min(o.clamp, dist[i]));
  }
  return {
    samples: { points: d.points, sdf: dist, band: d.band, normals: d.normals, faceIds: d.faceIds },
    bands: d.bands,
    transform: d.transform,
    signMethod: d.sdf.signMethod,
    openness: d.sdf.openness,
  };
};

const drawBands = (mesh: Mesh, count: number, opts: Partial<SampleBandsOptions> & { rng: Rng }, threads = 1) => {
  assertValidMesh(fn, mesh);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError(fn, "count", "an integer >= 1", count);
  const o = { ...DEFAULT_SAMPLE_BANDS, ...opts };
  if (!o.rng || typeof o.rng.next !== "function") throw new InvalidArgumentError(fn, "opts.rng", "an Rng (createRng(seed))", o.rng);
  if (!(o.clamp >= 0)) throw new InvalidArgumentError(fn, "opts.clamp", "a number >= 0", o.clamp);
  const bands = resolveMix(o.mix);
  const rng = o.rng;
  let m = mesh;
  let transform = { offset: [0, 0, 0] as [number, number, number], scale: 1 };
  if (o.normalize) {
    const nm = normalizeMesh(mesh);
    m = nm.mesh;
    transform = { offset: nm.offset, scale: nm.scale };
  }
  // with threads, a ready pool worker builds the BVH while this thread draws the points
  const pending = threads > 1 ? requestBvh(m.positions, m.indices, keptTriangles(m)) : undefined;
  const counts = splitCount(count, bands);
  const points = new Float32Array(count * 3), dist = new Float32Array(count), band = new Uint8Array(count);
  const normals = new Float32Array(count * 3), faceIds = new Uint32Array(count);
  const isSurface = new Uint8Array(count);
  // the triangle each near-surface sample was drawn from seeds its closest-point search (-1: none)
  const hints = new Int32Array(count).fill(-1);
  let feat: ReturnType<typeof featureEdges> | undefined;
  let cdf: Float64Array | undefined;
  let k = 0;
  bands.forEach((b, bi) => {
    const n = counts[bi];
    if (n === 0) return;
    if (b.kind === "volume") {
      for (let i = 0; i < n; i++, k++) {
        let x, y, z;
        do { x = rng.uniform(-1, 1); y = rng.uniform(-1, 1); z = rng.uniform(-1, 1); } while (b.region === "sphere" && x * x + y * y + z * z > 1);
        points[k * 3] = x; points[k * 3 + 1] = y; points[k * 3 + 2] = z; band[k] = bi;
      }
    } else if (b.kind === "feature") {
      feat ??= featureEdges(m, o.sharpAngle);
      const P = m.positions;
      if (feat.cdf.length === 0) {
        // no feature edges on a smooth closed mesh: fall back to the near-surface band
        drawNear(m, (cdf ??= triangleAreaCdf(m)), n, b.sigma, rng, points, hints, k);
        band.fill(bi, k, k + n);
        k += n;
        return;
      }
      for (let i = 0; i < n; i++, k++) {
        const e = pickCdf(feat.cdf, rng.next()), t = rng.next();
        const a = feat.pairs[e * 2] * 3, c2 = feat.pairs[e * 2 + 1] * 3;
        for (let c = 0; c < 3; c++) points[k * 3 + c] = P[a + c] + t * (P[c2 + c] - P[a + c]) + b.sigma * rng.normal();
        band[k] = bi;
      }
    } else if (b.kind === "near") {
      cdf ??= triangleAreaCdf(m);
      drawNear(m, cdf, n, b.sigma, rng, points, hints, k);
      band.fill(bi, k, k + n);
      k += n;
    } else {
      const s = sampleSurface(m, n, { rng, stratified: true });
      points.set(s.points, 3 * k);
      normals.set(s.normals, 3 * k);
      for (let i = 0; i < n; i++, k++) {
        band[k] = bi;
        faceIds[k] = m.faceIds ? m.faceIds[s.faces[i]] : s.faces[i];
        isSurface[k] = 1;
      }
    }
    o.onProgress?.((0.1 * k) / count);
  });
  const sdf = new MeshSdf(m, o.sdf, pending);
  return { o, sdf, points, dist, band, normals, faceIds, isSurface, hints, bands, transform, count };
};
