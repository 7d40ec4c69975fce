import type { Mesh, NormalizeTransform, Rng, SdfSamples } from "@sdfkit/sdf-core";
import { createRng, InvalidArgumentError, normalizeMesh, sampleSurface } from "@sdfkit/sdf-core";
import { MeshSdf } from "./MeshSdf.js";
import type { MeshSdfOptions, MeshSdfReport } from "./api.js";

/** One band of samples: a share of the total drawn one way. */
export type Band =
  /** On the surface (sdf = 0), area-weighted, with normals and triangle ids. */
  | { kind: "surface"; fraction: number }
  /** Surface points jittered by an isotropic Gaussian of standard deviation `sigma` per axis. */
  | { kind: "gaussian"; fraction: number; sigma: number }
  /** Uniform in the cube [−extent, extent]³ or in the ball of radius `extent`. */
  | { kind: "uniform"; fraction: number; region: "cube" | "sphere"; extent: number };

/** Options of {@link sampleBands}. */
export interface SampleBandsOptions {
  /** Total number of samples. @defaultValue 250000 */
  count: number;
  /** The bands (fractions are normalised to sum to 1). @defaultValue SAMPLING_PRESETS.deepsdf */
  bands: Band[];
  /** Random generator. @defaultValue createRng(0) */
  rng: Rng;
  /** Normalise the mesh into the unit sphere first (DeepSDF, margin 1.03). @defaultValue true */
  normalize: boolean;
  /** Clamp sdf values to ±clamp (undefined = no clamping). @defaultValue undefined */
  clamp?: number;
  /** Stratified surface sampling. @defaultValue true */
  stratified: boolean;
  /** Options of the signed distance (sign method…). */
  sdf: Partial<MeshSdfOptions>;
  /** Progress: called after each chunk of evaluated samples (surface samples need none) with the count done so far. @defaultValue undefined */
  onProgress?: (e: { done: number; total: number }) => void;
}

/** The presets of the issue: DeepSDF's preprocessing and the seed's V2 mix. */
export const SAMPLING_PRESETS: Record<"deepsdf" | "seed-v2", Band[]> = {
  /** DeepSDF PreprocessMesh.cpp: 47/50 near the surface — each surface point jittered twice, with per-axis variance 0.005 and 0.0005 — and 3/50 uniform in [−1, 1]³. */
  deepsdf: [
    { kind: "gaussian", fraction: 47 / 100, sigma: Math.sqrt(0.005) },
    { kind: "gaussian", fraction: 47 / 100, sigma: Math.sqrt(0.0005) },
    { kind: "uniform", fraction: 3 / 50, region: "cube", extent: 1 },
  ],
  /** The seed's V2 mix: 30 % uniform, 40 % σ 0.005, 20 % σ 0.02, 10 % σ 0.002. */
  "seed-v2": [
    { kind: "uniform", fraction: 0.3, region: "cube", extent: 1 },
    { kind: "gaussian", fraction: 0.4, sigma: 0.005 },
    { kind: "gaussian", fraction: 0.2, sigma: 0.02 },
    { kind: "gaussian", fraction: 0.1, sigma: 0.002 },
  ],
};

export const DEFAULT_SAMPLE_BANDS: Omit<SampleBandsOptions, "rng"> = { count: 250000, bands: SAMPLING_PRESETS.deepsdf, normalize: true, stratified: true, sdf: {} };

/** Samples plus where they came from. */
export interface BandSamples extends SdfSamples {
  /** Band index of each sample. */
  band: Uint8Array;
  /** How the mesh was normalised (`normalised = (original − offset) · scale`); identity when `normalize` is false. */
  transform: NormalizeTransform;
  /** What the signed distance reported (sign method, openness). */
  report: MeshSdfReport;
}

/** Split a total into integer counts proportional to the fractions (largest remainders). */
export const splitCount = (total: number, fractions: number[]): number[] => {
  const s = fractions.reduce((a, b) => a + b, 0);
  const raw = fractions.map((f) => (f / s) * total);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length][1]]++;
  return out;
};

