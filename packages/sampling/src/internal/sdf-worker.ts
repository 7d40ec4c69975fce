/** @internal Worker thread: signed distance of a range of points over a shared BVH. */
import { parentPort } from "node:worker_threads";
import { signedRangeBvh, type FlatBvh } from "./bvh.js";

interface Job { bvh: FlatBvh; mode: number; beta: number; points: Float32Array; out: Float32Array; from: number; to: number }

parentPort!.on("message", (j: Job) => {
  signedRangeBvh(j.bvh, j.mode, j.beta, j.points, j.out, j.from, j.to);
  parentPort!.postMessage("done");
});
