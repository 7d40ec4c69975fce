import type { Grid3, Sdf } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { __gridPlan, type SampleGridOptions } from "./sample-grid.js";

/** A batch SDF that answers asynchronously (an inference engine such as onnxruntime's). */
export type AsyncSdf = (points: Float32Array, out?: Float32Array) => Promise<Float32Array>;

/**
 * {@link sampleGrid} for an asynchronous (or plain) batch SDF: same grid layout (x fastest), same
 * options and validation; awaits each batch, so at most one batch of points is in flight.
 * @throws InvalidArgumentError on bad res/bounds/batchSize/out, or when the SDF returns the wrong length.
 * @example
 * ```ts
 * const engine = await createInferenceEngine(decoder);
 * const grid = await sampleGridAsync(engine.toSdf(latent), { res: 128 });
 * ```
 */
export const sampleGridAsync = async (sdf: AsyncSdf | Sdf, opts: Partial<SampleGridOptions> = {}, out?: Float32Array): Promise<Grid3> => {
  if (typeof sdf !== "function") throw new InvalidArgumentError("sampleGridAsync", "sdf", "an Sdf or AsyncSdf function", sdf);
  const plan = __gridPlan("sampleGridAsync", opts, out);
  for (const b of plan.batches()) plan.store(b, await sdf(b.pts, b.view));
  return plan.grid;
};
