/**
 * sdfkit quick start: a real STEP part in, analytic SDF parts meshed, OBJ files and a summary out.
 *
 *   pnpm --filter @sdfkit/example-quick-start start [-- --out DIR] [--step FILE] [--res N]
 *
 * Reads ../shared/data (beside the repository; override with SDFKIT_SHARED_DATA) and writes into
 * out/quick-start/ (or --out): the imported STEP part as OBJ, a CSG bracket meshed by marching cubes,
 * the 9 seed shapes meshed, summary.json and summary.md.
 */
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { basename, join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  box, cylinder, difference, union, translate, sampleGrid, marchingCubes, meshReport, SEED_SHAPES, assemblySdf, type Mesh, type Sdf,
} from "@sdfkit/sdf-core";
import { readMeshFile, writeMesh, writeFileAtomic } from "@sdfkit/sdf-core/node";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..", "..");
const argv = process.argv.slice(2); // `pnpm … start -- --flag` hands over a leading "--"
const { values } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    out: { type: "string", default: join(repoRoot, "out", "quick-start") },
    step: { type: "string" },
    res: { type: "string", default: "128" },
  },
});
const dataDir = process.env.SDFKIT_SHARED_DATA ?? resolve(repoRoot, "..", "shared", "data");
const stepPath = values.step ?? join(dataDir, "step", "io1-cm-214.stp");
if (!existsSync(stepPath)) {
  console.error(`quick-start: STEP file not found at ${stepPath}. Put the shared data beside the repository (../shared/data), set SDFKIT_SHARED_DATA, or pass --step FILE.`);
  process.exit(1);
}
const res = Number(values.res);
const out = resolve(values.out!);
const bounds = { min: [-1, -1, -1] as [number, number, number], max: [1, 1, 1] as [number, number, number] };
const t = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

// 1. a real STEP part (B-rep faces kept per triangle)
const t0 = performance.now();
const step = await readMeshFile(stepPath);
const stepMs = performance.now() - t0;
const stepReport = meshReport(step.mesh);
await writeMesh(join(out, basename(stepPath).replace(/\.[^.]+$/, ".obj")), step.mesh);
console.log(`STEP  ${basename(stepPath)}: ${stepReport.triangles} triangles, ${new Set(step.mesh.faceIds).size} B-rep faces, watertight ${stepReport.watertight}, volume ${stepReport.volume.toFixed(1)} (${stepMs.toFixed(0)} ms)`);

// 2. an analytic CSG part: a plate with two bosses, a through hole and a slot, meshed by marching cubes
const bracket: Sdf = difference(
  union(box([0.7, 0.1, 0.4]), translate(cylinder(0.18, 0.25, [0, 0, 0], "y"), [-0.4, 0.15, 0]), translate(cylinder(0.18, 0.25, [0, 0, 0], "y"), [0.4, 0.15, 0])),
  union(translate(cylinder(0.08, 0.5, [0, 0, 0], "y"), [-0.4, 0, 0]), translate(cylinder(0.08, 0.5, [0, 0, 0], "y"), [0.4, 0, 0]), box([0.15, 0.5, 0.06])),
);
let grid = sampleGrid(bracket, { res, bounds });
let mesh: Mesh = marchingCubes(grid, { computeNormals: true });
const mcMs = t(() => marchingCubes(grid));
const bracketReport = meshReport(mesh);
await writeMesh(join(out, "bracket.obj"), mesh);
console.log(`CSG   bracket at ${res}³: ${bracketReport.triangles} triangles, watertight ${bracketReport.watertight}, volume ${bracketReport.volume.toFixed(4)} (marching cubes ${mcMs.toFixed(0)} ms)`);

// 3. the 9 seed shapes of the activation-segmentation study, each meshed and checked against a finer mesh
const shapes = [];
for (const spec of SEED_SHAPES) {
  grid = sampleGrid(assemblySdf(spec), { res, bounds });
  mesh = marchingCubes(grid);
  const fine = marchingCubes(sampleGrid(assemblySdf(spec), { res: 2 * res, bounds }));
  const r = meshReport(mesh);
  const volumeError = Math.abs(r.volume / meshReport(fine).volume - 1);
  await writeMesh(join(out, `seed-${spec.name}.obj`), mesh);
  shapes.push({ name: spec.name, parts: spec.parts.length, triangles: r.triangles, watertight: r.watertight, components: r.components, volume: r.volume, volumeErrorVsFiner: volumeError });
  console.log(`seed  ${spec.name.padEnd(9)} ${spec.parts.length} parts, ${r.triangles} triangles, watertight ${r.watertight}, volume ${r.volume.toFixed(4)} (${(100 * volumeError).toFixed(2)} % from ${2 * res}³)`);
}

const summary = {
  step: { file: stepPath, triangles: stepReport.triangles, brepFaces: new Set(step.mesh.faceIds).size, watertight: stepReport.watertight, volume: stepReport.volume, bbox: stepReport.bbox, importMs: stepMs },
  bracket: { resolution: res, triangles: bracketReport.triangles, watertight: bracketReport.watertight, volume: bracketReport.volume, marchingCubesMs: mcMs },
  seedShapes: shapes,
};
await writeFileAtomic(join(out, "summary.json"), JSON.stringify(summary, null, 2));
const md = [
  "# sdfkit quick start",
  "",
  `STEP part \`${basename(stepPath)}\`: ${stepReport.triangles} triangles, ${summary.step.brepFaces} B-rep faces, watertight ${stepReport.watertight}.`,
  "",
  `CSG bracket at ${res}³: ${bracketReport.triangles} triangles, watertight ${bracketReport.watertight}, volume ${bracketReport.volume.toFixed(4)}.`,
  "",
  `| seed shape | parts | triangles | watertight | volume | volume change at ${2 * res}³ |`,
  "|---|---|---|---|---|---|",
  ...shapes.map((s) => `| ${s.name} | ${s.parts} | ${s.triangles} | ${s.watertight} | ${s.volume.toFixed(4)} | ${(100 * s.volumeErrorVsFiner).toFixed(2)} % |`),
  "",
].join("\n");
await writeFileAtomic(join(out, "summary.md"), md);
console.log(`\nwrote ${out}/ (OBJ files, summary.json, summary.md)`);
