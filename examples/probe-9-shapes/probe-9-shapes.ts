/**
 * The probing study on the 9 seed shapes: ONE shared decoder trained over all of them (`probeShapes` from
 * @sdfkit/cli — the same composition as `sdfkit probe` and `pnpm bench probe`), then per shape two label-free
 * segmentations of probe points near the surface into the true number of parts, scored by ARI: the crease
 * segmentation (spectral clustering of a neighbour graph cut at the decoder's concave creases; the headline)
 * and k-means on each layer's activations with the layer chosen by silhouette (the seed's protocol). Writes
 * report.md (the ARI table), report.json (the full ProbeReport), log.png / log.csv (training curves) and
 * probe.png: per shape the analytic mesh coloured by the true parts (left) and by the headline segmentation
 * (right; each vertex takes the part of its nearest probe point, renamed to the best-matching true part so
 * equal colours mean agreement).
 *
 *   pnpm --filter @sdfkit/example-probe-9-shapes start [-- --smoke] [--out DIR] [--epochs 400] [--samples 2048]
 *     [--points 5000] [--pe 6] [--size 160] [--seed 0]
 *
 * Settings: default 400 epochs × 2,048 samples per shape, 5,000 probe points (about 7.5 min on 2 cores; the seed
 * study trained 1,500: pass --epochs 1500); --smoke 10 × 256, 400 points (the test). The last stdout line is
 * the JSON summary.
 */
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { assemblyLabels, assemblySdf, KdTree, marchingCubes, SEED_SHAPES, sampleGrid, type AssemblySpec, type RgbaImage } from "@sdfkit/sdf-core";
import { writeFileAtomic } from "@sdfkit/sdf-core/node";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { probeReportMarkdown, probeShapes, type ProbedShape, type ProbeReport } from "@sdfkit/cli";
import { hungarian } from "@sdfkit/segmentation";
import { writeTrainingLog, type LogRow } from "@sdfkit/trainer";
import { drawLabel, renderMesh, tileImages } from "@sdfkit/render";
import { writePng } from "@sdfkit/render/node";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..", "..");

/** Options of {@link probe9Shapes}. */
export interface Probe9ShapesOptions {
  out: string;
  epochs: number;
  samples: number;
  points: number;
  pe: number;
  /** Render size per view in pixels. */
  size: number;
  seed: number;
  /** The shapes (default: the 9 seed shapes). */
  shapes?: readonly AssemblySpec[];
  log?: (s: string) => void;
}

/** Named settings: full (default) and smoke (the test). */
export const PROBE_9_SHAPES_SETTINGS = {
  full: { epochs: 400, samples: 2048, points: 5000, size: 160 },
  smoke: { epochs: 10, samples: 256, points: 400, size: 96 },
} as const;

/** Cluster ids renamed to the part they overlap most (Hungarian on the k × k overlap counts). */
export const matchClusters = (truth: Uint32Array, labels: Uint32Array, k: number): Uint32Array => {
  const count = new Float64Array(k * k);
  for (let i = 0; i < truth.length; i++) count[labels[i] * k + truth[i]]--; // cost = −overlap
  const part = hungarian(count, k, k);
  return labels.map((c) => part[c]);
};

/** Truth and cluster renders of one probed shape (its analytic mesh, iso view). */
const __pictures = (s: ProbedShape, size: number): RgbaImage[] => {
  const mesh = marchingCubes(sampleGrid(assemblySdf(s.spec), { res: 64 }));
  const truth = assemblyLabels(s.spec, mesh.positions);
  const k = s.spec.parts.length;
  const matched = matchClusters(s.truth, s.labels, k);
  const near = new KdTree(s.points).nearestBatch(mesh.positions).index;
  const clusters = Uint32Array.from(near, (i) => matched[i]);
  return [renderMesh(mesh, { view: "iso", size, labels: truth }), renderMesh(mesh, { view: "iso", size, labels: clusters })];
};

