import { parentPort } from "node:worker_threads";
import { __warmUpRenderer, renderModelToFiles, type RenderModelJob } from "./render-model.js";

const _queue: { id: number; job: RenderModelJob }[] = [];
let _busy = false;

/**
 * Render queued jobs one at a time (models never interleave on this thread's scratch buffers),
 * answering each with its result or error. Files are written synchronously: writing them on the
 * thread pool while the next model renders was measured too (1.33× the models/s while other jobs
 * loaded the disk, 0.8× on the idle machine, where the extra threads and hops cost more than the
 * waits they hide).
 */
const __drain = async () => {
  if (_busy) return;
  _busy = true;
  for (let msg = _queue.shift(); msg; msg = _queue.shift()) {
    try {
      parentPort!.postMessage({ id: msg.id, ok: true, result: await renderModelToFiles(msg.job) });
    } catch (e) {
      parentPort!.postMessage({ id: msg.id, ok: false, error: (e as Error)?.message ?? String(e) });
    }
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
