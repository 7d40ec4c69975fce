/**
 * @internal A persistent pool of worker threads for the signed-distance queries: started on first
 * use, reused by every later call, `unref`'d so that it never keeps the process alive. The calling
 * thread works too: the points are handed out in chunks through an atomic counter, so a worker
 * that is still starting simply takes no chunk, and a call is never slower than one thread.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { buildBvh, shareBvh, signedRangeBvh, type FlatBvh } from "./bvh.js";
import { countSelfIntersections } from "./self-intersections.js";

/** A signed-distance job over shared buffers (see sdf-worker.ts). */
export interface SignedJob {
  bvh: FlatBvh;
  mode: number;
  beta: number;
  points: Float32Array;
  out: Float32Array;
  hints?: Int32Array;
  /** [next unclaimed point, points finished, 1 if a worker failed, points finished by workers] */
  progress: Int32Array;
  n: number;
  chunk: number;
}

/** Claim chunks of `job` until none is left (runs on the calling thread and in each worker). */
export const runSignedChunks = (job: SignedJob, inWorker: boolean): void => {
  const { progress, n, chunk } = job;
  for (;;) {
    const s = Atomics.add(progress, 0, chunk);
    if (s >= n) return;
    const e = Math.min(n, s + chunk);
    signedRangeBvh(job.bvh, job.mode, job.beta, job.points, job.out, s, e, job.hints);
    if (inWorker) Atomics.add(progress, 3, e - s);
    Atomics.add(progress, 1, e - s);
    Atomics.notify(progress, 1);
  }
};

/** A BVH build (and self-intersection count) for a worker: the mesh, and where to answer. */
export interface BuildJob {
  positions: Float32Array;
  indices: Uint32Array;
  keep: Uint8Array;
  /** [0] is set to 1 once the answer is on `port` */
  flag: Int32Array;
  port: MessagePort;
}

/** What a build job answers: the BVH over SharedArrayBuffers and the self-intersection count (0 or 1). */
export interface BuiltBvh {
  bvh: FlatBvh;
  selfIntersections: number;
}

/** Run a build job (in a worker); on failure it answers `undefined` and the caller builds. */
export const runBuild = (job: BuildJob): void => {
  let answer: BuiltBvh | undefined;
  try {
    const bvh = buildBvh(job.positions, job.indices, job.keep);
    answer = { bvh: shareBvh(bvh), selfIntersections: countSelfIntersections(bvh, job.indices) };
  } catch {
    answer = undefined;
  }
  job.port.postMessage(answer);
  job.port.close();
  Atomics.store(job.flag, 0, 1);
  Atomics.notify(job.flag, 0);
};

const workers: Worker[] = [];
const ready: Promise<void>[] = [];
/** How many workers (from the first) have said they are ready. */
let readyCount = 0;

const spawn = (): Worker => {
  // from sources this file is src/internal/worker-pool.ts; built, it is bundled into dist/index.(c)js
  const url = new URL(import.meta.url.endsWith(".ts") ? "./sdf-worker.ts" : "./internal/sdf-worker.js", import.meta.url);
  // from sources (tests, tsx scripts) the worker is a .ts file: load it through tsx's register API
  return url.pathname.endsWith(".ts")
    ? new Worker(`(async () => { const { register } = await import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}); register(); await import(${JSON.stringify(url.href)}); })();`, { eval: true })
    : new Worker(url);
};

/** Start workers until the pool has `count`; resolves when all of them are ready. */
export const startWorkers = (count: number): Promise<void> => {
  while (workers.length < count) {
    const w = spawn();
    w.unref();
    workers.push(w);
    ready.push(
      new Promise<void>((resolve, reject) => {
        w.once("message", () => {
          readyCount++;
          resolve();
        });
        w.once("error", reject);
      }),
    );
  }
  return Promise.all(ready.slice(0, count)).then(() => undefined);
};

/** Stop every worker of the pool (a later call starts new ones). */
export const stopWorkers = async (): Promise<void> => {
  const all = workers.splice(0);
  ready.splice(0);
  readyCount = 0;
  await Promise.all(all.map((w) => w.terminate()));
};

/**
 * Signed distances of points [0, n) on this thread plus `threads - 1` pool workers (started here
 * if needed, without waiting for them). Synchronous: returns once every point is done, with the
 * number of points that workers computed.
 */
export const signedParallel = (job: Omit<SignedJob, "progress">, threads: number): number => {
  const full: SignedJob = { ...job, progress: new Int32Array(new SharedArrayBuffer(16)) };
  void startWorkers(threads - 1).catch(() => undefined);
  for (let t = 0; t < threads - 1; t++) workers[t].postMessage(full);
  runSignedChunks(full, false);
  // wait for chunks that workers have claimed but not finished
  const p = full.progress;
  for (let done = Atomics.load(p, 1); done < job.n; done = Atomics.load(p, 1)) Atomics.wait(p, 1, done);
  if (!Atomics.load(p, 2)) return Atomics.load(p, 3);
  signedRangeBvh(job.bvh, job.mode, job.beta, job.points, job.out, 0, job.n, job.hints);
  return 0;
};

/** A build handed to a worker: {@link takeBvh} collects it. */
export interface PendingBvh {
  flag: Int32Array;
  port: MessagePort;
}

/**
 * Hand the BVH build of a mesh to the first pool worker if it is ready (else undefined: build it
 * here). The calling thread meanwhile does other work, then calls {@link takeBvh}.
 */
export const requestBvh = (positions: Float32Array, indices: Uint32Array, keep: Uint8Array): PendingBvh | undefined => {
  if (readyCount < 1) return undefined;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const job: BuildJob = { positions, indices, keep, flag, port: port2 };
  workers[0].postMessage({ build: job }, [port2]);
  return { flag, port: port1 };
};

/** Wait (blocking) for a build handed out by {@link requestBvh} and take its answer (undefined if it failed). */
export const takeBvh = (p: PendingBvh): BuiltBvh | undefined => {
  while (Atomics.load(p.flag, 0) === 0) Atomics.wait(p.flag, 0, 0);
  const m = receiveMessageOnPort(p.port);
  p.port.close();
  return m?.message as BuiltBvh | undefined;
};
