/**
 * Models/s for 3 views (front, top, right) at 512² including PNG encoding and writing, over a pool
 * of worker threads, on meshes the size of DeepCAD parts: every STEP part of ../shared/data plus the
 * small OBJ meshes, converted once to binary PLY and replicated to N models. Also the single-thread
 * cost of one frame (rasterise + shade) and of one PNG encode (fflate vs native zlib).
 * Anchor: the seed's stated 10,933 models/min (182 models/s, matplotlib, 3 views at 512²); the seed
 * itself cannot run here, so the ratio is to that stated figure.
 * The DeepCAD solids (the goal's data) run at N and at 5·N models, 3 repetitions each: a batch's
 * figure includes starting the worker threads (measured apart as a 2-model batch), which a 100 K
 * dataset amortises. `deepcad` as the second argument skips the STEP/OBJ table. Files go to a new
 * folder under os.tmpdir() (SDFKIT_BENCH_TMP to choose another): creating a file on this machine's
 * disk costs 0.05–3 ms depending on the folder and on the other jobs, part of the spread between runs.
 * With packages/render/dist present (`pnpm build`), the DeepCAD rows are run again with the built
 * package in a plain Node process (bench/built-batch.mjs), whose workers start without compiling TypeScript.
 *   pnpm bench render-batch [N] [deepcad]   (or: node --conditions=source --import tsx packages/render/bench/render-batch.bench.ts [N] [deepcad])
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { encodePng, serializePly, meshReport } from "../../sdf-core/src/index.js";
import { readMesh, nodeDeflate } from "../../sdf-core/src/node/index.js";
import { renderMesh } from "../src/index.js";
import { renderBatch } from "../src/node/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const data = process.env.SDFKIT_SHARED_DATA ?? resolve(root, "..", "shared", "data");
const N = Number(process.argv[2] ?? 240);
const deepcadOnly = process.argv[3] === "deepcad";
const SEED_RATE = 10933 / 60;

const sources = [
  ...readdirSync(join(data, "step")).map((f) => join(data, "step", f)),
  ...["cow.obj", "spot.obj", "suzanne.obj", "teapot.obj", "fandisk.obj"].map((f) => join(data, "obj", f)),
];
const dir = mkdtempSync(join(process.env.SDFKIT_BENCH_TMP ?? tmpdir(), "sdfkit-render-bench-"));
const meshes = [];
for (const s of sources) meshes.push(await readMesh(s));
const tris = meshes.map((m) => meshReport(m).triangles);
const inputs: string[] = [];
for (let i = 0; i < N; i++) {
  const f = join(dir, "in", `m${String(i).padStart(5, "0")}.ply`);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, serializePly(meshes[i % meshes.length]));
  inputs.push(f);
}
console.log(`${meshes.length} distinct meshes (${Math.min(...tris)}–${Math.max(...tris)} triangles, median ${tris.sort((a, b) => a - b)[tris.length >> 1]}), replicated to ${N} models`);

// single-thread frame and PNG costs
const m = meshes[sources.findIndex((s) => s.endsWith("io1-cm-214.stp"))];
for (let i = 0; i < 10; i++) renderMesh(m, { view: "front", size: 512 });
let t0 = performance.now();
const frames = 40;
let img = renderMesh(m, { view: "front", size: 512 });
for (let i = 0; i < frames; i++) img = renderMesh(m, { view: (["front", "top", "right"] as const)[i % 3], size: 512 });
const frameMs = (performance.now() - t0) / frames;
t0 = performance.now();
for (let i = 0; i < 20; i++) encodePng(img);
const pngFflate = (performance.now() - t0) / 20;
t0 = performance.now();
for (let i = 0; i < 20; i++) encodePng(img, { deflate: nodeDeflate });
const pngZlib = (performance.now() - t0) / 20;
console.log(`one 512² frame of io1-cm-214 (3,288 triangles): ${frameMs.toFixed(2)} ms; PNG encode: fflate ${pngFflate.toFixed(2)} ms, native zlib ${pngZlib.toFixed(2)} ms`);

const rows = [];
for (const workers of deepcadOnly ? [] : [1, cpus().length]) {
  for (const pngLevel of [6, 1]) {
  const r = await renderBatch(inputs, { outDir: join(dir, `out${workers}-${pngLevel}`), workers, views: ["front", "top", "right"], size: 512, pngLevel });
  if (r.errors.length) throw new Error(`render errors: ${JSON.stringify(r.errors.slice(0, 3))}`);
  rows.push({ workers, pngLevel, models: r.results.length, seconds: r.ms / 1000, modelsPerSecond: r.modelsPerSecond, ratioToSeed: r.modelsPerSecond / SEED_RATE });
  console.log(`workers ${workers}, PNG level ${pngLevel}: ${r.results.length} models × 3 views in ${(r.ms / 1000).toFixed(2)} s = ${r.modelsPerSecond.toFixed(1)} models/s (${(r.modelsPerSecond / SEED_RATE).toFixed(2)}× the seed's stated 182/s)`);
}
}
// the target data: DeepCAD solids (the 21 real files reconstructed by @sdfkit/vlm-data)
const { buildSolid, parseDeepCad } = await import("../../vlm-data/src/index.js");
const dc = [];
for (const f of readdirSync(join(data, "deepcad")).filter((x) => x.endsWith(".json")).sort())
  dc.push((await buildSolid(parseDeepCad(readFileSync(join(data, "deepcad", f), "utf8")))).mesh);
const dcTris = dc.map((x) => x.indices.length / 3).sort((a, b) => a - b);
const dcInputs: string[] = [];
for (let i = 0; i < 5 * N; i++) {
  const f = join(dir, "dc", `d${String(i).padStart(5, "0")}.ply`);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, serializePly(dc[i % dc.length]));
  dcInputs.push(f);
}
console.log(`DeepCAD solids: 21 (${dcTris[0]}–${dcTris[dcTris.length - 1]} triangles, median ${dcTris[10]}), replicated to ${5 * N} models`);
const W = cpus().length;
const starts = [];
for (let rep = 0; rep < 3; rep++) {
  const r = await renderBatch(dcInputs.slice(0, W), { outDir: join(dir, `dcstart-${rep}`), workers: W, views: ["front", "top", "right"], size: 512 });
  starts.push(r.ms);
}
const startMs = starts.sort((a, b) => a - b)[1];
console.log(`worker start-up: a ${W}-model batch on ${W} workers takes ${startMs.toFixed(0)} ms (median of 3: ${starts.map((x) => x.toFixed(0)).join(", ")})`);
// DeepCAD rows from sources (workers compile the TypeScript at start-up), then — when `pnpm build` has
// made packages/render/dist — from the built package in a plain Node process, as an installed @sdfkit/render runs
const built = existsSync(join(root, "packages", "render", "dist", "node", "index.js"));
if (!built) console.log("(no packages/render/dist: run `pnpm build` to also measure the built package)");
const dcRows = [];
for (const code of built ? ["sources", "built package"] : ["sources"])
for (const models of [N, 5 * N]) {
  for (const pngLevel of [6, 1]) {
    const runs: number[] = [];
    if (code === "sources")
      for (let rep = 0; rep < 3; rep++) {
        const r = await renderBatch(dcInputs.slice(0, models), { outDir: join(dir, `dcout-${models}-${pngLevel}-${rep}`), workers: W, views: ["front", "top", "right"], size: 512, pngLevel });
        if (r.errors.length) throw new Error(`render errors: ${JSON.stringify(r.errors.slice(0, 3))}`);
        runs.push(r.modelsPerSecond);
      }
    else {
      const spec = join(dir, "built-spec.json");
      writeFileSync(spec, JSON.stringify({ inputs: dcInputs, outDir: join(dir, `built-${models}-${pngLevel}`), workers: W, runs: [0, 1, 2].map((rep) => ({ models, pngLevel, rep })) }));
      const r = spawnSync(process.execPath, [join(here, "built-batch.mjs"), spec], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`built-package batch failed: ${r.stderr}`);
      for (const line of r.stdout.trim().split("\n")) runs.push(JSON.parse(line).modelsPerSecond);
    }
    const med = runs.sort((a, b) => a - b)[1];
    dcRows.push({ code, workers: W, models, pngLevel, modelsPerSecond: med, runs, ratioToSeed: med / SEED_RATE });
    console.log(`DeepCAD solids (${code}), ${models} models, workers ${W}, PNG level ${pngLevel}: ${med.toFixed(1)} models/s (median of 3: ${runs.map((x) => x.toFixed(1)).join(", ")}) = ${(med / SEED_RATE).toFixed(2)}× the seed's stated 182/s`);
  }
}
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "render-batch.json"), JSON.stringify({ date: new Date().toISOString(), N, frameMs, pngFflate, pngZlib, rows, workerStartMs: startMs, deepcad: dcRows }, null, 2));
rmSync(dir, { recursive: true, force: true });
