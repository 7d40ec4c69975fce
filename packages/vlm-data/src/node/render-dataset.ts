import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, SdfkitError, serializeStl } from "@sdfkit/sdf-core";
import { writeFileAtomic, writeFileAtomicSync } from "@sdfkit/sdf-core/node";
import { parseDeepCad } from "../parse-deepcad.js";
import { buildSolidWith, loadManifold } from "../build-solid.js";
import { idStem, resolveInside } from "./safe-path.js";
import { readSplit } from "./dataset-files.js";

/**
 * A batch mesh renderer (what `@sdfkit/render/node`'s `renderBatch` is): renders each mesh file to
 * `<outDir>/<stem>_<view>.png` (and `<stem>_grid.png` with `grid`), over its own worker pool.
 */
export type BatchRenderer = (
  meshFiles: string[],
  opts: { outDir: string; views: string[]; size: number; grid: boolean; workers?: number; onProgress?: (e: { done: number; total: number; input: string; ok: boolean }) => void },
) => Promise<{ results: { input: string; files: string[] }[]; errors: { input: string; error: string }[] }>;

/** Options of {@link renderDataset}. */
export interface RenderDatasetOptions {
  /** The renderer (injected: this package does not depend on @sdfkit/render). */
  renderer: BatchRenderer;
  /** @defaultValue ["front", "top", "right"] */
  views: string[];
  /** Image side in pixels. @defaultValue 512 */
  size: number;
  /** Also write OpenECAD's 2×2 grid of the views per model. @defaultValue false */
  grid: boolean;
  /** Worker threads of the renderer (undefined: its default). */
  workers?: number;
  /** Arc/circle segments per turn for the solids. @defaultValue 96 */
  segments: number;
  /** Progress: `stage` "solid" while meshing, "render" while rendering. */
  onProgress?: (e: { stage: "solid" | "render"; done: number; total: number; id?: string }) => void;
}
export const DEFAULT_RENDER_DATASET: Omit<RenderDatasetOptions, "renderer"> = { views: ["front", "top", "right"], size: 512, grid: false, segments: 96 };

/** One model's entry of `rendering_metadata.json`. */
export interface RenderedModel {
  id: string;
  /** Image paths relative to the `images/` folder, in view order (grid last). */
  images: string[];
  triangles: number;
  volume: number;
  watertight: boolean;
}

/** `rendering_metadata.json`. */
export interface RenderingMetadata {
  views: string[];
  size: number;
  grid: boolean;
  models: RenderedModel[];
  failed: { id: string; stage: "solid" | "render"; error: string }[];
  ms: { solids: number; render: number };
}

/**
 * Render every model of an extracted dataset: reconstruct its solid (manifold-3d), write it as a binary
 * STL under `meshes/`, then render all meshes through the injected batch renderer (its worker pool)
 * into `images/`; write `rendering_metadata.json` atomically. Resumable: models whose images all exist
 * are not rendered again. A model that fails is listed under `failed` and the batch goes on.
 */
export const renderDataset = async (root: string, opts: Partial<RenderDatasetOptions> & { renderer: BatchRenderer }): Promise<RenderingMetadata> => {
  const o = { ...DEFAULT_RENDER_DATASET, ...opts };
  if (typeof o.renderer !== "function") throw new InvalidArgumentError("renderDataset", "opts.renderer", "a batch renderer function (e.g. renderBatch of @sdfkit/render/node)", o.renderer);
  if (!Number.isInteger(o.size) || o.size < 16 || o.size > 8192) throw new InvalidArgumentError("renderDataset", "opts.size", "an integer in 16..8192", o.size);
  if (!Array.isArray(o.views) || o.views.length === 0 || o.views.some((v) => typeof v !== "string" || !/^[a-z0-9_-]+$/i.test(v)))
    throw new InvalidArgumentError("renderDataset", "opts.views", "a non-empty list of view names", o.views);
  const split = readSplit(root, "renderDataset");
  const ids = [...split.train, ...split.validation];
  const meshDir = join(root, "meshes");
  const imageDir = join(root, "images");
  mkdirSync(meshDir, { recursive: true });
  mkdirSync(imageDir, { recursive: true });
  const names = (stem: string) => [...o.views.map((v) => `${stem}_${v}.png`), ...(o.grid ? [`${stem}_grid.png`] : [])];
  const wasm = await loadManifold();
  const failed: RenderingMetadata["failed"] = [];
  const info = new Map<string, Omit<RenderedModel, "images" | "id">>();
  const toRender: string[] = [];
  const byMesh = new Map<string, string>();
  const t0 = performance.now();
  let done = 0;
  for (const id of ids) {
    const stem = idStem(id);
    const meshFile = join(meshDir, `${stem}.stl`);
    try {
      const text = readFileSync(resolveInside(join(root, "cad_json"), `${id}.json`, "renderDataset", "id"), "utf8");
      const solid = buildSolidWith(wasm, parseDeepCad(text, { file: `${id}.json` }), { segments: o.segments });
      info.set(id, { triangles: solid.mesh.indices.length / 3, volume: solid.volume, watertight: solid.watertight });
      const need = names(stem).some((n) => !existsSync(join(imageDir, n)));
      if (need) {
        await writeFileAtomic(meshFile, serializeStl(solid.mesh, { binary: true }));
        toRender.push(meshFile);
        byMesh.set(meshFile, id);
      }
    } catch (e) {
      if (!SdfkitError.isInstance(e) && (e as NodeJS.ErrnoException).code === undefined) throw e;
      failed.push({ id, stage: "solid", error: (e as Error).message });
    }
    o.onProgress?.({ stage: "solid", done: ++done, total: ids.length, id });
  }
  const t1 = performance.now();
  if (toRender.length) {
    const rep = await o.renderer(toRender, {
      outDir: imageDir,
      views: o.views,
      size: o.size,
      grid: o.grid,
      workers: o.workers,
      onProgress: (e) => o.onProgress?.({ stage: "render", done: e.done, total: e.total, id: byMesh.get(e.input) }),
    });
    for (const e of rep.errors) {
      const id = byMesh.get(e.input) ?? e.input;
      failed.push({ id, stage: "render", error: e.error });
      info.delete(id);
    }
  }
  const t2 = performance.now();
  const models: RenderedModel[] = [];
  for (const id of ids) {
    const i = info.get(id);
    if (!i) continue;
    const images = names(idStem(id));
    if (images.some((n) => !existsSync(join(imageDir, n)))) {
      failed.push({ id, stage: "render", error: "missing image after rendering" });
      continue;
    }
    models.push({ id, images, ...i });
  }
  const meta: RenderingMetadata = { views: o.views, size: o.size, grid: o.grid, models, failed, ms: { solids: t1 - t0, render: t2 - t1 } };
  writeFileAtomicSync(join(root, "rendering_metadata.json"), JSON.stringify(meta, null, 1));
  return meta;
};
