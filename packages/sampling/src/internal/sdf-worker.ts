/** @internal Worker thread of the pool (worker-pool.ts): claims chunks of signed-distance jobs over shared buffers. */
import { parentPort } from "node:worker_threads";
import { runBuild, runSignedChunks, type BuildJob, type SignedJob } from "./worker-pool.js";

parentPort!.on("message", (job: SignedJob | { build: BuildJob }) => {
  if ("build" in job) return runBuild(job.build);
  try {
    runSignedChunks(job, true);
  } catch {
    // the calling thread redoes the job
    Atomics.store(job.progress, 2, 1);
    Atomics.add(job.progress, 1, job.n);
    Atomics.notify(job.progress, 1);
  }
});
parentPort!.postMessage("ready");