/** Train, probe, write report.md / report.json / log.png / probe.png into `o.out`; returns the report. */
export const probe9Shapes = async (o: Probe9ShapesOptions): Promise<ProbeReport> => {
  const log = o.log ?? ((s: string) => console.error(s));
  mkdirSync(o.out, { recursive: true });
  const t0 = performance.now();
  const backend = await selectBackend({ log: false });
  const pictures: RgbaImage[][] = [];
  const rows: LogRow[] = [];
  const every = Math.max(1, Math.round(o.epochs / 10));
  const r = await probeShapes([...(o.shapes ?? SEED_SHAPES)], {
    epochs: o.epochs,
    samplesPerScene: o.samples,
    probePoints: o.points,
    peFrequencies: o.pe,
    seed: o.seed,
    onEpoch: (e) => {
      rows.push({ epoch: e.epoch, values: { loss: e.loss, l1: e.l1 } });
      if (e.epoch % every === 0) log(`epoch ${e.epoch}/${o.epochs} L1 ${e.l1.toFixed(5)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    },
    onShape: (s) => void pictures.push(__pictures(s, o.size)),
  });
  const nl = r.meanLayerAri.length;
  const tiles = r.shapes.flatMap((s, i) => [
    drawLabel(pictures[i][0], `${s.name} parts`, 4, 4, 1),
    drawLabel(pictures[i][1], r.method === "crease" ? `ARI ${s.ari.toFixed(2)} crease` : `ARI ${s.ari.toFixed(2)} L${s.layer === nl - 1 ? "all" : s.layer}`, 4, 4, 1),
  ]);
  await writePng(join(o.out, "probe.png"), tileImages(tiles, 6, { gap: 2 }));
  await writeTrainingLog(o.out, rows); // log.csv + log.png (training curves of the shared decoder)
  const md = `# Activation probing on the ${r.shapes.length} seed shapes

One decoder (latent 64, 3 × 128 ReLU, positional encoding ${o.pe}) trained over all shapes together for
${o.epochs} epochs (${o.samples.toLocaleString("en")} exact samples per shape per step; ${r.trainSeconds.toFixed(0)} s on ${backend}, final L1 ${r.finalL1.toFixed(5)}).
Per shape: ${o.points.toLocaleString("en")} probe points with |sdf| < 0.015, segmented into the true number of parts
without labels, two ways, each scored by ARI against the true parts (the labels are read only to score):
- **crease**: a 10-nearest-neighbour graph over the probe points whose edge weights fall with the concavity
  between the decoder's normals (its gradient) at the two ends, cut by spectral clustering — alone, and with
  each layer's activation affinity multiplied in ("crease × layer");
- **k-means** on each hidden layer's standardised activations and on all layers concatenated (the seed's
  protocol); the chosen layer is the one whose clustering has the best mean silhouette. The oracle column
  (the best layer per shape) is how the seed reported its numbers (mean 0.559).

${probeReportMarkdown(r)}

Mean ARI, label-free: **${r.meanAri.toFixed(3)}** (${r.method}; issue goal ≥ 0.8; the seed's oracle mean 0.559). Crease
${r.meanCreaseAri.toFixed(3)}, activation k-means ${r.meanKmeansAri.toFixed(3)} (oracle layer ${r.meanOracleAri.toFixed(3)}).

Activation classifiers fitted on the ${r.method} segmentation (mean accuracy against the true parts): surface
${(100 * r.meanClassifier.surface.centroid).toFixed(1)} % (nearest centroid) / ${(100 * r.meanClassifier.surface.softmax).toFixed(1)} % (softmax), interior ${(100 * r.meanClassifier.volume.centroid).toFixed(1)} % / ${(100 * r.meanClassifier.volume.softmax).toFixed(1)} %.

Left of each pair: the true parts; right: the ${r.method} segmentation (colours matched to the parts).

![true parts vs clusters](probe.png)

Training curves of the shared decoder (loss and clamped L1 per epoch):

![training curves](log.png)
`;
  await writeFileAtomic(join(o.out, "report.md"), md);
  await writeFileAtomic(join(o.out, "report.json"), JSON.stringify({ settings: { epochs: o.epochs, samples: o.samples, points: o.points, pe: o.pe, seed: o.seed, backend }, ...r }, null, 2));
  log(`mean ARI ${r.meanAri.toFixed(3)} (${r.method}, label-free); k-means ${r.meanKmeansAri.toFixed(3)}, oracle layer ${r.meanOracleAri.toFixed(3)}; ${((performance.now() - t0) / 1000).toFixed(0)} s → ${o.out}`);
  return r;
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `pnpm --filter … start -- --flag` hands the script a leading "--"; drop it so the flags stay flags
  const argv = process.argv.slice(2);
  const { values: v } = parseArgs({
    args: argv[0] === "--" ? argv.slice(1) : argv,
    options: {
      out: { type: "string", default: join(repoRoot, "out", "probe-9-shapes") },
      smoke: { type: "boolean", default: false },
      epochs: { type: "string" },
      samples: { type: "string" },
      points: { type: "string" },
      pe: { type: "string", default: "6" },
      size: { type: "string" },
      seed: { type: "string", default: "0" },
    },
  });
  const base = PROBE_9_SHAPES_SETTINGS[v.smoke ? "smoke" : "full"];
  const num = (s: string | undefined, d: number) => (s === undefined ? d : Number(s));
  const r = await probe9Shapes({
    out: resolve(v.out!),
    epochs: num(v.epochs, base.epochs),
    samples: num(v.samples, base.samples),
    points: num(v.points, base.points),
    pe: Number(v.pe),
    size: num(v.size, base.size),
    seed: Number(v.seed),
  });
  console.log(JSON.stringify({ out: resolve(v.out!), meanAri: r.meanAri, method: r.method, meanKmeansAri: r.meanKmeansAri, meanOracleAri: r.meanOracleAri, shapes: r.shapes.map((s) => ({ name: s.name, k: s.k, ari: s.ari, layer: s.layer, accuracy: s.accuracy })) }));
}
