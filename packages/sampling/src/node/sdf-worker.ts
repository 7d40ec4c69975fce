import { parentPort, workerData } from "node:worker_threads";
import { MeshSdf } from "../MeshSdf.js";
import type { MeshSdfOptions } from "../api.js";

/** Worker side of `evaluateSdfParallel`: builds its own MeshSdf once, then evaluates ranges of shared points. */
const { positions, indices, options, points, out } = workerData as {
  positions: Float32Array; indices: Uint32Array; options: Partial<MeshSdfOptions>; points: Float32Array; out: Float32Array;
};
const sdf = new MeshSdf({ positions, indices }, options);
parentPort!.on("message", (m: { start: number; end: number }) => {
  sdf.evaluate(points.subarray(3 * m.start, 3 * m.end), out.subarray(m.start, m.end));
  parentPort!.postMessage(m.end - m.start);
});
