import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createRng, InvalidArgumentError, SdfkitError, serializeObj, type Mesh } from "@sdfkit/sdf-core";
import { readMesh, writeFileAtomicSync } from "@sdfkit/sdf-core/node";
import { createInferenceEngine, selectBackend, type ShapeNormalization } from "@sdfkit/sdf-core/model";
import { encodePng, renderMesh, tileImages } from "@sdfkit/render";
import {
  adjustedRandIndex,
  colorByLabels,
  segmentInstances,
  segmentMeshByActivations,
  serializeColoredPly,
  splitMeshByLabels,
  type InstanceSegmentation,
  type LayerCriterion,
} from "@sdfkit/segmentation";
import { extractMeshAsync, loadInferenceBundle, sparseGridRes } from "@sdfkit/trainer";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";
import { denormalizeMesh, intOpt } from "../fit-helpers.js";

const USAGE = `sdfkit segment -e DIR [--shape NAME] [--mesh FILE [--labels FILE]] [--res 257] [--types auto|K]
               [--choose cut|consensus|silhouette] [--smooth 5] [--min-part 0.2] [--seed 0] [--out DIR] [--json]
sdfkit segment MESH --features FILE --dim D --out DIR [--types 5] [--smooth 0] [--min-part 0] [--seed 0] [--labels FILE] [--json]

  -e DIR          a trained experiment (sdfkit train): segments each shape from its decoder's activations,
                  with no labels: k by silhouette (--types auto), the layer by --choose (cut: the layer whose
                  parts are separated by the fewest mesh edges), then k-means types → smoothing → connected
                  components on the mesh graph → small components merged
  --shape NAME    only this shape (default: every shape of the experiment)
  --mesh FILE     segment this mesh (e.g. the original part, in its own units) instead of the decoder's own
                  mesh; one shape only (with several shapes give --shape)
  --res N         grid resolution of the decoder's mesh (sparse coarse-to-fine, default 257)
  --types         semantic types for k-means: an integer >= 2, or auto (default auto; with --features: 5)
  --choose        label-free layer choice: cut (default), consensus, silhouette
  --smooth N      majority-vote passes over the vertex graph before the components (default 5; --features: 0)
  --min-part F    merge components under F × the median part (default 0.2; --features: 0)
  --out DIR       per shape DIR/<shape>/ (with -e; default DIR = <experiment>/segments), or DIR itself (MESH):
                  segmented.ply (vertex colours per part), labels.txt (one part per vertex), part-<i>.obj,
                  segments.png (front / right / top / iso with part colours), report.json
  --labels FILE   ground truth, one integer label per vertex of the segmented mesh: ARI is reported
  MESH --features FILE --dim D
                  segment a mesh from given per-vertex features: raw little-endian float32, vertices × D
  --json          print the report as JSON only (no progress bar)`;

/** Per-part outputs of one segmented mesh (in the units the mesh should be saved in). */
const writeOutputs = (dir: string, mesh: Mesh, seg: InstanceSegmentation): string[] => {
  writeFileAtomicSync(join(dir, "segmented.ply"), serializeColoredPly(colorByLabels(mesh, seg.labels)));
  writeFileAtomicSync(join(dir, "labels.txt"), `${Array.from(seg.labels).join("\n")}\n`);
  const parts = splitMeshByLabels(mesh, seg.labels);
  for (const p of parts) writeFileAtomicSync(join(dir, `part-${p.label}.obj`), serializeObj(p.mesh));
  const views = (["front", "right", "top", "iso"] as const).map((view) => renderMesh(mesh, { view, size: 256, labels: seg.labels }));
  writeFileAtomicSync(join(dir, "segments.png"), encodePng(tileImages(views, 4, { labels: ["front", "right", "top", "iso"], gap: 2 })));
  return parts.map((p) => `part-${p.label}.obj`);
};

