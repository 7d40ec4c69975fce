import type { Sdf, Vec3 } from "../api.js";
import { InvalidArgumentError, ParseError } from "../errors.js";
import { DeepSdfDecoder, type DecoderBundle } from "./DeepSdfDecoder.js";

/** How a shape was normalised before training: `normalised = (p − offset) · scale` (DeepSDF's unit sphere). */
export interface ShapeNormalization {
  offset: Vec3;
  scale: number;
}

/** Header of an inference bundle (JSON); its binary part is the decoder's parameters followed by the latents. */
export interface InferenceBundleJson {
  format: "sdfkit-inference";
  version: 1;
  decoder: DecoderBundle;
  shapes: string[];
  latentSize: number;
  /** Index of the first latent value in the binary part (= the decoder's parameter count). */
  latentsOffset: number;
  /** Per shape (by name), when known. */
  normalization: Record<string, ShapeNormalization>;
  meta?: Record<string, unknown>;
}

/** A loaded inference bundle: the decoder, one latent per shape and their normalisations. */
export interface InferenceModel {
  decoder: DeepSdfDecoder;
  shapes: string[];
  normalization: Record<string, ShapeNormalization>;
  meta: Record<string, unknown>;
  /** Latent code of a shape (by name or index). */
  latent(shape: string | number): Float32Array;
  /**
   * The shape's SDF as a batch `Sdf`; with `units: "original"` (default) points and distances are in the
   * mesh's own units (undoing the normalisation), with `"normalized"` in the training frame.
   */
  sdf(shape: string | number, opts?: { units?: "original" | "normalized"; batchSize?: number }): Sdf;
}

/** Pack a trained decoder, its latents (`shapes.length × latentSize`) and normalisations into one JSON header + one Float32Array. */
export const packInferenceBundle = (b: { decoder: DeepSdfDecoder; latents: Float32Array; shapes: string[]; normalization?: Record<string, ShapeNormalization>; meta?: Record<string, unknown> }): { json: InferenceBundleJson; data: Float32Array } => {
  const L = b.decoder.specs.latentSize;
  if (!Array.isArray(b.shapes) || b.shapes.length === 0) throw new InvalidArgumentError("packInferenceBundle", "shapes", "a non-empty list of shape names", b.shapes);
  if (!(b.latents instanceof Float32Array) || b.latents.length !== b.shapes.length * L)
    throw new InvalidArgumentError("packInferenceBundle", "latents", `a Float32Array of ${b.shapes.length} × ${L} values`, b.latents);
  const dec = b.decoder.toBundle();
  const data = new Float32Array(dec.data.length + b.latents.length);
  data.set(dec.data);
  data.set(b.latents, dec.data.length);
  return {
    json: { format: "sdfkit-inference", version: 1, decoder: dec.json, shapes: [...b.shapes], latentSize: L, latentsOffset: dec.data.length, normalization: b.normalization ?? {}, meta: b.meta },
    data,
  };
};

/** Load an inference bundle from its JSON header and binary part (Node: files; browser: `fetch(…).arrayBuffer()`). @throws ParseError on a corrupt or mismatched bundle. */
export const unpackInferenceBundle = (json: unknown, data: Float32Array | ArrayBuffer): InferenceModel => {
  const j = json as InferenceBundleJson;
  if (!j || j.format !== "sdfkit-inference" || j.version !== 1) throw new ParseError("inference bundle", `not an sdfkit-inference v1 header (format ${JSON.stringify(j?.format)})`);
  const all = data instanceof ArrayBuffer ? new Float32Array(data) : data;
  if (!(all instanceof Float32Array)) throw new ParseError("inference bundle", "the binary part must be a Float32Array or an ArrayBuffer");
  const L = j.latentSize;
  if (!Array.isArray(j.shapes) || all.length !== j.latentsOffset + j.shapes.length * L)
    throw new ParseError("inference bundle", `expected ${j.latentsOffset} + ${j.shapes?.length} × ${L} float32 values, got ${all.length}`);
  const decoder = DeepSdfDecoder.fromBundle(j.decoder, all.slice(0, j.latentsOffset));
  const latents = all.slice(j.latentsOffset);
  const index = (shape: string | number): number => {
    const i = typeof shape === "number" ? shape : j.shapes.indexOf(shape);
    if (!Number.isInteger(i) || i < 0 || i >= j.shapes.length) throw new InvalidArgumentError("InferenceModel", "shape", `one of ${j.shapes.slice(0, 8).join(", ")}${j.shapes.length > 8 ? ", …" : ""}`, shape);
    return i;
  };
  const latent = (shape: string | number) => latents.slice(index(shape) * L, (index(shape) + 1) * L);
  return {
    decoder,
    shapes: [...j.shapes],
    normalization: j.normalization ?? {},
    meta: j.meta ?? {},
    latent,
    sdf(shape, opts = {}) {
      const inner = decoder.toSdf(latent(shape), { batchSize: opts.batchSize });
      const nrm = j.normalization?.[j.shapes[index(shape)]];
      if ((opts.units ?? "original") === "normalized" || !nrm) return inner;
      const { offset: [ox, oy, oz], scale } = nrm;
      return (points: Float32Array, out?: Float32Array) => {
        const q = new Float32Array(points.length);
        for (let i = 0; i < points.length; i += 3) {
          q[i] = (points[i] - ox) * scale;
          q[i + 1] = (points[i + 1] - oy) * scale;
          q[i + 2] = (points[i + 2] - oz) * scale;
        }
        const r = inner(q, out);
        for (let i = 0; i < r.length; i++) r[i] /= scale;
        return r;
      };
    },
  };
};
