/**
 * Decoder inference points/s of `createInferenceEngine`: onnx (onnxruntime-node, 2 threads) and tfjs
 * (wasm, one thread) against the same network in PyTorch (Debian python3-torch, 2 threads,
 * OMP_WAIT_POLICY=PASSIVE, no_grad, one [N, L+3] batch) in the same run, interleaved rep by rep;
 * medians. PyTorch runs one long-lived process driven over stdin so it is timed rep by rep too.
 *   pnpm bench inference   [PRESET] [N] [REPS]   (defaults: seed-v2 262144 3)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { DeepSdfDecoder, DECODER_PRESETS, createInferenceEngine, selectBackend } from "../src/model/index.js";

const preset = (process.argv[2] ?? "seed-v2") as keyof typeof DECODER_PRESETS;
const N = Number(process.argv[3] ?? 262144);
const reps = Number(process.argv[4] ?? 3);
const specs = DECODER_PRESETS[preset];
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");

await selectBackend({ prefer: "wasm", log: false });
const d = DeepSdfDecoder.fromSpecs(specs, { seed: 0 });
const L = specs.latentSize;
const z = new Float32Array(L).fill(0.01);
const pts = Float32Array.from({ length: 3 * N }, (_, i) => Math.sin(i * 12.9898) * 0.9);
const onnx = await createInferenceEngine(d, { engine: "onnx", threads: 2 });
const tfjs = await createInferenceEngine(d, { engine: "tfjs", batchSize: 16384 });

const py = `
import sys, time, torch
torch.set_num_threads(2)
sys.path.insert(0, ${JSON.stringify(join(here, "..", "scripts"))})
from torch_decoder import Decoder
L, dims, lin, F, wn = ${L}, ${JSON.stringify(specs.dims)}, ${JSON.stringify(specs.latentIn)}, ${specs.peFrequencies}, ${specs.weightNorm ? "True" : "False"}
m = Decoder(L, dims, lin, wn, F).eval(); x = torch.cat([torch.full((${N}, L), 0.01), torch.rand(${N}, 3) * 1.8 - 0.9], 1)
with torch.no_grad():
    m(x[:16384])
    print("ready", flush=True)
    for line in sys.stdin:
        t0 = time.perf_counter(); m(x); print(${N} / (time.perf_counter() - t0), flush=True)
`;
const dir = mkdtempSync(join(tmpdir(), "sdfkit-inference-bench-"));
writeFileSync(join(dir, "ref.py"), py);
const child = spawn("/usr/bin/python3", [join(dir, "ref.py")], { env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE", OMP_NUM_THREADS: "2" }, stdio: ["pipe", "pipe", "inherit"] });
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const next = async () => {
  const r = await lines.next();
  if (r.done) throw new Error("PyTorch reference exited");
  return r.value;
};
await next();
const torchRep = async () => {
  child.stdin.write("go\n");
  return Number(await next());
};
const time = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return N / ((performance.now() - t0) / 1000);
};
await onnx.predict(z, pts.subarray(0, 3 * 16384));
await tfjs.predict(z, pts.subarray(0, 3 * 16384));
const runs: Record<"onnx" | "tfjs" | "torch", number[]> = { onnx: [], tfjs: [], torch: [] };
for (let r = 0; r < reps; r++) {
  runs.onnx.push(await time(() => onnx.predict(z, pts)));
  runs.torch.push(await torchRep());
  runs.tfjs.push(await time(() => tfjs.predict(z, pts)));
}
child.stdin.end();
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const row = { preset, params: d.parameterCount, N, reps, onnx: med(runs.onnx), tfjs: med(runs.tfjs), torch: med(runs.torch), onnxVsTorch: med(runs.onnx) / med(runs.torch), tfjsVsTorch: med(runs.tfjs) / med(runs.torch), runs };
console.log(`${preset} inference at ${N} points (median of ${reps}): onnx ${Math.round(row.onnx)} pts/s, tfjs-wasm ${Math.round(row.tfjs)}, PyTorch ${Math.round(row.torch)}; onnx/PyTorch ${row.onnxVsTorch.toFixed(2)}×, tfjs/PyTorch ${row.tfjsVsTorch.toFixed(2)}×, onnx/tfjs ${(row.onnx / row.tfjs).toFixed(1)}×`);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", `inference-${preset}.json`), JSON.stringify({ date: new Date().toISOString(), ...row }, null, 2));
await onnx.dispose();
await tfjs.dispose();
