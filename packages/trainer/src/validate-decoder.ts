import * as tf from "@tensorflow/tfjs";
import { InvalidArgumentError, type SdfSamples } from "@sdfkit/sdf-core";
import type { DeepSdfDecoder } from "@sdfkit/sdf-core/model";

/** Sample-level fidelity of one shape. */
export interface SampleMetrics {
  /** Fraction of samples with |sdf| > `signBand` whose predicted sign is right. */
  signAccuracy: number;
  /** Mean |clamp(pred) − clamp(sdf)|. */
  l1: number;
}

/**
 * Sign accuracy (inside/outside, on samples farther than `signBand` from the surface) and clamped L1
 * of a decoder + latent on held-out samples, evaluated in batches inside `tf.tidy`.
 */
export const sampleMetrics = (decoder: DeepSdfDecoder, latent: Float32Array, samples: SdfSamples, opts: { clamp?: number; signBand?: number; batchSize?: number } = {}): SampleMetrics => {
  const clamp = opts.clamp ?? 0.1, band = opts.signBand ?? 1e-3;
  const n = samples?.sdf?.length ?? 0;
  if (!(samples?.points instanceof Float32Array) || samples.points.length !== 3 * n || n === 0)
    throw new InvalidArgumentError("sampleMetrics", "samples", "SdfSamples with points (3N) and sdf (N), N ≥ 1", samples);
  const pred = decoder.toSdf(latent, { batchSize: opts.batchSize ?? 16384 })(samples.points);
  let right = 0, counted = 0, l1 = 0;
  const c = (v: number) => Math.max(-clamp, Math.min(clamp, v));
  for (let i = 0; i < n; i++) {
    const s = samples.sdf[i];
    l1 += Math.abs(c(pred[i]) - c(s));
    if (Math.abs(s) > band) {
      counted++;
      if (pred[i] < 0 === s < 0) right++;
    }
  }
  void tf;
  return { signAccuracy: counted ? right / counted : 1, l1: l1 / n };
};
