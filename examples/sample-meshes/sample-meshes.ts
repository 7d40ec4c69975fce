/**
 * Sample every mesh in ../shared/data/obj (resolved from the repo root) with the `deepsdf` preset,
 * write one DeepSDF .npz per mesh and a report (markdown) into OUT_DIR (argv[2], default a temp dir).
 * Run from the repo root: node --conditions=source --import tsx examples/sample-meshes/sample-meshes.ts [OUT_DIR] [COUNT]
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRng } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { encodeNpz, sampleBands, splitBySign } from "@sdfkit/sampling";

const root = resolve(import.meta.dirname, "../..");
const dataDir = join(root, "../shared/data/obj");
// `pnpm --filter … start -- ARGS` hands the script a leading "--"; drop it so positions stay positions
const args = process.argv.slice(2).filter((a, i) => i > 0 || a !== "--");
const outDir = args[0] ? resolve(args[0]) : mkdtempSync(join(tmpdir(), "sdfkit-samples-"));
const count = Number(args[1] ?? 20_000);
mkdirSync(outDir, { recursive: true });

const atomicWrite = (file: string, data: Uint8Array | string) => {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
};

const rows = ["| mesh | triangles | closed | boundary edges | non-manifold edges | sign | pos | neg | seconds |", "|---|---|---|---|---|---|---|---|---|"];
for (const file of readdirSync(dataDir).filter((f) => f.endsWith(".obj")).sort()) {
  const t0 = performance.now();
  const mesh = await readMesh(join(dataDir, file));
  const r = sampleBands(mesh, count, { rng: createRng(0), mix: "deepsdf" });
  const pn = splitBySign(r.samples);
  atomicWrite(join(outDir, file.replace(/\.obj$/, ".npz")), encodeNpz(pn, { transform: new Float32Array([...r.transform.offset, r.transform.scale]) }));
  const o = r.openness;
  rows.push(`| ${file} | ${mesh.indices.length / 3} | ${o.closed} | ${o.boundaryEdges} | ${o.nonManifoldEdges} | ${r.signMethod} | ${pn.pos.length / 4} | ${pn.neg.length / 4} | ${((performance.now() - t0) / 1000).toFixed(2)} |`);
  console.log(rows[rows.length - 1]);
}
atomicWrite(join(outDir, "report.md"), `# Samples (${count} per mesh, preset deepsdf)\n\n${rows.join("\n")}\n`);
console.log(`report: ${join(outDir, "report.md")}`);
