/**
 * Training speed of `trainPartSdf` per engine: TensorFlow.js (wasm, one thread: variableGrads + tf.train.adam)
 * against onnxruntime-node (the forward + backward ONNX graph of `buildPartSdfTrainOnnx`, both cores, Adam in
 * JS; all cores and one thread), in the same process, interleaved (tfjs, onnx, onnx 1, onnx 1, onnx, tfjs, …), on the part-sdf bench's decoder (3 × 128
 * trunk, PE 6, linear heads, the shape's own frame) and trainPartSdf's default loss. Steps/s are timed between
 * the progress calls of step 0 and the last step, so surface sampling is not counted; the sampling and the part
 * SDFs of each step are (both engines pay them). Median of the repetitions and the ratio onnx / tfjs.
 * Run: `pnpm bench part-train-step` (env PART_STEP_SHAPES=table,chair, PART_STEP_STEPS=200, PART_STEP_BATCH=1024,
 * PART_STEP_REPS=3). Writes bench/results/part-train-step.json.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SEED_SHAPES, createRng, partSdfs } from "@sdfkit/sdf-core";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { PartSdfDecoder, insideBounds, partSdfFrame, trainPartSdf } from "../src/model/index.js";

const env = process.env;
const shapes = (env.PART_STEP_SHAPES ?? "table,chair").split(","), steps = Number(env.PART_STEP_STEPS ?? 200);
const batch = Number(env.PART_STEP_BATCH ?? 1024), reps = Number(env.PART_STEP_REPS ?? 3);
await selectBackend({ prefer: "wasm" });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows: { shape: string; parts: number; tfjs: number[]; onnx: number[] }[] = [];
for (const name of shapes) {
  const spec = SEED_SHAPES.find((s) => s.name === name);
  if (!spec) throw new Error(`no seed shape ${name}`);
  const truth = partSdfs(spec), frame = partSdfFrame(insideBounds(truth));
  const row = { shape: name, parts: truth.length, tfjs: [] as number[], onnx: [] as number[], onnx1: [] as number[] };
  for (let r = 0; r < reps; r++)
    for (const run of (r % 2 === 0 ? ["tfjs", "onnx", "onnx1"] : ["onnx1", "onnx", "tfjs"]) as ("tfjs" | "onnx" | "onnx1")[]) {
      const engine = run === "tfjs" ? "tfjs" : "onnx", threads = run === "onnx1" ? 1 : 0;
      const d = new PartSdfDecoder({ parts: truth.length, trunk: [128, 128, 128], peFrequencies: 6, frame }, { seed: 1 });
      let t0 = 0, t1 = 0;
      await trainPartSdf(d, truth, { steps, batchSize: batch, eikonalPoints: Math.max(64, batch >> 3), rng: createRng(2), engine, threads, onProgress: (e) => (e.step === 0 ? (t0 = performance.now()) : (t1 = performance.now())) });
      d.dispose();
      row[run].push(((steps - 1) * 1000) / (t1 - t0));
      console.error(`${name} ${run}: ${row[run].at(-1)!.toFixed(1)} steps/s`);
    }
  rows.push(row);
}
console.log(`trainPartSdf steps/s, batch ${batch} + ${Math.max(64, batch >> 3)} eikonal points (× 6 stencil), trunk 3 × 128, PE 6, ${steps} steps, ${reps} interleaved repetitions (median)`);
const cell = (xs: number[]) => `${median(xs).toFixed(1)} (${xs.map((x) => x.toFixed(1)).join(", ")})`;
console.log("| shape | parts | tfjs wasm (1 thread) steps/s | onnx (all cores) steps/s | onnx (1 thread) steps/s | onnx / tfjs | onnx 1 thread / tfjs |\n|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.shape} | ${r.parts} | ${cell(r.tfjs)} | ${cell(r.onnx)} | ${cell(r.onnx1)} | ${(median(r.onnx) / median(r.tfjs)).toFixed(2)}× | ${(median(r.onnx1) / median(r.tfjs)).toFixed(2)}× |`);
const dir = join(dirname(fileURLToPath(import.meta.url)), "../../../bench/results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "part-train-step.json.tmp"), JSON.stringify({ steps, batch, reps, rows }, null, 2));
renameSync(join(dir, "part-train-step.json.tmp"), join(dir, "part-train-step.json"));
