// Helper of render-batch.bench.ts: runs renderBatch from the BUILT package (packages/render/dist) in a
// plain Node process (no TypeScript loader, no "source" export condition), as an installed
// @sdfkit/render runs. Arguments: a JSON file { inputs, outDir, runs: [{ models, pngLevel, rep }], workers };
// prints one JSON line per run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
const { renderBatch } = await import("../dist/node/index.js");
const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const { models, pngLevel, rep } of spec.runs) {
  const r = await renderBatch(spec.inputs.slice(0, models), { outDir: join(spec.outDir, `${models}-${pngLevel}-${rep}`), workers: spec.workers, views: ["front", "top", "right"], size: 512, pngLevel });
  if (r.errors.length) throw new Error(`render errors: ${JSON.stringify(r.errors.slice(0, 3))}`);
  console.log(JSON.stringify({ models, pngLevel, rep, modelsPerSecond: r.modelsPerSecond }));
}
