import { parentPort } from "node:worker_threads";
import { renderModelToFiles, type RenderModelJob } from "./render-model.js";

/** Worker side of `renderBatch`: renders one job per message, answers with the result or the error. */
parentPort?.on("message", async (msg: { id: number; job: RenderModelJob }) => {
  try {
    parentPort!.postMessage({ id: msg.id, ok: true, result: await renderModelToFiles(msg.job) });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, ok: false, error: (e as Error)?.message ?? String(e) });
  }
});
