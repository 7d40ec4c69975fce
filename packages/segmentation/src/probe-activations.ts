import { InvalidArgumentError } from "@sdfkit/sdf-core";
import type { FeatureLayer } from "./select-layer.js";

/**
 * Forward pass of a network over `count` points (xyz, stride 3) returning each hidden layer's
 * activations (count × width, row-major), one array per layer. An adapter over a decoder with a
 * fixed latent code (e.g. `@sdfkit/sdf-core/model`) supplies this; it may be async (tfjs `data()`).
 */
export type LayerForward = (points: Float32Array, count: number) => Float32Array[] | Promise<Float32Array[]>;

/** Options of {@link probeActivations}. */
export interface ProbeActivationsOptions {
  /** Points per forward call. @defaultValue 4096 */
  batchSize: number;
  /** Layer indices to keep (default all). @defaultValue undefined */
  layers?: number[];
  /** Append one more layer: the kept layers concatenated per point. @defaultValue false */
  concat: boolean;
  /** Called after each batch with (points done, total). @defaultValue undefined */
  onProgress?: (done: number, total: number) => void;
}

/** Default {@link ProbeActivationsOptions}. */
export const DEFAULT_PROBE_ACTIVATIONS: ProbeActivationsOptions = { batchSize: 4096, concat: false };

/**
 * Per-layer activations of a network at `points` (xyz, stride 3), computed in batches of
 * `batchSize` so only one batch of every layer's activations is alive inside the network at a time;
 * only the kept layers are stored. Returns one {@link FeatureLayer} per kept layer (plus the
 * concatenation when `concat`).
 */
export const probeActivations = async (forward: LayerForward, points: Float32Array, opts: Partial<ProbeActivationsOptions> = {}): Promise<FeatureLayer[]> => {
  const o = { ...DEFAULT_PROBE_ACTIVATIONS, ...opts };
  if (typeof forward !== "function") throw new InvalidArgumentError("probeActivations", "forward", "a function (points, count) => Float32Array[]", forward);
  if (!(points instanceof Float32Array) || points.length === 0 || points.length % 3 !== 0)
    throw new InvalidArgumentError("probeActivations", "points", "a non-empty Float32Array of xyz triples", points);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new InvalidArgumentError("probeActivations", "batchSize", "an integer >= 1", o.batchSize);
  const n = points.length / 3;
  let kept: number[] | undefined;
  let out: FeatureLayer[] = [];
  for (let s = 0; s < n; s += o.batchSize) {
    const count = Math.min(o.batchSize, n - s);
    const acts = await forward(points.subarray(3 * s, 3 * (s + count)), count);
    if (!Array.isArray(acts) || acts.length === 0) throw new InvalidArgumentError("probeActivations", "forward", "to return a non-empty array of Float32Array", acts);
    if (!kept) {
      kept = o.layers ?? acts.map((_, i) => i);
      for (const l of kept) if (!Number.isInteger(l) || l < 0 || l >= acts.length) throw new InvalidArgumentError("probeActivations", "layers", `indices in [0, ${acts.length - 1}]`, o.layers);
      out = kept.map((l) => {
        const a = acts[l];
        const dim = a.length / count;
        if (!(a instanceof Float32Array) || !Number.isInteger(dim) || dim < 1) throw new InvalidArgumentError("probeActivations", "forward", `layer ${l} as count × width Float32Array`, a);
        return { data: new Float32Array(n * dim), dim };
      });
    }
    kept.forEach((l, j) => {
      const a = acts[l], f = out[j];
      if (!(a instanceof Float32Array) || a.length !== count * f.dim)
        throw new InvalidArgumentError("probeActivations", "forward", `layer ${l} of ${count} × ${f.dim} values in every batch`, a?.length);
      for (let q = 0; q < a.length; q++) if (!Number.isFinite(a[q])) throw new InvalidArgumentError("probeActivations", "forward", "finite activations", `${a[q]} in layer ${l}`);
      f.data.set(a, s * f.dim);
    });
    o.onProgress?.(s + count, n);
  }
  if (o.concat) {
    const dim = out.reduce((t, f) => t + f.dim, 0);
    const data = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      let off = i * dim;
      for (const f of out) {
        data.set(f.data.subarray(i * f.dim, (i + 1) * f.dim), off);
        off += f.dim;
      }
    }
    out.push({ data, dim });
  }
  return out;
};
