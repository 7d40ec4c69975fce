import type { AssemblySpec, Rng, SampleSource, Sdf, SdfSamples } from "@sdfkit/sdf-core";
import { assemblyLabels, assemblySdf, createRng, InvalidArgumentError, parseAssemblySpec, sdfGradient } from "@sdfkit/sdf-core";
import { DeepSdfDecoder, type NetworkSpecs } from "@sdfkit/sdf-core/model";
import { ActivationClassifier, adjustedRandIndex, bestPermutationAccuracy, segmentSurfacePoints, selectLayer, type FeatureLayer } from "@sdfkit/segmentation";
import { CurriculumTrainer, validateSpecs, type EpochLog } from "@sdfkit/trainer";

/** Options of {@link probeShapes} (defaults: the seed study's probe setting). */
export interface ProbeShapesOptions {
  /** Training epochs (one step over all shapes each). @defaultValue 1500 */
  epochs: number;
  /** Training samples per shape per step. @defaultValue 2048 */
  samplesPerScene: number;
  /** Probe points per shape. @defaultValue 5000 */
  probePoints: number;
  /** Probe points lie where |sdf| < band. @defaultValue 0.015 */
  band: number;
  /** Hidden layer widths of the shared decoder. @defaultValue [128, 128, 128] */
  hidden: number[];
  /** Latent code length. @defaultValue 64 */
  latentSize: number;
  /** Positional-encoding frequencies. @defaultValue 6 */
  peFrequencies: number;
  /** Initial learning rate (decoder and codes), halved at 1/2 and 3/4 of the epochs. @defaultValue 1e-3 */
  learningRate: number;
  /** Seed of every random choice (decoder init, samples, probe points, k-means). @defaultValue 0 */
  seed: number;
  /**
   * The label-free segmentation reported as `ari`: `crease` — spectral clustering of the probe points on a
   * k-nearest-neighbour graph cut at the decoder's concave creases (its gradient at the points;
   * `segmentSurfacePoints`); `kmeans` — k-means on the activations of the layer chosen by silhouette (the
   * seed's protocol). Both are always computed and reported; this picks the headline and the labels the
   * classifiers learn from. @defaultValue "crease"
   */
  method: "crease" | "kmeans";
  /** Concavity scale of the crease segmentation (see `segmentSurfacePoints`). @defaultValue 0.1 */
  creaseScale: number;
  /** Called after every epoch. */
  onEpoch?: (e: EpochLog) => void;
  /** Called once per shape after its layer choice, with the probe points and both labelings (e.g. to draw them). */
  onShape?: (s: ProbedShape) => void | Promise<void>;
}

/** What {@link ProbeShapesOptions.onShape} receives for one shape. */
export interface ProbedShape {
  spec: AssemblySpec;
  /** Probe points (xyz, stride 3), |sdf| < band. */
  points: Float32Array;
  /** True part per probe point (argmin of the part SDFs). */
  truth: Uint32Array;
  /** Part per probe point from the headline segmentation (see {@link ProbeShapesOptions.method}). */
  labels: Uint32Array;
  /** The chosen layer (see {@link ShapeProbe.layer}). */
  layer: number;
}

/** Default {@link ProbeShapesOptions}. */
export const DEFAULT_PROBE_SHAPES: ProbeShapesOptions = {
  epochs: 1500,
  samplesPerScene: 2048,
  probePoints: 5000,
  band: 0.015,
  hidden: [128, 128, 128],
  latentSize: 64,
  peFrequencies: 6,
  learningRate: 1e-3,
  seed: 0,
  method: "crease",
  creaseScale: 0.1,
};

/** Result for one shape: the label-free segmentations plus every layer's score. */
export interface ShapeProbe {
  name: string;
  /** True number of parts (used as k). */
  k: number;
  /** ARI of the headline label-free segmentation ({@link ProbeShapesOptions.method}). */
  ari: number;
  /** Which segmentation `ari`, `accuracy` and the classifiers' training labels come from. */
  method: "crease" | "kmeans";
  /** Best-permutation accuracy of the headline segmentation. */
  accuracy: number;
  /** Activation k-means: the layer chosen without labels (best silhouette): 0 .. hidden-1, or `hidden.length` for all layers concatenated. */
  layer: number;
  /** Activation k-means: ARI of the chosen layer. */
  kmeansAri: number;
  /** Activation k-means: ARI per layer (last entry: all layers concatenated). */
  layerAri: number[];
  /** Activation k-means: mean silhouette per layer (the label-free score the choice maximises). */
  silhouette: number[];
  /** Activation k-means: the best layer's ARI (an oracle choice, reported for comparison with the seed only). */
  oracleAri: number;
  /** Crease segmentation on the decoder's normals alone. */
  creaseAri: number;
  /** Crease segmentation with each layer's activation affinity multiplied in (same order as `layerAri`). */
  creaseLayerAri: number[];
  /** Eigengap estimate of the number of weakly joined surface pieces the crease graph has (≥ k). */
  pieces: number;
  /**
   * Activation classifiers (nearest centroid, softmax head) fitted on the headline segmentation's labels
   * of the even-numbered probe points (features: all layers concatenated for `crease`, the chosen layer for
   * `kmeans`), scored against the true parts (best permutation) on the odd-numbered surface points and on
   * interior volume points (sdf < −band).
   */
  classifier: { surface: { centroid: number; softmax: number }; volume: { centroid: number; softmax: number } };
}

