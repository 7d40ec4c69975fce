import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SEED_SHAPES, parseAssemblySpec, type AssemblySpec } from "@sdfkit/sdf-core";
import { selectBackend } from "@sdfkit/sdf-core/model";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";
import { DEFAULT_PROBE_SHAPES, probeShapes } from "../probe-shapes.js";

const USAGE = `sdfkit probe [--shapes SPEC.json] [--epochs 1500] [--samples 2048] [--points 5000] [--pe 6] [--seed 0] [--method crease|kmeans] [--json]
  --shapes FILE   part assemblies: one spec { name, parts }, an array of them, or { "shapes": [...] }
                  (default: the 9 built-in seed shapes)
  --epochs N      training epochs of the shared decoder (one step over all shapes each)
  --samples N     training samples per shape per step
  --points N      probe points per shape (|sdf| < 0.015)
  --pe F          positional-encoding frequencies of the decoder (0 = raw xyz)
  --seed S        seed of every random choice
  --method M      the headline label-free segmentation: crease (default) or kmeans (both are reported)
  --json          print { shapes: [{ name, k, ari, layer, accuracy, kmeansAri, layerAri, creaseAri, creaseLayerAri, … }], meanAri, … } only
Trains one decoder (latent 64, PE --pe, 3 × 128) over all shapes, then segments each shape's probe points
into its true number of parts without labels, two ways, and scores both by ARI:
  crease  spectral clustering of a k-nearest-neighbour graph of the probe points whose edges weaken across the
          decoder's concave creases (its gradient), alone and with each layer's activation affinity;
  kmeans  k-means on each layer's activations; 'layer' is chosen without labels (best mean silhouette of the
          standardised clustering); the last layer index means all layers concatenated.`;

const __readShapes = (file: string): AssemblySpec[] => {
  const raw = JSON.parse(readFileSync(file, "utf8")) as unknown;
  const list = Array.isArray(raw) ? raw : typeof raw === "object" && raw !== null && "shapes" in raw ? (raw as { shapes: unknown }).shapes : [raw];
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${file}: expected a spec, an array of specs or { "shapes": [...] }`);
  return list.map((s, i) => {
    try {
      return parseAssemblySpec(s);
    } catch (e) {
      throw new Error(`${file}: shape ${i}: ${(e as Error).message}`);
    }
  });
};

/** `sdfkit probe`: the activation-probing study (train one shared decoder, cluster activations per layer, ARI). */
export const probeCommand: Command = {
  name: "probe",
  summary: "train one decoder over part assemblies, segment each shape without labels (decoder creases; activation k-means) and score by ARI",
  usage: USAGE,
  async run(argv) {
    let a;
    try {
      a = parseArgs({
        args: argv,
        options: {
          shapes: { type: "string" },
          epochs: { type: "string", default: String(DEFAULT_PROBE_SHAPES.epochs) },
          samples: { type: "string", default: String(DEFAULT_PROBE_SHAPES.samplesPerScene) },
          points: { type: "string", default: String(DEFAULT_PROBE_SHAPES.probePoints) },
          pe: { type: "string", default: String(DEFAULT_PROBE_SHAPES.peFrequencies) },
          seed: { type: "string", default: "0" },
          method: { type: "string", default: DEFAULT_PROBE_SHAPES.method },
          json: { type: "boolean", default: false },
          help: { type: "boolean", short: "h", default: false },
        },
      });
    } catch (e) {
      console.error(`sdfkit probe: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    const v = a.values;
    if (v.help) {
      console.log(USAGE);
      return 0;
    }
    const epochs = Number(v.epochs), samples = Number(v.samples), points = Number(v.points), seed = Number(v.seed), pe = Number(v.pe);
    if (!Number.isInteger(epochs) || epochs < 1 || !Number.isInteger(samples) || samples < 2 || !Number.isInteger(points) || points < 10 || !Number.isInteger(seed) || !Number.isInteger(pe) || pe < 0) {
      console.error(`sdfkit probe: --epochs (>= 1), --samples (>= 2), --points (>= 10), --pe (>= 0) and --seed must be integers\n${USAGE}`);
      return 2;
    }
    const method = v.method;
    if (method !== "crease" && method !== "kmeans") {
      console.error(`sdfkit probe: --method must be crease or kmeans, got '${method}'\n${USAGE}`);
      return 2;
    }
    try {
      const shapes = v.shapes ? __readShapes(v.shapes) : [...SEED_SHAPES];
      await selectBackend({ log: !v.json });
      const progress = createProgress("probe", epochs, { quiet: v.json });
      const r = await probeShapes(shapes, { epochs, samplesPerScene: samples, probePoints: points, peFrequencies: pe, seed, method, onEpoch: (e) => progress.update(e.epoch, `L1 ${e.l1.toFixed(4)}`) });
      progress.stop();
      if (v.json) console.log(JSON.stringify(r));
      else {
        const nl = r.meanLayerAri.length;
        const f = (x: number) => x.toFixed(3);
        for (const s of r.shapes)
          console.log(
            `${s.name.padEnd(10)} k=${s.k}  ARI ${f(s.ari)} (${s.method}, accuracy ${(100 * s.accuracy).toFixed(1)} %)  crease ${f(s.creaseAri)}  k-means ${f(s.kmeansAri)} (layer ${s.layer === nl - 1 ? "all" : s.layer}; per layer ${s.layerAri.map(f).join(" ")})`,
          );
        console.log(`mean ARI ${f(r.meanAri)} (${r.method}, label-free): crease ${f(r.meanCreaseAri)}, k-means ${f(r.meanKmeansAri)} (oracle layer ${f(r.meanOracleAri)}); training ${r.trainSeconds.toFixed(0)} s`);
      }
      return 0;
    } catch (e) {
      console.error(`sdfkit probe: ${(e as Error).message}`);
      return 1;
    }
  },
};
