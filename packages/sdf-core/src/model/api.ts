import { SpecError } from "../errors.js";

/**
 * The decoder's architecture (DeepSDF's `NetworkSpecs` plus positional encoding):
 * input = latent (latentSize) ‖ encode(xyz); hidden Linear + ReLU layers of `dims`; at every layer
 * index in `latentIn` the input is concatenated again (the layer before it is narrowed so the
 * concatenation has `dims[i]` units, as DeepSDF does); dropout after the ReLU of the layers in
 * `dropout`; weight norm on every hidden layer when `weightNorm`; output 1 unit through tanh.
 */
export interface NetworkSpecs {
  latentSize: number;
  dims: number[];
  latentIn: number[];
  dropout: number[];
  dropoutProb: number;
  weightNorm: boolean;
  /** Positional encoding frequencies F: xyz → [xyz, sin(2^k π xyz), cos(2^k π xyz)] for k < F (0 = raw xyz). */
  peFrequencies: number;
}

/** Named presets: DeepSDF's decoder and the seed's V1 / V2. */
export const DECODER_PRESETS: Record<"deepsdf" | "seed-v1" | "seed-v2", NetworkSpecs> = {
  /** facebookresearch/DeepSDF examples/*\/specs.json: latent 256, 8×512, latent_in [4], dropout 0.2 on all, weight norm. */
  deepsdf: { latentSize: 256, dims: [512, 512, 512, 512, 512, 512, 512, 512], latentIn: [4], dropout: [0, 1, 2, 3, 4, 5, 6, 7], dropoutProb: 0.2, weightNorm: true, peFrequencies: 0 },
  /** The seed's V1: 4 hidden layers of 128, latent 64, no skip, no encoding. */
  "seed-v1": { latentSize: 64, dims: [128, 128, 128, 128], latentIn: [], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: 0 },
  /** The seed's V2: latent 128, positional encoding with 6 frequencies, 8×256, skip at layer 4. */
  "seed-v2": { latentSize: 128, dims: [256, 256, 256, 256, 256, 256, 256, 256], latentIn: [4], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: 6 },
};

/** Width of the encoded point: 3 + 6F. */
export const encodedPointSize = (F: number): number => 3 + 6 * F;

/** Width of the network input: latent + encoded point. */
export const inputSize = (s: NetworkSpecs): number => s.latentSize + encodedPointSize(s.peFrequencies);

/** [in, out] of every Linear layer (hidden layers, then the output layer). */
export const layerShapes = (s: NetworkSpecs): [number, number][] => {
  const d0 = inputSize(s);
  const shapes: [number, number][] = [];
  let prev = d0;
  for (let i = 0; i < s.dims.length; i++) {
    const inDim = s.latentIn.includes(i) ? prev + d0 : prev;
    const out = s.latentIn.includes(i + 1) ? s.dims[i] - d0 : s.dims[i];
    if (out <= 0) throw new SpecError(`dims[${i}]`, `must exceed the input width ${d0} because layer ${i + 1} re-injects the input, got ${s.dims[i]}`);
    shapes.push([inDim, out]);
    prev = out;
  }
  shapes.push([prev, 1]);
  return shapes;
};

/** Number of trainable parameters (weight-norm layers count g and v). */
export const parameterCount = (s: NetworkSpecs): number =>
  layerShapes(s).reduce((n, [i, o], k) => n + i * o + o + (s.weightNorm && k < s.dims.length ? o : 0), 0);

/** Validate specs; throws SpecError naming the bad key. */
export const validateNetworkSpecs = (s: unknown): NetworkSpecs => {
  const o = s as NetworkSpecs;
  if (typeof o !== "object" || o === null) throw new SpecError("NetworkSpecs", "expected an object");
  const int = (k: keyof NetworkSpecs, v: unknown, min: number) => {
    if (!Number.isInteger(v) || (v as number) < min) throw new SpecError(k, `expected an integer >= ${min}, got ${JSON.stringify(v)}`);
  };
  int("latentSize", o.latentSize, 0);
  int("peFrequencies", o.peFrequencies, 0);
  if (!Array.isArray(o.dims) || o.dims.length === 0) throw new SpecError("dims", `expected a non-empty array of layer widths, got ${JSON.stringify(o.dims)}`);
  o.dims.forEach((d) => int("dims", d, 1));
  for (const k of ["latentIn", "dropout"] as const) {
    if (!Array.isArray(o[k]) || o[k].some((i) => !Number.isInteger(i) || i < 0 || i >= o.dims.length))
      throw new SpecError(k, `expected layer indices in 0..${o.dims.length - 1}, got ${JSON.stringify(o[k])}`);
  }
  if (o.latentIn.includes(0)) throw new SpecError("latentIn", "layer 0 already receives the input");
  if (!(o.dropoutProb >= 0 && o.dropoutProb < 1)) throw new SpecError("dropoutProb", `expected a number in [0, 1), got ${JSON.stringify(o.dropoutProb)}`);
  if (typeof o.weightNorm !== "boolean") throw new SpecError("weightNorm", `expected true or false, got ${JSON.stringify(o.weightNorm)}`);
  layerShapes(o);
  return o;
};