/** Result of {@link probeShapes}. */
export interface ProbeReport {
  shapes: ShapeProbe[];
  /** Mean ARI of the headline label-free segmentation. */
  meanAri: number;
  /** Which segmentation `meanAri` averages. */
  method: "crease" | "kmeans";
  /** Mean ARI of activation k-means with the label-free (silhouette) layer choice. */
  meanKmeansAri: number;
  /** Mean ARI of activation k-means with the oracle (best) layer per shape. */
  meanOracleAri: number;
  /** Mean ARI of the crease segmentation on the decoder's normals alone. */
  meanCreaseAri: number;
  /** Mean crease ARI with each layer's activation affinity (same order as `meanLayerAri`). */
  meanCreaseLayerAri: number[];
  /** Mean classifier accuracies (see {@link ShapeProbe.classifier}). */
  meanClassifier: { surface: { centroid: number; softmax: number }; volume: { centroid: number; softmax: number } };
  /** Mean activation k-means ARI per layer over the shapes. */
  meanLayerAri: number[];
  /** Final training L1 (clamped). */
  finalL1: number;
  trainSeconds: number;
}

const __bounds = (spec: AssemblySpec, margin: number): [number[], number[]] => {
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const p of spec.parts) {
    const h = p.type === "sphere" ? [p.radius, p.radius, p.radius] : p.type === "box" ? p.halfExtents : ["x", "y", "z"].map((a) => (a === p.axis ? p.halfHeight : p.radius));
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a], p.center[a] - h[a] - margin);
      hi[a] = Math.max(hi[a], p.center[a] + h[a] + margin);
    }
  }
  return [lo, hi];
};

/**
 * `count` points with |sdf| < band, uniform in volume inside that band (rejection sampling in the
 * shape's bounding box), so they are area-weighted over the surface.
 */
export const sampleBand = (spec: AssemblySpec, sdf: Sdf, count: number, band: number, rng: Rng): Float32Array => {
  const [lo, hi] = __bounds(spec, band);
  const out = new Float32Array(3 * count);
  const B = 65536, p = new Float32Array(3 * B), d = new Float32Array(B);
  let n = 0, tries = 0;
  while (n < count) {
    if (++tries > 2000) throw new InvalidArgumentError("sampleBand", "band", `a band that holds points of '${spec.name}'`, band);
    for (let i = 0; i < 3 * B; i++) p[i] = rng.uniform(lo[i % 3], hi[i % 3]);
    sdf(p, d);
    for (let i = 0; i < B && n < count; i++)
      if (Math.abs(d[i]) < band) {
        out[3 * n] = p[3 * i];
        out[3 * n + 1] = p[3 * i + 1];
        out[3 * n + 2] = p[3 * i + 2];
        n++;
      }
  }
  return out;
};

/** `count` interior points (sdf < −depth), uniform in volume (rejection in the shape's box). */
export const sampleInterior = (spec: AssemblySpec, sdf: Sdf, count: number, depth: number, rng: Rng): Float32Array => {
  const [lo, hi] = __bounds(spec, 0);
  const out = new Float32Array(3 * count);
  const B = 65536, p = new Float32Array(3 * B), d = new Float32Array(B);
  let n = 0, tries = 0;
  while (n < count) {
    if (++tries > 2000) throw new InvalidArgumentError("sampleInterior", "depth", `a depth that leaves interior points of '${spec.name}'`, depth);
    for (let i = 0; i < 3 * B; i++) p[i] = rng.uniform(lo[i % 3], hi[i % 3]);
    sdf(p, d);
    for (let i = 0; i < B && n < count; i++)
      if (d[i] < -depth) {
        out.set(p.subarray(3 * i, 3 * i + 3), 3 * n);
        n++;
      }
  }
  return out;
};