const partSizes = (seg: InstanceSegmentation): number[] => {
  const sizes = new Array<number>(seg.parts).fill(0);
  for (const l of seg.labels) sizes[l]++;
  return sizes;
};

/** Ground-truth labels file: one integer per vertex. */
const readLabels = (file: string, nv: number): Uint32Array => {
  const t = readFileSync(file, "utf8").trim().split(/\s+/).map(Number);
  if (t.length !== nv || t.some((x) => !Number.isInteger(x) || x < 0)) throw new InvalidArgumentError("sdfkit segment", "--labels", `${nv} integer labels >= 0 (one per vertex)`, `${t.length} entries`);
  return Uint32Array.from(t);
};

/** (p − offset) · scale: a mesh in its own units into the training frame of its shape. */
const normalizePositions = (p: Float32Array, n: ShapeNormalization | undefined): Float32Array => {
  if (!n) return p;
  const q = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) for (let c = 0; c < 3; c++) q[i + c] = (p[i + c] - n.offset[c]) * n.scale;
  return q;
};

type Values = Record<string, string | boolean | undefined>;

const parseTypes = (v: string, auto: boolean): number | "auto" => {
  if (auto && v === "auto") return "auto";
  const k = Number(v);
  if (!Number.isInteger(k) || k < 2) throw new InvalidArgumentError("sdfkit segment", "--types", auto ? 'an integer >= 2 or "auto"' : "an integer >= 2", v);
  return k;
};

const numOpt = (name: string, v: string | undefined, def: number, min: number, max: number): number => {
  const x = v === undefined ? def : Number(v);
  if (!Number.isFinite(x) || x < min || x > max) throw new InvalidArgumentError("sdfkit segment", name, `a number in [${min}, ${max}]`, v);
  return x;
};

