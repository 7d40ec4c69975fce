/**
 * Part-wise SDFs on the 9 seed shapes: one multi-head decoder per shape (shared ReLU trunk, PE, linear
 * heads, one head per part, union = min), trained with per-part supervision (each part's exact SDF) and an
 * eikonal term; per-part IoU, union IoU and interior ownership accuracy on two grids: 64³ nodes over
 * [−1, 1]³ (continuity with the first run; spacing 0.032, two cells across the thinnest parts) and a grid
 * over the shape's own bounding box with spacing PART_SDF_SPACING (default 0.01 = a quarter of the thinnest
 * part, the chair back's 0.04), regular and jittered (each node moved uniformly within its cell, seeded:
 * stratified sampling, an unbiased estimate of the volumes' IoU; the regular grid aliases on the axis-aligned
 * flat faces of table, chair, tpipe and l_shape, where one node layer lies within 0.001 of a face). The
 * decoder works in the shape's own frame (`partSdfFrame(insideBounds(parts))`; PART_SDF_FRAME=0: [−1, 1]³).
 * Junction error: mean |union prediction| at true surface points within 0.03
 * of a junction (where another part's surface is that close), for the multi-head decoder and, on the
 * PART_SDF_SINGLE shapes, a one-head decoder of the same trunk trained on the whole shape's SDF.
 * Writes bench/part-sdf-junction.png (with PART_SDF_TAG=a: part-sdf-junction-a.png): z-slices coloured by the owning head, union zero contour black,
 * true contour red (PART_SDF_PICTURE shapes), one-head panels beside them.
 * Goals (issue 6): per-part IoU ≥ 0.9, union IoU ≥ 0.97. No anchor can run here (the seed's part-wise
 * SDFs failed and published no number).
 * Run: `pnpm bench part-sdf` (env PART_SDF_STEPS, PART_SDF_BATCH, PART_SDF_PE, PART_SDF_WIDTH,
 * PART_SDF_TRUNCATION, PART_SDF_UNION (union-loss weight, default trainPartSdf's), PART_SDF_ROUTING (min|owner), PART_SDF_ENGINE (auto | tfjs | onnx, default auto = onnx when onnxruntime-node loads), PART_SDF_THREADS (onnx threads, 0 = all cores), PART_SDF_FRAME, PART_SDF_SHAPES=snowman,chair, PART_SDF_PICTURE=tpipe,table, PART_SDF_SINGLE=tpipe; PART_SDF_TAG=a
 * writes bench/results/part-sdf-a.json, for runs split over several processes).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SEED_SHAPES, assemblySdf, createRng, drawText, encodePng, partSdfs, type RgbaImage, type Sdf } from "@sdfkit/sdf-core";
import { writeFileAtomicSync } from "@sdfkit/sdf-core/node";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { DEFAULT_TRAIN_PART_SDF, PartSdfDecoder, insideBounds, partIou, partSdfFrame, partSliceImage, trainPartSdf } from "../src/model/index.js";

const env = process.env;
const steps = Number(env.PART_SDF_STEPS ?? DEFAULT_TRAIN_PART_SDF.steps), batch = Number(env.PART_SDF_BATCH ?? DEFAULT_TRAIN_PART_SDF.batchSize), spacing = Number(env.PART_SDF_SPACING ?? 0.01);
const pe = Number(env.PART_SDF_PE ?? 6), width = Number(env.PART_SDF_WIDTH ?? 128), truncation = Number(env.PART_SDF_TRUNCATION ?? 0);
const unionWeight = Number(env.PART_SDF_UNION ?? DEFAULT_TRAIN_PART_SDF.unionWeight), useFrame = (env.PART_SDF_FRAME ?? "1") === "1";
const unionRouting = (env.PART_SDF_ROUTING ?? DEFAULT_TRAIN_PART_SDF.unionRouting) as "min" | "owner";
const engine = (env.PART_SDF_ENGINE ?? "auto") as "auto" | "tfjs" | "onnx", threads = Number(env.PART_SDF_THREADS ?? 0);
const only = env.PART_SDF_SHAPES?.split(",");
const picture = (env.PART_SDF_PICTURE ?? "tpipe,table").split(","), single = (env.PART_SDF_SINGLE ?? "tpipe").split(",");
const tag = env.PART_SDF_TAG ? `-${env.PART_SDF_TAG}` : ""; // separate outputs for runs split over processes
const here = dirname(fileURLToPath(import.meta.url));
await selectBackend({ prefer: "wasm" });

/** Mean |f(x)| at true union-surface points near a junction (another part's surface within 0.03). */
const junctionError = (truth: Sdf[], f: Sdf, rng = createRng(7)): { error: number; points: number } => {
  const P = truth.length, B = 65536, q = new Float32Array(3 * B), d = truth.map(() => new Float32Array(B));
  const keep: number[] = [];
  for (let tries = 0; tries < 200 && keep.length < 3 * 2000; tries++) {
    for (let i = 0; i < 3 * B; i++) q[i] = rng.uniform(-1, 1);
    truth.forEach((g, k) => g(q, d[k]));
    for (let i = 0; i < B; i++) {
      let m = Infinity, a = -1;
      for (let k = 0; k < P; k++) if (d[k][i] < m) [m, a] = [d[k][i], k];
      if (Math.abs(m) > 0.002) continue; // on the union's surface (within 0.002)
      let near = false;
      for (let k = 0; k < P; k++) if (k !== a && Math.abs(d[k][i]) < 0.03) near = true;
      if (near) keep.push(q[3 * i], q[3 * i + 1], q[3 * i + 2]);
    }
  }
  if (keep.length === 0) return { error: NaN, points: 0 };
  const v = f(Float32Array.from(keep));
  let s = 0;
  for (const x of v) s += Math.abs(x);
  return { error: s / v.length, points: v.length };
};

