import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import type { Mesh } from "@sdfkit/sdf-core";
import { InvalidArgumentError } from "@sdfkit/sdf-core";
import type { MeshSdfOptions } from "../api.js";
import { MeshSdf } from "../MeshSdf.js";
import { __clampSdf, __generateBands, type BandSamples, type SampleBandsOptions } from "../sample-bands.js";

/** Options of {@link evaluateSdfParallel}. */
export interface ParallelOptions {
  /** Worker threads. @defaultValue os.availableParallelism() */
  workers: number;
  /** Points per work item. @defaultValue 8192 */
  chunk: number;
  /** Signed-distance options. */
  sdf: Partial<MeshSdfOptions>;
  onProgress?: (e: { done: number; total: number }) => void;
}

const __workerUrl = () => {
  const here = import.meta.url;
  const ext = here.endsWith(".ts") ? ".ts" : here.endsWith(".cjs") ? ".cjs" : ".js";
  return new URL(`./sdf-worker${ext}`, here);
};

/** @internal Evaluate ranges of shared points with a pool of workers, each owning a MeshSdf. */
const __evaluateRanges = async (mesh: Mesh, points: Float32Array, out: Float32Array, ranges: [number, number][], o: Omit<ParallelOptions, "sdf"> & { sdf: Partial<MeshSdfOptions> }): Promise<void> => {
  const share = <T extends Float32Array | Uint32Array>(a: T, C: new (b: SharedArrayBuffer) => T): T => {
    const c = new C(new SharedArrayBuffer(a.byteLength));
    (c as Float32Array).set(a as Float32Array);
    return c;
  };
  const sp = share(points, Float32Array), so = new Float32Array(new SharedArrayBuffer(out.byteLength));
  const items: [number, number][] = [];
  for (const [s, e] of ranges) for (let c = s; c < e; c += o.chunk) items.push([c, Math.min(e, c + o.chunk)]);
  const total = items.reduce((a, [s, e]) => a + e - s, 0);
  let next = 0, done = 0;
  const url = __workerUrl();
  const workerData = { positions: share(mesh.positions, Float32Array), indices: share(mesh.indices, Uint32Array), options: o.sdf, points: sp, out: so };
  await Promise.all(
    Array.from({ length: Math.min(o.workers, items.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const w = url.pathname.endsWith(".ts")
          ? new Worker(`import("tsx/esm/api").then((m) => m.register()).then(() => import(${JSON.stringify(url.href)}))`, { eval: true, workerData })
          : new Worker(url, { workerData });
        const feed = () => {
          if (next >= items.length) return void w.terminate().then(() => resolve());
          const [start, end] = items[next++];
          w.postMessage({ start, end });
        };
        w.on("message", (n: number) => {
          done += n;
          o.onProgress?.({ done, total });
          feed();
        });
        w.on("error", reject);
        feed();
      }),
    ),
  );
  for (const [s, e] of ranges) out.set(so.subarray(s, e), s);
};

/**
 * Signed distance of many points over worker threads (both cores by default): the same values as
 * `new MeshSdf(mesh).evaluate(points)`.
 */
export const evaluateSdfParallel = async (mesh: Mesh, points: Float32Array, opts: Partial<ParallelOptions> = {}): Promise<Float32Array> => {
  const o = { workers: availableParallelism(), chunk: 8192, sdf: {}, ...opts };
  if (!Number.isInteger(o.workers) || o.workers < 1) throw new InvalidArgumentError("evaluateSdfParallel", "workers", "an integer >= 1", o.workers);
  if (!(points instanceof Float32Array) || points.length % 3 !== 0) throw new InvalidArgumentError("evaluateSdfParallel", "points", "a Float32Array of xyz triples", points);
  new MeshSdf(mesh, o.sdf); // validates the mesh and options here, not inside a worker
  const out = new Float32Array(points.length / 3);
  await __evaluateRanges(mesh, points, out, [[0, out.length]], o);
  return out;
};

/** {@link sampleBands} with the signed distances evaluated over worker threads: identical samples for the same seed. */
export const sampleBandsParallel = async (mesh: Mesh, opts: Partial<SampleBandsOptions> & { workers?: number } = {}): Promise<BandSamples> => {
  const { o, mesh: m, result, pending } = __generateBands(mesh, opts);
  await __evaluateRanges(m, result.points, result.sdf, pending, { workers: opts.workers ?? availableParallelism(), chunk: 8192, sdf: o.sdf, onProgress: o.onProgress });
  __clampSdf(result.sdf, o.clamp);
  return result;
};