/** @internal Row-wise concatenation of layers (n rows each). */
const __concat = (layers: FeatureLayer[], n: number): FeatureLayer => {
  const dim = layers.reduce((a, l) => a + l.dim, 0), data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let off = i * dim;
    for (const l of layers) {
      data.set(l.data.subarray(i * l.dim, (i + 1) * l.dim), off);
      off += l.dim;
    }
  }
  return { data, dim };
};

/** @internal Rows of a flat n × dim array. */
const __rows = (x: Float32Array, dim: number, pick: (i: number) => boolean, n: number): Float32Array => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (pick(i)) for (let d = 0; d < dim; d++) out.push(x[i * dim + d]);
  return Float32Array.from(out);
};

/**
 * Exact training samples for part assemblies (DeepSDF-like mix): 45 % surface points jittered by
 * N(0, 0.01²), 40 % jittered by N(0, 0.04²), 15 % uniform in [−1, 1]³; sdf from the analytic union.
 * Surface points come from a per-shape pool of 40,000 thin-band points (|sdf| < 0.002) drawn once.
 */
export const assemblySampleSource = (specs: AssemblySpec[], seed = 0): SampleSource => {
  const rng = createRng(seed ^ 0x5eed);
  const table = new Map<string, { sdf: Sdf; pool: Float32Array }>();
  for (const s of specs) {
    const sdf = assemblySdf(s);
    table.set(s.name, { sdf, pool: sampleBand(s, sdf, 40000, 0.002, rng) });
  }
  return {
    sample(shape: string, count: number, _mix: string, r: Rng): SdfSamples {
      const t = table.get(shape);
      if (!t) throw new InvalidArgumentError("assemblySampleSource.sample", "shape", [...table.keys()].join(", "), shape);
      const points = new Float32Array(3 * count), np = t.pool.length / 3;
      const a = Math.round(0.45 * count), b = Math.round(0.85 * count);
      for (let i = 0; i < count; i++) {
        if (i >= b) {
          for (let c = 0; c < 3; c++) points[3 * i + c] = r.uniform(-1, 1);
          continue;
        }
        const j = r.int(np), s = i < a ? 0.01 : 0.04;
        for (let c = 0; c < 3; c++) points[3 * i + c] = t.pool[3 * j + c] + s * r.normal();
      }
      return { points, sdf: t.sdf(points) };
    },
  };
};

/**
 * The activation-probing study on part assemblies: train ONE shared auto-decoder over all shapes
 * (exact samples from the analytic unions), then per shape probe `probePoints` points with
 * |sdf| < `band` and segment them into the true number of parts k, without labels, two ways:
 * - **crease** (the headline by default): a k-nearest-neighbour graph over the probe points whose edges
 *   weaken across the decoder's concave creases (its gradient at the points), cut by spectral clustering
 *   (`segmentSurfacePoints`); also once per layer with that layer's activation affinity multiplied in;
 * - **kmeans** (the seed's protocol): k-means on each hidden layer's standardised ReLU activations (and all
 *   layers concatenated); the reported layer is the one with the best mean silhouette (`selectLayer`).
 * Every segmentation is scored by ARI against the argmin-part labels, which are never read before scoring.
 * Needs a tfjs backend chosen by the caller.
 */