/**
 * Multi-band signed-distance samples of a mesh: surface, near-surface Gaussian bands and uniform
 * volume, in the unit sphere by default, deterministic for a given rng seed. The sign comes from
 * {@link MeshSdf} (generalised winding number by default), so open meshes work.
 */
/** @internal Points of every band (surface bands get sdf 0); `pending` lists the [start, end) ranges still to evaluate. */
export const __generateBands = (mesh: Mesh, opts: Partial<SampleBandsOptions> = {}) => {
  const o = { ...DEFAULT_SAMPLE_BANDS, rng: createRng(0), ...opts };
  if (!Number.isInteger(o.count) || o.count < 1) throw new InvalidArgumentError("sampleBands", "count", "an integer >= 1", o.count);
  if (!Array.isArray(o.bands) || o.bands.length === 0 || o.bands.length > 255) throw new InvalidArgumentError("sampleBands", "bands", "1 to 255 bands", o.bands);
  for (const [i, b] of o.bands.entries()) {
    if (!(b.fraction >= 0) || !Number.isFinite(b.fraction)) throw new InvalidArgumentError("sampleBands", `bands[${i}].fraction`, "a finite number >= 0", b.fraction);
    if (b.kind === "gaussian" && !(b.sigma > 0)) throw new InvalidArgumentError("sampleBands", `bands[${i}].sigma`, "a number > 0", b.sigma);
    if (b.kind === "uniform" && !(b.extent > 0)) throw new InvalidArgumentError("sampleBands", `bands[${i}].extent`, "a number > 0", b.extent);
    if (!["surface", "gaussian", "uniform"].includes(b.kind)) throw new InvalidArgumentError("sampleBands", `bands[${i}].kind`, `"surface", "gaussian" or "uniform"`, (b as Band).kind);
  }
  if (o.bands.reduce((a, b) => a + b.fraction, 0) <= 0) throw new InvalidArgumentError("sampleBands", "bands", "fractions summing to more than 0", o.bands.map((b) => b.fraction));
  if (o.clamp !== undefined && !(o.clamp > 0)) throw new InvalidArgumentError("sampleBands", "clamp", "a number > 0", o.clamp);
  const norm = o.normalize ? normalizeMesh(mesh) : { mesh, offset: [0, 0, 0] as [number, number, number], scale: 1 };
  const m = norm.mesh;
  const msdf = new MeshSdf(m, o.sdf);
  const counts = splitCount(o.count, o.bands.map((b) => b.fraction));
  const points = new Float32Array(3 * o.count);
  const sdf = new Float32Array(o.count);
  const band = new Uint8Array(o.count);
  const normals = new Float32Array(3 * o.count);
  const faceIds = new Uint32Array(o.count).fill(0xffffffff);
  const rng = o.rng;
  const pending: [number, number][] = [];
  let at = 0;
  o.bands.forEach((b, bi) => {
    const n = counts[bi];
    if (n === 0) return;
    band.fill(bi, at, at + n);
    if (b.kind === "uniform") {
      for (let i = at; i < at + n; i++) {
        if (b.region === "cube") {
          points[3 * i] = rng.uniform(-b.extent, b.extent);
          points[3 * i + 1] = rng.uniform(-b.extent, b.extent);
          points[3 * i + 2] = rng.uniform(-b.extent, b.extent);
        } else {
          // uniform in the ball: Gaussian direction, radius ∝ u^(1/3)
          const x = rng.normal(), y = rng.normal(), z = rng.normal();
          const r = (b.extent * Math.cbrt(rng.next())) / (Math.hypot(x, y, z) || 1);
          points[3 * i] = x * r;
          points[3 * i + 1] = y * r;
          points[3 * i + 2] = z * r;
        }
      }
      pending.push([at, at + n]);
    } else {
      const s = sampleSurface(m, n, { rng, stratified: o.stratified });
      points.set(s.points, 3 * at);
      normals.set(s.normals, 3 * at);
      faceIds.set(s.faces, at);
      if (b.kind === "gaussian") {
        for (let i = at; i < at + n; i++) for (let k = 0; k < 3; k++) points[3 * i + k] += b.sigma * rng.normal();
        pending.push([at, at + n]);
      }
      // surface samples keep sdf = 0
    }
    at += n;
  });
  const result: BandSamples = { points, sdf, band, normals, faceIds, transform: { offset: norm.offset, scale: norm.scale }, report: msdf.report };
  return { o, mesh: m, msdf, result, pending };
};

