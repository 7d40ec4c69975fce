import { InvalidArgumentError, type Mesh, type Rng, type SampleSource, type SdfSamples } from "@sdfkit/sdf-core";
import { SAMPLE_MIXES, type SampleBandsOptions } from "./api.js";
import { sampleBands } from "./sample-bands.js";

/**
 * A {@link SampleSource} for the trainer over named meshes: `sample(shape, count, mix, rng)` runs
 * {@link sampleBands} with the phase mix `mix` (a key of {@link SAMPLE_MIXES}).
 */
export class MeshSampleSource implements SampleSource {
  constructor(
    private readonly meshes: Readonly<Record<string, Mesh>>,
    private readonly opts: Partial<Omit<SampleBandsOptions, "rng" | "mix">> = {},
  ) {}

  sample(shape: string, count: number, mix: string, rng: Rng): SdfSamples {
    const mesh = this.meshes[shape];
    if (!mesh) throw new InvalidArgumentError("MeshSampleSource.sample", "shape", `one of ${Object.keys(this.meshes).join(", ")}`, shape);
    if (!(mix in SAMPLE_MIXES)) throw new InvalidArgumentError("MeshSampleSource.sample", "mix", `one of ${Object.keys(SAMPLE_MIXES).join(", ")}`, mix);
    return sampleBands(mesh, count, { ...this.opts, mix, rng }).samples;
  }
}
