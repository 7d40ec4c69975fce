import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError } from "@sdfkit/sdf-core";
import type { RenderOptions, View } from "../api.js";
import { viewBasis } from "../camera.js";
import { renderModelToFiles, type RenderModelJob, type RenderModelResult } from "./render-model.js";

/** Options of {@link renderBatch}. */
export interface RenderBatchOptions {
  /** Output folder. */
  outDir: string;
  /** @defaultValue ["front", "top", "right"] */
  views: View[];
  /** @defaultValue 512 */
  size: number;
  /** Also write a 2-column grid of the views per model. @defaultValue false */
  grid: boolean;
  /** Worker threads; 0 renders in this thread. @defaultValue os.availableParallelism() */
  workers: number;
  /** PNG zlib level. @defaultValue 6 */
  pngLevel: number;
  /** Shading, edges, colours… passed to `renderMesh`. */
  render: Partial<RenderOptions>;
  /** Called after every model, finished or failed. */
  onProgress?: (e: { done: number; total: number; input: string; ok: boolean }) => void;
}

export const DEFAULT_RENDER_BATCH: Omit<RenderBatchOptions, "outDir"> = {
  views: ["front", "top", "right"],
  size: 512,
  grid: false,
  workers: availableParallelism(),
  pngLevel: 6,
  render: {},
};

/** The outcome of a batch: per-model results and a per-model error list (a bad mesh fails alone). */
export interface RenderBatchReport {
  results: RenderModelResult[];
  errors: { input: string; error: string }[];
  ms: number;
  modelsPerSecond: number;
}

/** Jobs in flight per worker: 2 keeps a worker busy while its last answer travels to this thread and the next job back. */
const __QUEUE_DEPTH = 2;

const __workerUrl = () => {
  const here = import.meta.url;
  const ext = here.endsWith(".ts") ? ".ts" : here.endsWith(".cjs") ? ".cjs" : ".js";
  return new URL(`./render-worker${ext}`, here);
};

/**
 * @internal A worker running render-worker. Built packages load its .js / .cjs file. From sources
 * (under tsx) the worker registers tsx's in-thread CommonJS hook and requires the TypeScript file:
 * tsx's ESM hook gives every worker its own loader thread, and two workers took 1.3–1.5× as long to start.
 */
const __startWorker = (url: URL): Worker => {
  if (!url.pathname.endsWith(".ts")) return new Worker(url);
  const file = fileURLToPath(url), tsx = createRequire(url).resolve("tsx/cjs/api");
  // dynamic import and createRequire: the eval'd code may run as CommonJS or (--input-type=module) as ESM
  return new Worker(
    `import("node:module").then(({ createRequire }) => { const r = createRequire(${JSON.stringify(file)}); r(${JSON.stringify(tsx)}).register(); r(${JSON.stringify(file)}); });`,
    { eval: true },
  );
};

/**
 * Render many mesh files to PNG views over a pool of worker threads (both cores by default), with
 * progress events; a file that fails to read or render is listed in `errors` and the batch goes on.
 */
export const renderBatch = async (inputs: string[], opts: Partial<RenderBatchOptions> & { outDir: string }): Promise<RenderBatchReport> => {
  const o = { ...DEFAULT_RENDER_BATCH, ...opts };
  if (!Array.isArray(inputs) || inputs.some((s) => typeof s !== "string")) throw new InvalidArgumentError("renderBatch", "inputs", "an array of file paths", inputs);
  if (typeof o.outDir !== "string" || !o.outDir) throw new InvalidArgumentError("renderBatch", "outDir", "a folder path", o.outDir);
  if (!Number.isInteger(o.workers) || o.workers < 0) throw new InvalidArgumentError("renderBatch", "workers", "an integer >= 0", o.workers);
  o.views.forEach((v) => viewBasis(v)); // validate before any work
  const t0 = performance.now();
  const report: RenderBatchReport = { results: [], errors: [], ms: 0, modelsPerSecond: 0 };
  const jobs: RenderModelJob[] = inputs.map((input) => ({ input, outDir: o.outDir, views: o.views, size: o.size, grid: o.grid, pngLevel: o.pngLevel, render: o.render }));
  let done = 0;
  const finish = (input: string, r: { ok: true; result: RenderModelResult } | { ok: false; error: string }) => {
    if (r.ok) report.results.push(r.result);
    else report.errors.push({ input, error: r.error });
    done++;
    o.onProgress?.({ done, total: jobs.length, input, ok: r.ok });
  };
  const nWorkers = Math.min(o.workers, jobs.length);
  if (nWorkers === 0) {
    for (const job of jobs) {
      try {
        finish(job.input, { ok: true, result: await renderModelToFiles(job) });
      } catch (e) {
        finish(job.input, { ok: false, error: (e as Error)?.message ?? String(e) });
      }
    }
  } else {
    let next = 0;
    const url = __workerUrl();
    await Promise.all(
      Array.from({ length: nWorkers }, () =>
        new Promise<void>((resolve, reject) => {
          const worker = __startWorker(url);
          // jobs sent and not yet answered, oldest first: the worker always has the next job queued,
          // so it never waits for this thread between models
          const pending: number[] = [];
          const feed = () => {
            while (pending.length < __QUEUE_DEPTH && next < jobs.length) {
              pending.push(next);
              worker.postMessage({ id: next, job: jobs[next++] });
            }
            if (pending.length === 0) void worker.terminate().then(() => resolve());
          };
          worker.on("message", (m: { id: number; ok: boolean; result?: RenderModelResult; error?: string }) => {
            pending.splice(pending.indexOf(m.id), 1);
            finish(jobs[m.id].input, m.ok ? { ok: true, result: m.result! } : { ok: false, error: m.error! });
            feed();
          });
          worker.on("error", (e) => {
            for (const id of pending.splice(0)) finish(jobs[id].input, { ok: false, error: `worker crashed: ${e.message}` });
            reject(e);
          });
          feed();
        }),
      ),
    );
  }
  report.ms = performance.now() - t0;
  report.modelsPerSecond = (report.results.length / report.ms) * 1000;
  return report;
};
