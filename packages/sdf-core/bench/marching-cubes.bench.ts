/**
 * marchingCubes vs scikit-image's marching_cubes (Debian python3-skimage, /usr/bin/python3) on the
 * same grids, interleaved in one run. The grids are built here in TS and handed to one long-lived
 * Python process as raw float32 files; Python times only the `marching_cubes` call (same level;
 * skimage always computes normals, so ours is timed with and without `computeNormals`).
 *
 *   pnpm bench marching-cubes          (or: node --import tsx packages/sdf-core/bench/marching-cubes.bench.ts [reps])
 *
 * Prints a markdown table and writes bench/results/marching-cubes.json (atomic).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, renameSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { box, cylinder, difference, marchingCubes, sampleGrid, sphere, union, type Grid3, type Sdf } from "../src/index.js";

const REPS = Number(process.argv[2] ?? 7);
const PY = `
import sys, time, json, numpy as np
from skimage.measure import marching_cubes
for line in sys.stdin:
    path, nx, ny, nz = line.split()
    nx, ny, nz = int(nx), int(ny), int(nz)
    vol = np.fromfile(path, dtype=np.float32).reshape(nz, ny, nx)
    t = time.perf_counter()
    v, f, n, val = marching_cubes(vol, level=0.0)
    dt = (time.perf_counter() - t) * 1000
    print(json.dumps({"ms": dt, "tris": int(f.shape[0]), "verts": int(v.shape[0])}), flush=True)
`;

const py = spawn("/usr/bin/python3", ["-c", PY], { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, OMP_NUM_THREADS: "1" } });
const lines = createInterface({ input: py.stdout });
const pending: ((s: string) => void)[] = [];
lines.on("line", (l) => pending.shift()?.(l));
const skimage = (path: string, g: Grid3): Promise<{ ms: number; tris: number; verts: number }> =>
  new Promise((resolve) => {
    pending.push((l) => resolve(JSON.parse(l)));
    py.stdin.write(`${path} ${g.res.join(" ")}\n`);
  });

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// a CSG part: a plate with a boss and a through hole, minus a slot
const part: Sdf = difference(
  union(box([0.6, 0.15, 0.45]), cylinder(0.3, 0.35, [0.1, 0.2, 0], "y")),
  union(cylinder(0.12, 0.6, [0.1, 0, 0], "y"), box([0.08, 0.3, 0.5], [-0.4, 0, 0])),
);
const shapes: [string, Sdf][] = [["sphere r0.5", sphere(0.5)], ["CSG part", part]];
const bounds = { min: [-1, -1, -1] as [number, number, number], max: [1, 1, 1] as [number, number, number] };

const dir = mkdtempSync(join(tmpdir(), "sdfkit-mc-"));
const rows: Record<string, unknown>[] = [];
console.log(`machine: ${cpus().length} cores ${cpus()[0]?.model ?? ""}, Node ${process.version}, shared machine (other jobs running); reps ${REPS}`);
console.log("| grid | shape | sdfkit ms (median) | sdfkit + normals ms | skimage ms (median) | ratio skimage/sdfkit | ratio with normals | tris sdfkit | tris skimage |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const res of [128, 256]) {
  for (const [name, sdf] of shapes) {
    const g = sampleGrid(sdf, { res, bounds });
    const path = join(dir, `grid-${res}.f32`);
    writeFileSync(path, new Uint8Array(g.data.buffer, g.data.byteOffset, g.data.byteLength));
    marchingCubes(g); // warm-up (JIT)
    await skimage(path, g); // warm-up (imports, page cache)
    const ours: number[] = [], oursN: number[] = [], theirs: number[] = [];
    let trisOurs = 0, trisTheirs = 0;
    for (let r = 0; r < REPS; r++) {
      const t = performance.now();
      const m = marchingCubes(g);
      ours.push(performance.now() - t);
      trisOurs = m.indices.length / 3;
      const t2 = performance.now();
      marchingCubes(g, { computeNormals: true });
      oursN.push(performance.now() - t2);
      const s = await skimage(path, g);
      theirs.push(s.ms);
      trisTheirs = s.tris;
    }
    const mo = median(ours), mn = median(oursN), mt = median(theirs);
    rows.push({ res, shape: name, sdfkitMs: mo, sdfkitNormalsMs: mn, skimageMs: mt, ratio: mt / mo, ratioNormals: mt / mn, trisSdfkit: trisOurs, trisSkimage: trisTheirs, oursAll: ours, oursNormalsAll: oursN, skimageAll: theirs });
    console.log(`| ${res}³ | ${name} | ${mo.toFixed(1)} | ${mn.toFixed(1)} | ${mt.toFixed(1)} | ${(mt / mo).toFixed(2)} | ${(mt / mn).toFixed(2)} | ${trisOurs} | ${trisTheirs} |`);
  }
}
py.stdin.end();
rmSync(dir, { recursive: true, force: true });
mkdirSync("bench/results", { recursive: true });
const out = { bench: "marching-cubes", date: new Date().toISOString(), node: process.version, cores: cpus().length, reps: REPS, rows };
writeFileSync("bench/results/marching-cubes.json.tmp", JSON.stringify(out, null, 2));
renameSync("bench/results/marching-cubes.json.tmp", "bench/results/marching-cubes.json");