/** `sdfkit segment -e DIR`: every (or one) shape of a trained experiment, segmented from its own decoder. */
const segmentExperiment = async (v: Values): Promise<number> => {
  const dir = resolve(v.e as string);
  if (!existsSync(join(dir, "inference.json"))) {
    console.error(`sdfkit segment: ${dir} holds no trained model (inference.json); train it first with sdfkit train`);
    return 2;
  }
  const types = parseTypes((v.types as string | undefined) ?? "auto", true);
  const choose = (v.choose as string | undefined) ?? "cut";
  if (!["cut", "consensus", "silhouette"].includes(choose)) throw new InvalidArgumentError("sdfkit segment", "--choose", "cut, consensus or silhouette", choose);
  const smooth = intOpt("sdfkit segment", "--smooth", (v.smooth as string | undefined) ?? "5", 0);
  const minPart = numOpt("--min-part", v["min-part"] as string | undefined, 0.2, 0, 1);
  const seed = intOpt("sdfkit segment", "--seed", (v.seed as string | undefined) ?? "0", 0);
  const res = intOpt("sdfkit segment", "--res", (v.res as string | undefined) ?? "257", 9);
  const json = v.json === true;
  await selectBackend({ log: !json });
  const model = await loadInferenceBundle(dir);
  const shape = v.shape as string | undefined;
  if (shape !== undefined && !model.shapes.includes(shape)) {
    console.error(`sdfkit segment: --shape ${shape} is not in the experiment (shapes: ${model.shapes.join(", ")})`);
    model.decoder.dispose();
    return 2;
  }
  const shapes = shape ? [shape] : model.shapes;
  if (v.mesh && shapes.length !== 1) {
    console.error(`sdfkit segment: --mesh segments one shape; the experiment has ${shapes.length} (${shapes.join(", ")}): give --shape`);
    model.decoder.dispose();
    return 2;
  }
  if (v.labels && !v.mesh) {
    console.error("sdfkit segment: --labels scores a given --mesh (the decoder's own mesh has no labels)");
    model.decoder.dispose();
    return 2;
  }
  const out = resolve((v.out as string | undefined) ?? join(dir, "segments"));
  const engine = await createInferenceEngine(model.decoder);
  const layers = model.decoder.specs.dims.map((_, i) => i);
  const steps = 1 + (choose === "cut" ? layers.length : 1);
  const bar = createProgress("segment", shapes.length * (steps + 1), { quiet: json });
  const rows: Record<string, unknown>[] = [];
  try {
    for (const [si, s] of shapes.entries()) {
      const t0 = performance.now();
      const base = si * (steps + 1);
      const norm = model.normalization[s];
      // the mesh to segment, in the original units, and its vertices in the decoder's frame
      let mesh: Mesh, points: Float32Array, source: string;
      if (v.mesh) {
        mesh = await readMesh(v.mesh as string);
        points = normalizePositions(mesh.positions, norm);
        source = resolve(v.mesh as string);
      } else {
        const r = await extractMeshAsync(model.decoder, model.latent(s), { res: sparseGridRes(res), sparse: true });
        if (r.mesh.indices.length === 0) {
          rows.push({ shape: s, error: "the decoder's mesh is empty (no surface at this resolution)" });
          continue;
        }
        points = r.mesh.positions;
        mesh = denormalizeMesh(r.mesh, norm);
        source = `decoder mesh, sparse ${sparseGridRes(res)}³`;
      }
      bar.update(base + 1, `${s}: mesh`);
      const seg = await segmentMeshByActivations(engine.layerForward(model.latent(s), layers), mesh, {
        points,
        types,
        criterion: choose as LayerCriterion,
        smoothIterations: smooth,
        minPartFraction: minPart,
        rng: createRng(seed + 2),
        selectRng: createRng(seed + 1),
        onProgress: (e) => bar.update(base + 1 + e.done, `${s}: ${e.stage}${e.layer !== undefined ? ` layer ${e.layer}` : ""}`),
      });
      const sdir = join(out, s);
      const files = writeOutputs(sdir, mesh, seg);
      const row: Record<string, unknown> = {
        shape: s,
        source,
        vertices: mesh.positions.length / 3,
        triangles: mesh.indices.length / 3,
        layer: seg.layer,
        types: seg.k,
        choose,
        cutFraction: seg.cut.map((c) => (Number.isFinite(c) ? c : null)),
        silhouette: seg.scores,
        parts: seg.parts,
        merged: seg.merged,
        partVertices: partSizes(seg),
        files: ["segmented.ply", "labels.txt", "segments.png", ...files],
        out: sdir,
        seconds: (performance.now() - t0) / 1000,
      };
      if (v.labels) row.ari = adjustedRandIndex(readLabels(v.labels as string, mesh.positions.length / 3), seg.labels);
      writeFileAtomicSync(join(sdir, "report.json"), JSON.stringify(row, null, 2));
      rows.push(row);
      bar.update(base + steps + 1, `${s}: ${seg.parts} parts`);
    }
  } finally {
    bar.stop();
    await engine.dispose();
    model.decoder.dispose();
  }
  if (json) console.log(JSON.stringify(rows, null, 2));
  else
    for (const r of rows)
      console.log(
        r.error
          ? `${r.shape}: ${r.error}`
          : `${r.shape}: ${r.parts} parts (layer ${r.layer}, ${r.types} types, ${r.merged} small components merged)${r.ari !== undefined ? `, ARI ${(r.ari as number).toFixed(4)}` : ""}, ${(r.seconds as number).toFixed(1)} s → ${r.out}`,
      );
  return rows.some((r) => r.error) ? 1 : 0;
};