/** Nodes of the 64³ grid over [−1, 1]³ outside `b` where the predicted union is inside (the box grid cannot see them). */
const insideOutsideBox = (pred: (p: Float32Array) => Float32Array, P: number, b: { min: number[]; max: number[] }): number => {
  const n = 64, pts = new Float32Array(3 * n ** 3);
  for (let z = 0, i = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++, i++) [pts[3 * i], pts[3 * i + 1], pts[3 * i + 2]] = [-1 + (2 * x) / (n - 1), -1 + (2 * y) / (n - 1), -1 + (2 * z) / (n - 1)];
  const v = pred(pts);
  let c = 0;
  for (let i = 0; i < n ** 3; i++) {
    if ([0, 1, 2].every((a) => pts[3 * i + a] >= b.min[a] && pts[3 * i + a] <= b.max[a])) continue;
    for (let k = 0; k < P; k++)
      if (v[i * P + k] < 0) {
        c++;
        break;
      }
  }
  return c;
};

type Row = { name: string; outside: number; k: number; grid64: ReturnType<typeof partIou>; box: ReturnType<typeof partIou>; jittered: ReturnType<typeof partIou>; junction: number; junctionSingle?: number; unionSingle?: number; seconds: number; l1: number; sigma: number[] };
const rows: Row[] = [];
const panels: RgbaImage[] = [];
const opts = { steps, batchSize: batch, eikonalPoints: Math.max(64, batch >> 3), truncation, unionWeight, unionRouting, engine, threads };
for (const spec of SEED_SHAPES) {
  if (only && !only.includes(spec.name)) continue;
  const t0 = performance.now();
  const truth = partSdfs(spec), whole = assemblySdf(spec), bounds = insideBounds(truth);
  const frame = useFrame ? { frame: partSdfFrame(bounds) } : {};
  const d = new PartSdfDecoder({ parts: truth.length, trunk: [width, width, width], peFrequencies: pe, ...frame }, { seed: 1 });
  const last = await trainPartSdf(d, truth, { ...opts, rng: createRng(2) });
  const t1 = performance.now();
  const pred = (p: Float32Array) => d.evaluateParts(p);
  const grid64 = partIou(pred, truth, { res: 64 });
  const box = partIou(pred, truth, { spacing, bounds });
  const jittered = partIou(pred, truth, { spacing, bounds, jitter: createRng(5) });
  const junction = junctionError(truth, d.unionSdf()).error;
  const outside = insideOutsideBox(pred, truth.length, bounds);
  const row: Row = { name: spec.name, outside, k: truth.length, grid64, box, jittered, junction, seconds: (t1 - t0) / 1000, l1: last.l1, sigma: last.sigma };
  const window = { min: [bounds.min[0], bounds.min[1]] as [number, number], max: [bounds.max[0], bounds.max[1]] as [number, number] };
  const at = spec.name === "table" ? 0.2 : 0;
  if (picture.includes(spec.name)) panels.push(drawText(partSliceImage(pred, truth.length, { at, window, width: 240, truth: whole }), `${spec.name} ${truth.length} HEADS`, 4, 4, 2));
  if (single.includes(spec.name)) {
    const s = new PartSdfDecoder({ parts: 1, trunk: [width, width, width], peFrequencies: pe, ...frame }, { seed: 1 });
    await trainPartSdf(s, [whole], { ...opts, rng: createRng(2) });
    const sp = (p: Float32Array) => s.evaluateParts(p);
    row.unionSingle = partIou(sp, [whole], { spacing, bounds, jitter: createRng(5) }).union;
    row.junctionSingle = junctionError(truth, s.unionSdf()).error;
    if (picture.includes(spec.name)) panels.push(drawText(partSliceImage(sp, 1, { at, window, width: 240, truth: whole }), `${spec.name} 1 HEAD`, 4, 4, 2));
    s.dispose();
  }
  d.dispose();
  rows.push(row);
  const f = (x: number) => x.toFixed(3);
  console.error(`${spec.name}: ${row.seconds.toFixed(0)} s training; 64³: parts ${grid64.parts.map(f).join(" ")} union ${f(grid64.union)}; box ${box.res.join("×")}: parts ${box.parts.map(f).join(" ")} union ${f(box.union)} ownership ${f(box.ownership)}; jittered box: parts ${jittered.parts.map(f).join(" ")} union ${f(jittered.union)}; inside outside the box (64³ nodes) ${outside}; junction |f| ${junction.toFixed(4)}${row.junctionSingle !== undefined ? ` (one head ${row.junctionSingle.toFixed(4)}, union IoU ${f(row.unionSingle!)})` : ""}`);
}
const f = (x: number) => x.toFixed(3), mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`steps ${steps}, batch ${batch}, eikonal ${opts.eikonalPoints} points × 0.1, truncation ${truncation}, union weight ${unionWeight} (${unionRouting} routing), engine ${engine} (threads ${threads}), trunk 3 × ${width}, PE ${pe}, frame ${useFrame ? "the shape's box" : "[-1, 1]³"}; grids: spacing ${spacing} over each shape's box (regular, and jittered = each node moved within its cell, seeded), 64³ over [-1, 1]³`);
console.log("| shape | parts | per-part IoU, box grid | union IoU, box | per-part IoU, jittered box grid | union IoU, jittered | per-part mean / union, 64³ | ownership (box) | 64³ nodes inside outside the box | junction mean abs f | final L1 | train s |\n|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows)
  console.log(`| ${r.name} | ${r.k} | ${r.box.parts.map(f).join(", ")} | ${f(r.box.union)} | ${r.jittered.parts.map(f).join(", ")} | ${f(r.jittered.union)} | ${f(mean(r.grid64.parts))} / ${f(r.grid64.union)} | ${f(r.box.ownership)} | ${r.outside} | ${r.junction.toFixed(4)}${r.junctionSingle !== undefined ? ` (one head: ${r.junctionSingle.toFixed(4)}, union IoU jittered ${f(r.unionSingle!)})` : ""} | ${r.l1.toFixed(4)} | ${r.seconds.toFixed(0)} |`);
const allBox = rows.flatMap((r) => r.box.parts), allJ = rows.flatMap((r) => r.jittered.parts), all64 = rows.flatMap((r) => r.grid64.parts);
console.log(`| **mean** | ${rows.reduce((a, r) => a + r.k, 0)} | ${f(mean(allBox))} (all parts) | ${f(mean(rows.map((r) => r.box.union)))} | ${f(mean(allJ))} (all parts) | ${f(mean(rows.map((r) => r.jittered.union)))} | ${f(mean(all64))} / ${f(mean(rows.map((r) => r.grid64.union)))} | ${f(mean(rows.map((r) => r.box.ownership)))} | | | | ${rows.reduce((a, r) => a + r.seconds, 0).toFixed(0)} |`);
if (panels.length > 0) {
  const H = Math.max(...panels.map((p) => p.height)), W = panels.reduce((a, p) => a + p.width + 4, -4);
  const img: RgbaImage = { width: W, height: H, data: new Uint8ClampedArray(4 * W * H).fill(255) };
  let x0 = 0;
  for (const p of panels) {
    for (let y = 0; y < p.height; y++) img.data.set(p.data.subarray(4 * y * p.width, 4 * (y + 1) * p.width), 4 * (y * W + x0));
    x0 += p.width + 4;
  }
  writeFileAtomicSync(join(here, `part-sdf-junction${tag}.png`), encodePng(img));
}
const dir = join(here, "../../../bench/results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `part-sdf${tag}.json.tmp`), JSON.stringify({ steps, batch, pe, width, truncation, unionWeight, unionRouting, engine, threads, frame: useFrame, spacing, rows }, null, 2));
renameSync(join(dir, `part-sdf${tag}.json.tmp`), join(dir, `part-sdf${tag}.json`));