export const probeShapes = async (specsIn: AssemblySpec[], opts: Partial<ProbeShapesOptions> = {}): Promise<ProbeReport> => {
  const o = { ...DEFAULT_PROBE_SHAPES, ...opts };
  if (!Array.isArray(specsIn) || specsIn.length === 0) throw new InvalidArgumentError("probeShapes", "specs", "a non-empty array of assembly specs", specsIn);
  const specs = specsIn.map((s) => parseAssemblySpec(s));
  const names = specs.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new InvalidArgumentError("probeShapes", "specs", "shapes with distinct names", names);
  for (const [k, v, min] of [["epochs", o.epochs, 1], ["samplesPerScene", o.samplesPerScene, 2], ["probePoints", o.probePoints, 10], ["latentSize", o.latentSize, 1], ["peFrequencies", o.peFrequencies, 0]] as const)
    if (!Number.isInteger(v) || v < min) throw new InvalidArgumentError("probeShapes", k, `an integer >= ${min}`, v);
  if (!(o.band > 0)) throw new InvalidArgumentError("probeShapes", "band", "a number > 0", o.band);
  if (o.method !== "crease" && o.method !== "kmeans") throw new InvalidArgumentError("probeShapes", "method", "crease or kmeans", o.method);
  if (!(o.creaseScale > 0)) throw new InvalidArgumentError("probeShapes", "creaseScale", "a number > 0", o.creaseScale);
  for (const s of specs) if (s.parts.length < 2) throw new InvalidArgumentError("probeShapes", "specs", `every shape with at least 2 parts`, `${s.name}: ${s.parts.length}`);

  const net: NetworkSpecs = { latentSize: o.latentSize, dims: o.hidden, latentIn: [], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: o.peFrequencies };
  const decoder = DeepSdfDecoder.fromSpecs(net, { seed: o.seed });
  const half = Math.max(1, Math.round(o.epochs / 4));
  const train = validateSpecs({
    NetworkSpecs: { Preset: "seed-v2", dims: o.hidden, latent_in: [], dropout_prob: 0, weight_norm: false },
    CodeLength: o.latentSize,
    NumEpochs: o.epochs,
    LearningRateSchedule: [
      { Type: "Step", Initial: o.learningRate, Interval: 2 * half, Factor: 0.5 },
      { Type: "Step", Initial: o.learningRate, Interval: 2 * half, Factor: 0.5 },
    ],
    SamplesPerScene: o.samplesPerScene + (o.samplesPerScene % 2),
    ScenesPerBatch: specs.length,
    ClampingDistance: 0.1,
    Seed: o.seed,
  });
  const trainer = new CurriculumTrainer(decoder, names, assemblySampleSource(specs, o.seed), train, { onEpoch: o.onEpoch });
  const t0 = performance.now();
  try {
    const logs = await trainer.train();
    const trainSeconds = (performance.now() - t0) / 1000;
    const codes = trainer.codes.dataSync() as Float32Array;
    const rng = createRng(o.seed + 1);
    const nl = o.hidden.length;
    const shapes: ShapeProbe[] = [];
    for (let s = 0; s < specs.length; s++) {
      const spec = specs[s], k = spec.parts.length;
      const points = sampleBand(spec, assemblySdf(spec), o.probePoints, o.band, rng);
      const truth = assemblyLabels(spec, points);
      const latent = codes.slice(s * o.latentSize, (s + 1) * o.latentSize);
      const acts = await decoder.activations(latent, points, o.hidden.map((_, i) => i));
      const n = o.probePoints;
      const layers: FeatureLayer[] = acts.map((data, i) => ({ data, dim: o.hidden[i] }));
      layers.push(__concat(layers, n));
      const sel = selectLayer(layers, k, { rng: createRng(o.seed + 7 * s) });
      const layerAri = sel.labels.map((l) => adjustedRandIndex(truth, l));
      // crease segmentation: the decoder's own normals (central differences of its SDF) at the probe points
      const normals = sdfGradient(decoder.toSdf(latent), points);
      const crease = (features?: FeatureLayer, spectrumSize = 0) =>
        segmentSurfacePoints(points, normals, k, { creaseScale: o.creaseScale, features, neighbors: Math.min(10, n - 1), spectrumSize, rng: createRng(o.seed + 13 * s) });
      const creaseSeg = crease(undefined, Math.min(n - 1, 2 * k + 3));
      const creaseLayerAri = layers.map((l) => adjustedRandIndex(truth, crease(l).labels));
      const headline = o.method === "crease" ? creaseSeg.labels : sel.labels[sel.layer];
      await o.onShape?.({ spec, points, truth, labels: headline, layer: sel.layer });
      // classifiers: fit on the headline labels of even points, score odd points and interior points
      const featLayer = o.method === "crease" ? nl : sel.layer;
      const F = layers[featLayer];
      const even = (i: number) => i % 2 === 0, odd = (i: number) => i % 2 === 1;
      const xTrain = __rows(F.data, F.dim, even, n), yTrain = headline.filter((_, i) => even(i));
      const xSurf = __rows(F.data, F.dim, odd, n), tSurf = truth.filter((_, i) => odd(i));
      const nv = Math.min(2000, n);
      const vol = sampleInterior(spec, assemblySdf(spec), nv, o.band, rng);
      const vActs = await decoder.activations(latent, vol, o.hidden.map((_, i) => i));
      const vLayers: FeatureLayer[] = vActs.map((data, i) => ({ data, dim: o.hidden[i] }));
      vLayers.push(__concat(vLayers, nv));
      const xVol = vLayers[featLayer].data, tVol = assemblyLabels(spec, vol);
      const classifier = { surface: { centroid: 0, softmax: 0 }, volume: { centroid: 0, softmax: 0 } };
      for (const kind of ["centroid", "softmax"] as const) {
        const c = ActivationClassifier.fit(xTrain, F.dim, yTrain, { kind, epochs: 100, rng: createRng(o.seed + 11 * s) });
        classifier.surface[kind] = bestPermutationAccuracy(tSurf, c.predict(xSurf));
        classifier.volume[kind] = bestPermutationAccuracy(tVol, c.predict(xVol));
      }
      const creaseAri = adjustedRandIndex(truth, creaseSeg.labels), kmeansAri = layerAri[sel.layer];
      shapes.push({
        name: spec.name,
        k,
        ari: o.method === "crease" ? creaseAri : kmeansAri,
        method: o.method,
        accuracy: bestPermutationAccuracy(truth, headline),
        layer: sel.layer,
        kmeansAri,
        layerAri,
        silhouette: sel.scores,
        oracleAri: Math.max(...layerAri),
        creaseAri,
        creaseLayerAri,
        pieces: creaseSeg.pieces,
        classifier,
      });
    }
    const mean = (f: (x: ShapeProbe) => number) => shapes.reduce((a, x) => a + f(x), 0) / shapes.length;
    return {
      shapes,
      meanAri: mean((x) => x.ari),
      method: o.method,
      meanKmeansAri: mean((x) => x.kmeansAri),
      meanOracleAri: mean((x) => x.oracleAri),
      meanCreaseAri: mean((x) => x.creaseAri),
      meanCreaseLayerAri: Array.from({ length: nl + 1 }, (_, i) => mean((x) => x.creaseLayerAri[i])),
      meanClassifier: {
        surface: { centroid: mean((x) => x.classifier.surface.centroid), softmax: mean((x) => x.classifier.surface.softmax) },
        volume: { centroid: mean((x) => x.classifier.volume.centroid), softmax: mean((x) => x.classifier.volume.softmax) },
      },
      meanLayerAri: Array.from({ length: nl + 1 }, (_, i) => mean((x) => x.layerAri[i])),
      finalL1: logs.length ? logs[logs.length - 1].l1 : NaN,
      trainSeconds,
    };
  } finally {
    trainer.dispose();
    decoder.dispose();
  }
};

