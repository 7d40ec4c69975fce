/**
 * Part-wise SDFs on the 9 seed shapes: one multi-head decoder per shape (shared trunk 3 × 128, PE 4, linear heads,
 * one head per part, union = min), trained with per-part supervision (each part's exact SDF) and an
 * eikonal term; per-part IoU, union IoU and interior ownership accuracy on a 64³ grid.
 * Goals (issue 6): per-part IoU ≥ 0.9, union IoU ≥ 0.97. No anchor can run here (the seed's part-wise
 * SDFs failed and published no number).
 * Run: `pnpm bench part-sdf` (env PART_SDF_STEPS, PART_SDF_SHAPES=snowman,chair to override).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SEED_SHAPES, createRng, partSdfs } from "@sdfkit/sdf-core";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { PartSdfDecoder, partIou, trainPartSdf } from "../src/model/index.js";

const steps = Number(process.env.PART_SDF_STEPS ?? 1500), batch = Number(process.env.PART_SDF_BATCH ?? 4096);
const only = process.env.PART_SDF_SHAPES?.split(",");
await selectBackend({ prefer: "wasm" });
const rows: { name: string; parts: number[]; union: number; ownership: number; seconds: number; l1: number }[] = [];
for (const spec of SEED_SHAPES) {
  if (only && !only.includes(spec.name)) continue;
  const t0 = performance.now();
  const truth = partSdfs(spec);
  const d = new PartSdfDecoder({ parts: truth.length }, { seed: 1 });
  const last = await trainPartSdf(d, truth, { steps, batchSize: batch, eikonalPoints: Math.max(256, batch >> 2), rng: createRng(2) });
  const t1 = performance.now();
  const r = partIou((p) => d.evaluateParts(p), truth, { res: 64 });
  console.error(`${spec.name}: training ${((t1 - t0) / 1000).toFixed(0)} s, IoU grid ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  d.dispose();
  rows.push({ name: spec.name, ...r, seconds: (performance.now() - t0) / 1000, l1: last.l1 });
  console.error(`${spec.name}: parts ${r.parts.map((x) => x.toFixed(3)).join(" ")} union ${r.union.toFixed(3)} ownership ${r.ownership.toFixed(3)} (${rows[rows.length - 1].seconds.toFixed(0)} s)`);
}
const mean = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
console.log(`steps ${steps}, batch ${batch}, eikonal weight 0.1, grid 64³ over [-1, 1]³`);
console.log("| shape | parts | per-part IoU | min part IoU | union IoU | interior ownership | final L1 | s |\n|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${r.parts.length} | ${r.parts.map((x) => x.toFixed(3)).join(", ")} | ${Math.min(...r.parts).toFixed(3)} | ${r.union.toFixed(3)} | ${r.ownership.toFixed(3)} | ${r.l1.toFixed(4)} | ${r.seconds.toFixed(0)} |`);
console.log(`| **mean** | | ${mean((r) => r.parts.reduce((a, b) => a + b, 0) / r.parts.length).toFixed(3)} | ${mean((r) => Math.min(...r.parts)).toFixed(3)} | ${mean((r) => r.union).toFixed(3)} | ${mean((r) => r.ownership).toFixed(3)} | | |`);
const dir = join(dirname(fileURLToPath(import.meta.url)), "../../../bench/results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "part-sdf.json.tmp"), JSON.stringify({ steps, rows }, null, 2));
renameSync(join(dir, "part-sdf.json.tmp"), join(dir, "part-sdf.json"));
