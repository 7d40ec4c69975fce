import type { AssemblySpec, Rng, SampleSource, Sdf, SdfSamples } from "@sdfkit/sdf-core";
import { assemblyLabels, assemblySdf, createRng, InvalidArgumentError, parseAssemblySpec } from "@sdfkit/sdf-core";
import { DeepSdfDecoder, type NetworkSpecs } from "@sdfkit/sdf-core/model";
import { ActivationClassifier, adjustedRandIndex, bestPermutationAccuracy, selectLayer, type FeatureLayer } from "@sdfkit/segmentation";
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
  /** k-means cluster per probe point on the chosen layer. */
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
};

/** Result for one shape: the label-free choice plus every layer's score. */
export interface ShapeProbe {
  name: string;
  /** True number of parts (used as k). */
  k: number;
  /** ARI of the label-free chosen layer. */
  ari: number;
  /** Chosen layer: 0 .. hidden-1, or `hidden.length` for all layers concatenated. */
  layer: number;
  /** Best-permutation accuracy of the chosen layer's clustering. */
  accuracy: number;
  /** ARI per layer (last entry: all layers concatenated). */
  layerAri: number[];
  /** Mean silhouette per layer (the label-free score the choice maximises). */
  silhouette: number[];
  /** The best layer's ARI (an oracle choice, reported for comparison with the seed only). */
  oracleAri: number;
  /**
   * Activation classifiers (nearest centroid, softmax head) fitted on the chosen layer's clusters of
   * the even-numbered probe points, scored against the true parts (best permutation) on the odd-numbered
   * surface points and on interior volume points (sdf < −band).
   */
  classifier: { surface: { centroid: number; softmax: number }; volume: { centroid: number; softmax: number } };
}

/** Result of {@link probeShapes}. */
export interface ProbeReport {
  shapes: ShapeProbe[];
  /** Mean ARI of the label-free choice. */
  meanAri: number;
  /** Mean ARI of the oracle (best) layer per shape. */
  meanOracleAri: number;
  /** Mean classifier accuracies (see {@link ShapeProbe.classifier}). */
  meanClassifier: { surface: { centroid: number; softmax: number }; volume: { centroid: number; softmax: number } };
  /** Mean ARI per layer over the shapes. */
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
 * |sdf| < `band`, cluster each hidden layer's ReLU activations (and all layers concatenated) into
 * the true number of parts with k-means, and score each clustering by ARI against the argmin-part
 * labels. The reported layer is chosen WITHOUT the labels: the layer whose standardised k-means
 * clustering has the highest mean silhouette (`selectLayer`). Needs a tfjs backend chosen by the caller.
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
      await o.onShape?.({ spec, points, truth, labels: sel.labels[sel.layer], layer: sel.layer });
      // classifiers on the chosen layer: fit on the clusters of even points, score odd points and interior points
      const F = layers[sel.layer], cl = sel.labels[sel.layer];
      const even = (i: number) => i % 2 === 0, odd = (i: number) => i % 2 === 1;
      const xTrain = __rows(F.data, F.dim, even, n), yTrain = cl.filter((_, i) => even(i));
      const xSurf = __rows(F.data, F.dim, odd, n), tSurf = truth.filter((_, i) => odd(i));
      const nv = Math.min(2000, n);
      const vol = sampleInterior(spec, assemblySdf(spec), nv, o.band, rng);
      const vActs = await decoder.activations(latent, vol, o.hidden.map((_, i) => i));
      const vLayers: FeatureLayer[] = vActs.map((data, i) => ({ data, dim: o.hidden[i] }));
      vLayers.push(__concat(vLayers, nv));
      const xVol = vLayers[sel.layer].data, tVol = assemblyLabels(spec, vol);
      const classifier = { surface: { centroid: 0, softmax: 0 }, volume: { centroid: 0, softmax: 0 } };
      for (const kind of ["centroid", "softmax"] as const) {
        const c = ActivationClassifier.fit(xTrain, F.dim, yTrain, { kind, epochs: 100, rng: createRng(o.seed + 11 * s) });
        classifier.surface[kind] = bestPermutationAccuracy(tSurf, c.predict(xSurf));
        classifier.volume[kind] = bestPermutationAccuracy(tVol, c.predict(xVol));
      }
      shapes.push({
        name: spec.name,
        k,
        ari: layerAri[sel.layer],
        layer: sel.layer,
        accuracy: bestPermutationAccuracy(truth, sel.labels[sel.layer]),
        layerAri,
        silhouette: sel.scores,
        oracleAri: Math.max(...layerAri),
        classifier,
      });
    }
    const mean = (f: (x: ShapeProbe) => number) => shapes.reduce((a, x) => a + f(x), 0) / shapes.length;
    return {
      shapes,
      meanAri: mean((x) => x.ari),
      meanOracleAri: mean((x) => x.oracleAri),
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
 * The ARI table of a {@link ProbeReport} as Markdown: per shape k, ARI per layer (last column: all layers
 * concatenated), the label-free chosen layer and its ARI, best-permutation accuracy, the oracle ARI and the
 * seed's oracle ARI where it has one; a bold mean row.
 */
export const probeReportMarkdown = (r: ProbeReport): string => {
  const nl = r.meanLayerAri.length;
  const head = ["shape", "k", ...Array.from({ length: nl }, (_, i) => (i === nl - 1 ? "ARI all layers" : `ARI layer ${i}`)), "chosen layer", "ARI (label-free)", "accuracy", "ARI (oracle)", "seed ARI (oracle)"];
  const rows = r.shapes.map((s) => [s.name, s.k, ...s.layerAri.map((a) => a.toFixed(3)), s.layer === nl - 1 ? "all" : s.layer, s.ari.toFixed(3), s.accuracy.toFixed(3), s.oracleAri.toFixed(3), SEED_PROBE_ARI[s.name]?.toFixed(3) ?? "–"]);
  rows.push(["**mean**", "", ...r.meanLayerAri.map((a) => a.toFixed(3)), "", `**${r.meanAri.toFixed(3)}**`, (r.shapes.reduce((a, s) => a + s.accuracy, 0) / r.shapes.length).toFixed(3), r.meanOracleAri.toFixed(3), "0.559"]);
  return `| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|\n${rows.map((x) => `| ${x.join(" | ")} |`).join("\n")}`;
};
