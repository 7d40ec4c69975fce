import { createRng, InvalidArgumentError, type Mesh, type Rng, type SampleSource, type SdfSamples } from "@sdfkit/sdf-core";
import { SAMPLE_MIXES, type SampleBandsOptions } from "./api.js";
import { sampleBands } from "./sample-bands.js";

/** Options of {@link MeshSampleSource}: `sampleBands` options plus the pool. */
export interface MeshSampleSourceOptions extends Omit<SampleBandsOptions, "rng" | "mix"> {
  /**
   * Samples drawn once per (shape, mix) and kept; each `sample` call then picks `count` of them with
   * the caller's rng (DeepSDF's way: sample a mesh once, subsample every epoch). 0 = run `sampleBands`
   * on every call. @defaultValue 0
   */
  poolSize: number;
  /** Seed of the pools (each pool's generator is derived from it, the shape and the mix). @defaultValue 0 */
  poolSeed: number;
}

const hash = (s: string): number => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

/**
 * A {@link SampleSource} for the trainer over named meshes: `sample(shape, count, mix, rng)` runs
 * {@link sampleBands} with the phase mix `mix` (a key of {@link SAMPLE_MIXES}), or draws from a pool
 * of `poolSize` samples made once per (shape, mix).
 */
export class MeshSampleSource implements SampleSource {
  private readonly pools = new Map<string, SdfSamples>();
  private readonly opts: Partial<MeshSampleSourceOptions>;

  constructor(
    private readonly meshes: Readonly<Record<string, Mesh>>,
    opts: Partial<MeshSampleSourceOptions> = {},
  ) {
    this.opts = opts;
    const ps = opts.poolSize ?? 0;
    if (!Number.isInteger(ps) || ps < 0) throw new InvalidArgumentError("MeshSampleSource", "opts.poolSize", "an integer >= 0", ps);
  }

  sample(shape: string, count: number, mix: string, rng: Rng): SdfSamples {
    const mesh = this.meshes[shape];
    if (!mesh) throw new InvalidArgumentError("MeshSampleSource.sample", "shape", `one of ${Object.keys(this.meshes).join(", ")}`, shape);
    if (!(mix in SAMPLE_MIXES)) throw new InvalidArgumentError("MeshSampleSource.sample", "mix", `one of ${Object.keys(SAMPLE_MIXES).join(", ")}`, mix);
    const { poolSize = 0, poolSeed = 0, ...bandOpts } = this.opts;
    if (poolSize === 0) return sampleBands(mesh, count, { ...bandOpts, mix, rng }).samples;
    const key = `${shape}\u0000${mix}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = sampleBands(mesh, poolSize, { ...bandOpts, mix, rng: createRng((poolSeed ^ hash(key)) >>> 0) }).samples;
      this.pools.set(key, pool);
    }
    const points = new Float32Array(3 * count), sdf = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const j = rng.int(poolSize);
      points[3 * i] = pool.points[3 * j];
      points[3 * i + 1] = pool.points[3 * j + 1];
      points[3 * i + 2] = pool.points[3 * j + 2];
      sdf[i] = pool.sdf[j];
    }
    return { points, sdf };
  }
}
