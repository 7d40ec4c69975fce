import { parentPort } from "node:worker_threads";
import { readMesh, readMeshFileSync, writeFileAtomic } from "@sdfkit/sdf-core/node";
import { __renderMeshToPngs, __warmUpRenderer, type RenderModelJob, type RenderModelResult } from "./render-model.js";

type Reply = { id: number; ok: true; result: RenderModelResult } | { id: number; ok: false; error: string };
const _queue: { id: number; job: RenderModelJob }[] = [];
let _busy = false;
const __message = (e: unknown) => (e as Error)?.message ?? String(e);

/**
 * Render queued jobs one at a time (models never interleave on this thread's scratch buffers). Each
 * model's PNGs are written atomically on the thread pool while the next model renders; its answer
 * (result or error) goes back once its files are in place.
 */
const __drain = async () => {
  if (_busy) return;
  _busy = true;
  for (let msg = _queue.shift(); msg; msg = _queue.shift()) {
    const { id, job } = msg;
    const t0 = performance.now();
    try {
      const mesh = readMeshFileSync(job.input)?.mesh ?? (await readMesh(job.input));
      const pngs = __renderMeshToPngs(mesh, job);
      const triangles = mesh.indices.length / 3;
      Promise.all(pngs.map((p) => writeFileAtomic(p.file, p.bytes))).then(
        () => parentPort!.postMessage({ id, ok: true, result: { input: job.input, files: pngs.map((p) => p.file), triangles, ms: performance.now() - t0 } } satisfies Reply),
        (e) => parentPort!.postMessage({ id, ok: false, error: __message(e) } satisfies Reply),
      );
    } catch (e) {
      parentPort!.postMessage({ id, ok: false, error: __message(e) } satisfies Reply);
    }
    // let the finished steps of earlier writes (open → write → close → rename) go on before the next model
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  _busy = false;
};

// compile the hot path before the first job (messages that arrive meanwhile wait in the port)
if (parentPort) __warmUpRenderer();

/** Worker side of `renderBatch`: queues each job it is sent and renders them in order. */
parentPort?.on("message", (msg: { id: number; job: RenderModelJob }) => {
  _queue.push(msg);
  void __drain();
});
