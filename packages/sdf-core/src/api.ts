/** A 3-vector as a plain tuple. */
export type Vec3 = [number, number, number];

/** Axis-aligned bounding box. */
export interface Aabb {
  min: Vec3;
  max: Vec3;
}

/**
 * A triangle mesh as flat typed arrays.
 * - `positions`: xyz, stride 3.
 * - `indices`: three vertex indices per triangle, counter-clockwise seen from outside.
 * - `normals`: optional per-vertex normals, stride 3.
 * - `faceIds`: optional per-triangle id of the B-rep face it came from (STEP/IGES/BREP imports).
 * - `colors`: optional per-vertex RGB in [0, 1], stride 3 (PLY vertex colours).
 */
export interface Mesh {
  positions: Float32Array;
  indices: Uint32Array;
  normals?: Float32Array;
  faceIds?: Uint32Array;
  colors?: Float32Array;
}

/**
 * A scalar field sampled on a regular grid. `data[x + nx * (y + ny * z)]` (x fastest);
 * `res` counts samples per axis and the samples span `bounds` inclusive at both ends.
 */
export interface Grid3 {
  data: Float32Array;
  res: Vec3;
  bounds: Aabb;
}

/**
 * Signed-distance samples: `points` xyz stride 3, `sdf` one value per point (< 0 inside).
 * `band` optionally tags each sample with the id of the band that produced it; `normals` and
 * `faceIds` are present for surface samples when the sampler knows them.
 */
export interface SdfSamples {
  points: Float32Array;
  sdf: Float32Array;
  band?: Uint8Array;
  normals?: Float32Array;
  faceIds?: Uint32Array;
}

/** A batch signed distance function: xyz stride 3 in, one distance per point out (< 0 inside). */
export type Sdf = (points: Float32Array, out?: Float32Array) => Float32Array;

/** Seeded random number generator. All randomness in sdfkit goes through one of these. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal sample (mean 0, sd 1). */
  normal(): number;
  /** Internal state, so a run can checkpoint and resume the exact stream. */
  getState(): number[];
  setState(state: readonly number[]): void;
  /** An independent generator derived from this one (advances this one). */
  fork(): Rng;
}

/** Where a mesh came from and how it was normalised into the unit sphere. */
export interface NormalizeTransform {
  /** Subtract this from the original coordinates ... */
  offset: Vec3;
  /** ... then multiply by this to get normalised coordinates. */
  scale: number;
}

/**
 * Something that yields training samples for a shape on request: the trainer's injected sample
 * source. `mix` names a phase mix (e.g. "COARSE", "BALANCED", "DENSE", "MANUFACTURING").
 */
export interface SampleSource {
  sample(shape: string, count: number, mix: string, rng: Rng): Promise<SdfSamples> | SdfSamples;
}

/** An 8-bit RGBA image, row-major from the top-left pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}
