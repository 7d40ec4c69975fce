/**
 * The probing study on the 9 seed shapes (`sdfkit probe` at its full setting): one shared decoder (latent
 * 64, PE 6, 3 × 128) trained 1,500 epochs on exact samples, 5,000 probe points with |sdf| < 0.015 per shape,
 * segmented without labels by the crease graph on the decoder's normals (the headline) and by k-means per
 * layer with the silhouette layer choice (the seed's protocol; also the oracle layer); ARI for each. Anchor:
 * the seed's reported per-shape ARI (oracle layer), mean 0.559 (ANCHORS.md); the seed cannot run here.
 * Run: `pnpm bench probe` (env PROBE_EPOCHS, PROBE_SAMPLES, PROBE_SEED override the setting).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SEED_SHAPES } from "@sdfkit/sdf-core";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { probeReportMarkdown, probeShapes } from "../src/probe-shapes.js";

const epochs = Number(process.env.PROBE_EPOCHS ?? 1500), samples = Number(process.env.PROBE_SAMPLES ?? 2048), seed = Number(process.env.PROBE_SEED ?? 0);
const pe = process.env.PROBE_PE === undefined ? undefined : Number(process.env.PROBE_PE);
await selectBackend({ prefer: "wasm" });
const r = await probeShapes([...SEED_SHAPES], {
  epochs,
  samplesPerScene: samples,
  seed,
  ...(pe === undefined ? {} : { peFrequencies: pe }),
  onEpoch: (e) => {
    if (e.epoch % 100 === 0) console.error(`epoch ${e.epoch} l1 ${e.l1.toFixed(5)} ${e.seconds.toFixed(2)} s/epoch`);
  },
});
console.log(`PE ${pe ?? "default"}, epochs ${epochs}, samples/shape/step ${samples}, seed ${seed}; training ${r.trainSeconds.toFixed(0)} s, final L1 ${r.finalL1.toFixed(5)}`);
console.log(probeReportMarkdown(r));
console.log("\n| shape | classifier surface centroid | surface softmax | volume centroid | volume softmax |\n|---|---|---|---|---|");
for (const s of r.shapes) console.log(`| ${s.name} | ${s.classifier.surface.centroid.toFixed(3)} | ${s.classifier.surface.softmax.toFixed(3)} | ${s.classifier.volume.centroid.toFixed(3)} | ${s.classifier.volume.softmax.toFixed(3)} |`);
const mc = r.meanClassifier;
console.log(`| **mean** | ${mc.surface.centroid.toFixed(3)} | ${mc.surface.softmax.toFixed(3)} | ${mc.volume.centroid.toFixed(3)} | ${mc.volume.softmax.toFixed(3)} |`);
console.log(`mean ARI label-free ${r.meanAri.toFixed(3)} (${r.method}; goal 0.8; seed oracle 0.559, ratio ${(r.meanAri / 0.559).toFixed(2)}); activation k-means ${r.meanKmeansAri.toFixed(3)}, oracle layer ${r.meanOracleAri.toFixed(3)}`);
const dir = join(dirname(fileURLToPath(import.meta.url)), "../../../bench/results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "probe.json.tmp"), JSON.stringify({ epochs, samples, seed, ...r }, null, 2));
renameSync(join(dir, "probe.json.tmp"), join(dir, `probe-${epochs}-${seed}-pe${pe ?? "d"}.json`));