/** `sdfkit segment MESH --features FILE --dim D`: a mesh from given per-vertex features. */
const segmentFeatures = async (mesh0: string, v: Values): Promise<number> => {
  const dim = Number(v.dim);
  if (!v.features || !v.out || !Number.isInteger(dim) || dim < 1) {
    console.error(`sdfkit segment: with MESH give --features FILE, --dim (integer >= 1) and --out DIR\n${USAGE}`);
    return 2;
  }
  const types = parseTypes((v.types as string | undefined) ?? "5", false) as number;
  const seed = intOpt("sdfkit segment", "--seed", (v.seed as string | undefined) ?? "0", 0);
  const smooth = intOpt("sdfkit segment", "--smooth", (v.smooth as string | undefined) ?? "0", 0);
  const minPart = numOpt("--min-part", v["min-part"] as string | undefined, 0, 0, 1);
  const mesh = await readMesh(mesh0);
  const nv = mesh.positions.length / 3;
  const buf = readFileSync(v.features as string);
  if (buf.byteLength !== nv * dim * 4) {
    console.error(`sdfkit segment: --features holds ${buf.byteLength} bytes, expected vertices × dim × 4 = ${nv} × ${dim} × 4 = ${nv * dim * 4}`);
    return 2;
  }
  const features = new Float32Array(nv * dim);
  new Uint8Array(features.buffer).set(buf);
  const progress = createProgress("segment", 2, { quiet: v.json === true });
  const seg = segmentInstances(mesh, features, dim, { types, smoothIterations: smooth, minPartFraction: minPart, rng: createRng(seed) });
  progress.update(1, "segmented");
  const out = resolve(v.out as string);
  const files = writeOutputs(out, mesh, seg);
  progress.update(2, "written");
  progress.stop();
  const report: Record<string, unknown> = { mesh: mesh0, vertices: nv, types, parts: seg.parts, merged: seg.merged, partVertices: partSizes(seg), files: ["segmented.ply", "labels.txt", "segments.png", ...files], out };
  if (v.labels) report.ari = adjustedRandIndex(readLabels(v.labels as string, nv), seg.labels);
  writeFileAtomicSync(join(out, "report.json"), JSON.stringify(report, null, 2));
  if (v.json) console.log(JSON.stringify(report));
  else console.log(`${seg.parts} parts (${seg.merged} small components merged)${report.ari !== undefined ? `, ARI ${(report.ari as number).toFixed(4)}` : ""} → ${out}`);
  return 0;
};

/** `sdfkit segment`: instance segmentation of a trained experiment's shapes from their activations, or of a mesh from given features. */
export const segmentCommand: Command = {
  name: "segment",
  summary: "instance-segment the shapes of a trained experiment from their decoder's activations (or a mesh from given features): coloured PLY, labels, one OBJ per part, picture, report",
  usage: USAGE,
  async run(argv) {
    let a;
    try {
      a = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          e: { type: "string", short: "e" },
          shape: { type: "string" },
          mesh: { type: "string" },
          res: { type: "string" },
          choose: { type: "string" },
          features: { type: "string" },
          dim: { type: "string" },
          out: { type: "string" },
          types: { type: "string" },
          smooth: { type: "string" },
          "min-part": { type: "string" },
          seed: { type: "string" },
          labels: { type: "string" },
          json: { type: "boolean", default: false },
          help: { type: "boolean", short: "h", default: false },
        },
      });
    } catch (e) {
      console.error(`sdfkit segment: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    const v = a.values as Values;
    if (v.help) {
      console.log(USAGE);
      return 0;
    }
    const experiment = v.e !== undefined;
    if (experiment === (a.positionals.length === 1) || a.positionals.length > 1) {
      console.error(`sdfkit segment: give either -e DIR (a trained experiment) or one MESH with --features\n${USAGE}`);
      return 2;
    }
    try {
      return experiment ? await segmentExperiment(v) : await segmentFeatures(a.positionals[0], v);
    } catch (e) {
      const msg = (e as Error).message;
      console.error(`sdfkit segment: ${msg}`);
      return SdfkitError.isInstance(e) && (e as SdfkitError).code === "SDFKIT_INVALID_ARGUMENT" ? 2 : 1;
    }
  },
};