/** @internal Clamp in place when asked. */
export const __clampSdf = (sdf: Float32Array, clamp?: number) => {
  if (clamp === undefined) return;
  for (let i = 0; i < sdf.length; i++) sdf[i] = Math.max(-clamp, Math.min(clamp, sdf[i]));
};

/**
 * Multi-band signed-distance samples of a mesh: surface, near-surface Gaussian bands and uniform
 * volume, in the unit sphere by default, deterministic for a given rng seed. The sign comes from
 * {@link MeshSdf} (generalised winding number by default), so open meshes work. For both cores use
 * `sampleBandsParallel` from `@sdfkit/sampling/node` (same samples, evaluated by worker threads).
 */
export const sampleBands = (mesh: Mesh, opts: Partial<SampleBandsOptions> = {}): BandSamples => {
  const { o, msdf, result, pending } = __generateBands(mesh, opts);
  const CHUNK = 8192;
  const total = pending.reduce((a, [s, e]) => a + e - s, 0);
  let done = 0;
  for (const [s, e] of pending)
    for (let c = s; c < e; c += CHUNK) {
      const ce = Math.min(e, c + CHUNK);
      result.sdf.set(msdf.evaluate(result.points.subarray(3 * c, 3 * ce)), c);
      done += ce - c;
      o.onProgress?.({ done, total });
    }
  __clampSdf(result.sdf, o.clamp);
  return result;
};

/** Split samples by sign: `pos` has sdf ≥ 0, `neg` sdf < 0 (DeepSDF's .npz convention). */
export const splitBySign = (s: SdfSamples): { pos: SdfSamples; neg: SdfSamples } => {
  const n = s.sdf.length;
  let np = 0;
  for (let i = 0; i < n; i++) if (s.sdf[i] >= 0) np++;
  const pos = { points: new Float32Array(3 * np), sdf: new Float32Array(np) };
  const neg = { points: new Float32Array(3 * (n - np)), sdf: new Float32Array(n - np) };
  let a = 0, b = 0;
  for (let i = 0; i < n; i++) {
    const t = s.sdf[i] >= 0 ? pos : neg;
    const j = s.sdf[i] >= 0 ? a++ : b++;
    t.points[3 * j] = s.points[3 * i];
    t.points[3 * j + 1] = s.points[3 * i + 1];
    t.points[3 * j + 2] = s.points[3 * i + 2];
    t.sdf[j] = s.sdf[i];
  }
  return { pos, neg };
};

/**
 * Draw `n` samples, half with sdf ≥ 0 and half with sdf < 0 (DeepSDF's data.py unpack_sdf_samples:
 * random rows of each half, with replacement when a half is short).
 */
export const subsampleBalanced = (s: SdfSamples, n: number, rng: Rng): SdfSamples => {
  if (!Number.isInteger(n) || n < 2) throw new InvalidArgumentError("subsampleBalanced", "n", "an integer >= 2", n);
  const { pos, neg } = splitBySign(s);
  if (pos.sdf.length === 0 || neg.sdf.length === 0)
    throw new InvalidArgumentError("subsampleBalanced", "s", "samples with both signs", `${pos.sdf.length} non-negative, ${neg.sdf.length} negative`);
  const half = n >> 1;
  const out = { points: new Float32Array(3 * n), sdf: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    const src = i < half ? pos : neg;
    const j = rng.int(src.sdf.length);
    out.points[3 * i] = src.points[3 * j];
    out.points[3 * i + 1] = src.points[3 * j + 1];
    out.points[3 * i + 2] = src.points[3 * j + 2];
    out.sdf[i] = src.sdf[j];
  }
  return out;
};