/** The seed study's published per-shape ARI (best layer per shape, an oracle choice; mean 0.559), from ANCHORS.md. */
export const SEED_PROBE_ARI: Readonly<Record<string, number>> = { lollipop: 0.996, mushroom: 0.96, snowman: 0.634, l_shape: 0.606, tower: 0.601, tpipe: 0.38, chair: 0.371, table: 0.249, barbell: 0.237 };

/**
 * The ARI table of a {@link ProbeReport} as Markdown: per shape k, the crease segmentation's ARI (decoder normals
 * alone, then with each layer's activation affinity), activation k-means ARI per layer (last: all layers
 * concatenated), k-means' label-free chosen layer and its ARI, the oracle layer's ARI, the seed's oracle ARI
 * where it has one, and the headline's best-permutation accuracy; a bold mean row. The headline column
 * (the report's `method`) is bold in the header.
 */
export const probeReportMarkdown = (r: ProbeReport): string => {
  const nl = r.meanLayerAri.length, name = (i: number) => (i === nl - 1 ? "all" : `${i}`);
  const crease = r.method === "crease" ? "**crease ARI (label-free)**" : "crease ARI (label-free)";
  const km = r.method === "kmeans" ? "**k-means ARI (label-free)**" : "k-means ARI (label-free)";
  const head = ["shape", "k", crease, ...Array.from({ length: nl }, (_, i) => `crease × layer ${name(i)}`), ...Array.from({ length: nl }, (_, i) => `k-means layer ${name(i)}`), "k-means chosen layer", km, "k-means ARI (oracle)", "seed ARI (oracle)", "accuracy"];
  const f = (x: number) => x.toFixed(3);
  const rows = r.shapes.map((s) => [s.name, s.k, f(s.creaseAri), ...s.creaseLayerAri.map(f), ...s.layerAri.map(f), name(s.layer), f(s.kmeansAri), f(s.oracleAri), SEED_PROBE_ARI[s.name]?.toFixed(3) ?? "–", f(s.accuracy)]);
  const bold = (x: number, on: boolean) => (on ? `**${f(x)}**` : f(x));
  rows.push(["**mean**", "", bold(r.meanCreaseAri, r.method === "crease"), ...r.meanCreaseLayerAri.map(f), ...r.meanLayerAri.map(f), "", bold(r.meanKmeansAri, r.method === "kmeans"), f(r.meanOracleAri), "0.559", f(r.shapes.reduce((a, s) => a + s.accuracy, 0) / r.shapes.length)]);
  return `| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|\n${rows.map((x) => `| ${x.join(" | ")} |`).join("\n")}`;
};
