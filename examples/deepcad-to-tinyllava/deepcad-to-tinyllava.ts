/**
 * The whole DeepCAD → TinyLLaVA pipeline on the 21 real DeepCAD files of ../shared/data/deepcad:
 * a DeepCAD-layout source tree (cad_json/XXXX/ID.json, linked) → extract a seeded train/val subset →
 * exact solids + rendered views (iso, front, top, right and OpenECAD's 2×2 grid) → TinyLLaVA
 * conversation JSON → validation; writes contact-sheet.png and report.md next to the dataset.
 *   node --conditions=source --import tsx examples/deepcad-to-tinyllava/deepcad-to-tinyllava.ts [OUT_DIR] [SIZE] [WORKERS]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readMesh, writeFileAtomic } from "@sdfkit/sdf-core/node";
import { renderMesh, tileImages, type ViewName } from "@sdfkit/render";
import { renderBatch, writePng } from "@sdfkit/render/node";
import { buildSolid, encodeCadVec, parseDeepCad } from "@sdfkit/vlm-data";
import { convertDataset, extractSubset, renderDataset, validateDataset, type BatchRenderer } from "@sdfkit/vlm-data/node";

const root = resolve(import.meta.dirname, "../..");
const deepcad = process.env.SDFKIT_SHARED_DATA ? join(process.env.SDFKIT_SHARED_DATA, "deepcad") : join(root, "../shared/data/deepcad");
// `pnpm --filter … start -- ARGS` hands the script a leading "--"; drop it so positions stay positions
const args = process.argv.slice(2).filter((a, i) => i > 0 || a !== "--");
const outDir = args[0] ? resolve(args[0]) : mkdtempSync(join(tmpdir(), "sdfkit-deepcad-"));
const size = Number(args[1] ?? 512);
const workers = Number(args[2] ?? availableParallelism());
mkdirSync(outDir, { recursive: true });
const t0 = performance.now();

// 1. a DeepCAD-layout source tree over the shared files
const src = join(outDir, "source");
rmSync(src, { recursive: true, force: true });
const files = readdirSync(deepcad).filter((f) => f.endsWith(".json")).sort();
for (const f of files) {
  const dir = join(src, "cad_json", f.slice(0, 4));
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(deepcad, f), join(dir, f));
}

// 2. extract: 17 train + 4 val, every model checked to reconstruct watertight
const ds = join(outDir, "dataset");
const ex = await extractSubset(src, ds, { train: 17, val: 4, seed: 0, check: "solid", files: "copy" });
console.log(`extract: ${ex.train.length} train, ${ex.val.length} val, ${ex.skipped.length} skipped`);

// 3. render: iso + front/top/right and the 2×2 grid, through @sdfkit/render's worker pool
const renderer: BatchRenderer = (meshFiles, o) => renderBatch(meshFiles, { outDir: o.outDir, views: o.views as ViewName[], size: o.size, grid: o.grid, workers, onProgress: o.onProgress });
const meta = await renderDataset(ds, { renderer, views: ["iso", "front", "top", "right"], size, grid: true });
console.log(`render: ${meta.models.length} models, solids ${(meta.ms.solids / 1000).toFixed(1)} s, views ${(meta.ms.render / 1000).toFixed(1)} s`);

// 4. convert: code targets, token limit 2048 (OpenECAD's)
const conv = await convertDataset(ds, { seed: 0, target: "code", tokenLimit: 2048 });
console.log(`convert: ${conv.train} train + ${conv.val} val records (${conv.droppedOverTokenLimit} images dropped over 2048 tokens)`);

// 5. validate
const val = await validateDataset(ds);
console.log(`validate: ${val.valid ? "VALID" : "INVALID"} (${val.errors.length} errors, ${val.warnings.length} warnings)`);

// pictures: one iso view per model, captioned
const isoViews = [];
for (const m of meta.models) isoViews.push(renderMesh(await readMesh(join(ds, "meshes", `${m.id.slice(5)}.stl`)), { view: "iso", size: 160 }));
const sheet = tileImages(isoViews, 7, { labels: meta.models.map((m) => m.id.slice(5)), gap: 2 });
await writePng(join(outDir, "contact-sheet.png"), sheet);

// report: per model facts, recorded-box agreement, cad_vec fit
const rows = ["| model | set | extrudes | triangles | volume (cm³) | watertight | recorded bbox rel. error | cad_vec |", "|---|---|---|---|---|---|---|---|"];
for (const m of meta.models) {
  const model = parseDeepCad(readFileSync(join(ds, "cad_json", `${m.id}.json`), "utf8"));
  const solid = await buildSolid(model);
  const bb = model.boundingBox!;
  const extent = Math.max(...bb.max.map((v, i) => v - bb.min[i]));
  let err = 0;
  for (let i = 0; i < 3; i++) err = Math.max(err, Math.abs(solid.bbox.min[i] - bb.min[i]), Math.abs(solid.bbox.max[i] - bb.max[i]));
  const vec = encodeCadVec(model);
  rows.push(`| ${m.id} | ${ex.train.includes(m.id) ? "train" : "val"} | ${model.extrudes.length} | ${m.triangles} | ${(m.volume * 1e6).toFixed(3)} | ${m.watertight ? "yes" : "no"} | ${(err / extent).toExponential(1)} | ${vec.ok ? `${vec.vec.rows} rows` : vec.reason} |`);
}
const sample = JSON.parse(readFileSync(join(ds, "train.json"), "utf8"))[0];
const report = `# DeepCAD → TinyLLaVA (21 real files)

![contact sheet](contact-sheet.png)

- extract: ${ex.train.length} train + ${ex.val.length} val (seed 0, every model checked watertight), ${ex.skipped.length} skipped
- render: ${meta.models.length} models × (iso, front, top, right + 2×2 grid) at ${size}²; solids ${(meta.ms.solids / 1000).toFixed(1)} s, views ${(meta.ms.render / 1000).toFixed(1)} s
- convert: ${conv.train} train + ${conv.val} val records; ${conv.droppedOverTokenLimit} images dropped over ${conv.tokens.limit} tokens; mean ${conv.tokens.mean.toFixed(0)} tokens, max ${conv.tokens.max}
- validate: **${val.valid ? "VALID" : "INVALID"}**, ${val.stats.images} images at ${val.stats.resolution?.join("×")}, average human ${val.stats.avgHumanChars.toFixed(0)} / answer ${val.stats.avgAnswerChars.toFixed(0)} characters${val.errors.map((e) => `\n  - error: ${e}`).join("")}${val.warnings.map((w) => `\n  - warning: ${w}`).join("")}
- total ${((performance.now() - t0) / 1000).toFixed(1)} s

${rows.join("\n")}

## One record

\`\`\`json
${JSON.stringify({ ...sample, conversations: sample.conversations.map((c: { from: string; value: string }) => ({ ...c, value: c.value.length > 400 ? `${c.value.slice(0, 400)}…` : c.value })) }, null, 1)}
\`\`\`
`;
await writeFileAtomic(join(outDir, "report.md"), report);
console.log(`wrote ${join(outDir, "report.md")} and contact-sheet.png; dataset in ${ds}`);
process.exit(val.valid ? 0 : 1);
