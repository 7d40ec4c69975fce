// Dense vs sparse coarse-to-fine grid sampling at 257³ (256 cells) on an analytic sphere ∪ box:
// evaluations, wall time (median of 3, interleaved) and whether marching cubes gives the same mesh.
import { box, marchingCubes, sampleGrid, sphere, type Sdf } from "../../sdf-core/src/index.js";
import { sampleGridSparse } from "../src/index.js";

const s1 = sphere(0.45, [-0.2, 0, 0]), s2 = box([0.3, 0.2, 0.4], [0.35, 0.1, 0]);
const sdf: Sdf = (p, out) => {
  const x = s1(p), y = s2(p), r = out ?? new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) r[i] = Math.min(x[i]!, y[i]!);
  return r;
};
const res = 257;
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const td: number[] = [], ts: number[] = [];
let evals = 0, same = true;
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  const d = sampleGrid(sdf, { res });
  td.push(performance.now() - t);
  t = performance.now();
  const s = sampleGridSparse(sdf, { res });
  ts.push(performance.now() - t);
  evals = s.evaluations;
  if (r === 0) {
    const a = marchingCubes(d), b = marchingCubes(s.grid);
    same = a.indices.length === b.indices.length && a.positions.every((v, i) => v === b.positions[i]);
  }
}
console.log(`res ${res}³: dense ${res ** 3} evals ${med(td).toFixed(0)} ms; sparse ${evals} evals (${((100 * evals) / res ** 3).toFixed(1)} %) ${med(ts).toFixed(0)} ms; identical mesh: ${same}`);
