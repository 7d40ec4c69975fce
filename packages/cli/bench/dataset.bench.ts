/**
 * The DeepCAD → TinyLLaVA pipeline's stages on a synthetic DeepCAD-layout tree built by replicating the
 * 21 real files of ../shared/data/deepcad under new ids (N files, default 6,000):
 *   extract (parse check, and the solid check), convert (samples = images, 3 views per model), and the
 *   render stage (solids + 3 views at 512² through @sdfkit/render's worker pool) on a slice of the tree.
 * Anchors: the seed's stated rates (extraction ~50,000 files/min, conversion ~25,000 samples/min,
 * rendering ~10,933 models/min); the seed cannot run here, so ratios are to those stated figures.
 * Goals: extraction ≥ 2×, conversion ≥ 10×.
 *   pnpm bench dataset   (or: node --conditions=source --import tsx packages/cli/bench/dataset.bench.ts [N] [renderN])
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { convertDataset, extractSubset, renderDataset } from "../../vlm-data/src/node/index.js";
import { meshBatchRenderer } from "../src/commands/dataset.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const data = process.env.SDFKIT_SHARED_DATA ?? resolve(root, "..", "shared", "data");
const N = Number(process.argv[2] ?? 6000);
const RENDER_N = Number(process.argv[3] ?? 120);
const SEED = { extract: 50000, convert: 25000, render: 10933 };

const real = readdirSync(join(data, "deepcad")).filter((f) => f.endsWith(".json")).sort().map((f) => readFileSync(join(data, "deepcad", f), "utf8"));
const tmp = mkdtempSync(join(tmpdir(), "sdfkit-dataset-bench-"));
const src = join(tmp, "src");
for (let i = 0; i < N; i++) {
  const id = String(10_000_000 + i).padStart(8, "0");
  const d = join(src, "cad_json", id.slice(0, 4));
  if (i % 10000 === 0 || id.endsWith("0000")) mkdirSync(d, { recursive: true });
  writeFileSync(join(d, `${id}.json`), real[i % real.length]);
}
console.log(`synthetic tree: ${N} files (the 21 real ones replicated) in ${src}; ${cpus().length} CPUs (${cpus()[0].model})`);

const rows: Record<string, unknown>[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// extract, parse check: 3 runs into fresh folders
const ex: number[] = [];
for (let r = 0; r < 3; r++) {
  const out = join(tmp, `ex${r}`);
  const t0 = performance.now();
  const rep = await extractSubset(src, out, { train: Math.floor(N * 0.9), val: N - Math.floor(N * 0.9), seed: r });
  const s = (performance.now() - t0) / 1000;
  ex.push(rep.examined / s * 60);
}
const exRate = median(ex);
console.log(`extract (parse check): ${exRate.toFixed(0)} files/min (median of 3) = ${(exRate / SEED.extract).toFixed(2)}× the seed's 50,000/min (goal ≥ 2×)`);
rows.push({ stage: "extract", check: "parse", filesPerMin: exRate, ratio: exRate / SEED.extract });

{
  const t0 = performance.now();
  const rep = await extractSubset(src, join(tmp, "excopy"), { train: Math.floor(N * 0.9), val: N - Math.floor(N * 0.9), files: "copy" });
  const rate = (rep.examined / ((performance.now() - t0) / 1000)) * 60;
  console.log(`extract (parse check, --copy instead of hard links): ${rate.toFixed(0)} files/min = ${(rate / SEED.extract).toFixed(2)}× the seed's 50,000/min`);
  rows.push({ stage: "extract", check: "parse", files: "copy", filesPerMin: rate, ratio: rate / SEED.extract });
}

const solidN = Math.min(N, 1000);
{
  const t0 = performance.now();
  const rep = await extractSubset(src, join(tmp, "exsolid"), { train: solidN, val: 0, check: "solid" });
  const rate = (rep.examined / ((performance.now() - t0) / 1000)) * 60;
  console.log(`extract (solid check, one thread, ${solidN} files): ${rate.toFixed(0)} files/min = ${(rate / SEED.extract).toFixed(2)}× the seed's extraction rate`);
  rows.push({ stage: "extract", check: "solid", filesPerMin: rate, ratio: rate / SEED.extract });
}

// convert: needs rendering_metadata.json; list 3 views per model without drawing them (convert reads no pixels)
const conv = join(tmp, "ex0");
const split = JSON.parse(readFileSync(join(conv, "train_val_split.json"), "utf8"));
const models = [...split.train, ...split.validation].map((id: string) => ({ id, images: ["front", "top", "right"].map((v) => `${id.slice(5)}_${v}.png`), triangles: 0, volume: 0, watertight: true }));
writeFileSync(join(conv, "rendering_metadata.json"), JSON.stringify({ views: ["front", "top", "right"], size: 512, grid: false, models, failed: [], ms: { solids: 0, render: 0 } }));
const cv: number[] = [];
let samples = 0;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const rep = await convertDataset(conv, { seed: r });
  samples = rep.train + rep.val + rep.droppedOverTokenLimit;
  cv.push((samples / ((performance.now() - t0) / 1000)) * 60);
}
const cvRate = median(cv);
console.log(`convert: ${cvRate.toFixed(0)} samples/min (${samples} samples, median of 3) = ${(cvRate / SEED.convert).toFixed(2)}× the seed's 25,000/min (goal ≥ 10×)`);
rows.push({ stage: "convert", samplesPerMin: cvRate, ratio: cvRate / SEED.convert });

// render stage: solids + 3 views at 512² on a slice
{
  const out = join(tmp, "render");
  await extractSubset(src, out, { train: RENDER_N, val: 0, seed: 0 });
  const t0 = performance.now();
  const meta = await renderDataset(out, { renderer: meshBatchRenderer });
  const s = (performance.now() - t0) / 1000;
  const rate = (meta.models.length / s) * 60;
  console.log(`render stage (${meta.models.length} models, solids ${(meta.ms.solids / 1000).toFixed(1)} s + 3 views at 512² ${(meta.ms.render / 1000).toFixed(1)} s, worker pool): ${rate.toFixed(0)} models/min = ${(rate / SEED.render).toFixed(2)}× the seed's 10,933/min`);
  rows.push({ stage: "render", models: meta.models.length, modelsPerMin: rate, ratio: rate / SEED.render, solidsMs: meta.ms.solids, renderMs: meta.ms.render });
}

rmSync(tmp, { recursive: true, force: true });
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "dataset.json"), JSON.stringify({ date: new Date().toISOString(), N, rows }, null, 2));
