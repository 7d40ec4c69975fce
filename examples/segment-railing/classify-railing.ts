/**
 * The example's classifier protocol on a saved segmentation, for comparing classifier settings without re-running
 * the segmentation: activations of `--layer` at railing8's vertices (from the cached decoder), classifiers fitted
 * on the segmentation (`--labels`, one part per vertex) of even vertices, scored against railing8.labels.txt on
 * odd vertices and on `--interior` points inside the solid (the example's `interiorPoints`, seed `--seed` + 4).
 * Nearest centroid with each of `--prototypes` (per class), plain and/or whitened (`--whiten off,on`), and softmax
 * (60 epochs, as the example; `--softmax off` skips it).
 *
 * Run: `node --conditions=source --import tsx classify-railing.ts --cache scratch/fresh-300 --labels FILE --layer 0
 *   [--seed 0] [--prototypes 1,8] [--whiten off,on] [--softmax on|off] [--interior 4000]`
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRng, normalizeMesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { ActivationClassifier, bestPermutationAccuracy, probeActivations } from "@sdfkit/segmentation";
import { loadInferenceBundle } from "@sdfkit/trainer";
import { interiorPoints } from "./segment-railing.js";

const here = dirname(fileURLToPath(import.meta.url));
const sharedDir = process.env.SDFKIT_SHARED_DATA ? resolve(process.env.SDFKIT_SHARED_DATA) : resolve(here, "../../../shared/data");
const argv = process.argv.slice(2);
const { values: v } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: { cache: { type: "string" }, labels: { type: "string" }, layer: { type: "string", default: "0" }, seed: { type: "string", default: "0" }, prototypes: { type: "string", default: "1,8" }, whiten: { type: "string", default: "off,on" }, softmax: { type: "string", default: "on" }, interior: { type: "string", default: "4000" } },
});
await selectBackend({ prefer: "wasm" });
const raw = await readMesh(join(sharedDir, "generated", "railing8.obj"));
const truth = Uint32Array.from(readFileSync(join(sharedDir, "generated", "railing8.labels.txt"), "utf8").trim().split(/\s+/).map(Number));
const seg = Uint32Array.from(readFileSync(v.labels!, "utf8").trim().split(/\s+/).map(Number));
const { mesh } = normalizeMesh(raw);
const m = await loadInferenceBundle(resolve(v.cache!));
const code = m.latent(0), layer = Number(v.layer), seed = Number(v.seed), all = m.decoder.specs.dims.map((_, i) => i);
const [f] = await probeActivations((p) => m.decoder.activations(code, p, all), mesh.positions, { layers: [layer] });
const nv = truth.length, half = Math.ceil(nv / 2), dim = f.dim;
const xs = new Float32Array(half * dim), ys = new Uint32Array(half), xt = new Float32Array((nv - half) * dim), tt = new Uint32Array(nv - half);
for (let q = 0; q < nv; q++) {
  const i = q >> 1;
  if (q % 2 === 0) {
    xs.set(f.data.subarray(q * dim, (q + 1) * dim), i * dim);
    ys[i] = seg[q];
  } else {
    xt.set(f.data.subarray(q * dim, (q + 1) * dim), i * dim);
    tt[i] = truth[q];
  }
}
const inner = interiorPoints(mesh, truth, Number(v.interior), createRng(seed + 4));
const [innerAct] = await m.decoder.activations(code, inner.points, [layer]);
const settings: { name: string; kind: "centroid" | "softmax"; prototypes: number; whiten: boolean }[] = v.whiten!.split(",").flatMap((w) =>
  v.prototypes!.split(",").map((p) => ({ name: `centroid×${p}${w === "on" ? " whitened" : ""}`, kind: "centroid" as const, prototypes: Number(p), whiten: w === "on" })),
);
if (v.softmax === "on") settings.push({ name: "softmax", kind: "softmax", prototypes: 1, whiten: false });
for (const s of settings) {
  const t0 = performance.now();
  const c = ActivationClassifier.fit(xs, dim, ys, { kind: s.kind, prototypes: s.prototypes, whiten: s.whiten, rng: createRng(seed + 3), epochs: 60 });
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ cache: v.cache, labels: v.labels, layer, classifier: s.name, surface: bestPermutationAccuracy(tt, c.predict(xt)), interior: bestPermutationAccuracy(inner.truth, c.predict(innerAct)), interiorPoints: inner.truth.length, fitSeconds: +seconds.toFixed(1) }));
}
m.decoder.dispose();
