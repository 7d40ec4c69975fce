/**
 * `pnpm bench [filter]`: runs every `packages/*\/bench/*.bench.ts` (or those whose path contains
 * `filter`) one after another with tsx, so each gets the machine to itself; further arguments go to
 * each chosen benchmark (`pnpm bench decoder deepsdf 16384`). Every benchmark prints
 * its figures and, where the anchor runs here, the ratio to it measured in the same run; it also
 * writes `bench/results/<name>.json`. Copy the figures into BENCHMARKS.md.
 */
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const filter = process.argv[2] ?? "";
const extra = process.argv.slice(3); // passed on to each chosen benchmark
const files: string[] = [];
for (const pkg of readdirSync("packages")) {
  const dir = join("packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir)) if (f.endsWith(".bench.ts")) files.push(join(dir, f));
}
const chosen = files.filter((f) => f.includes(filter)).sort();
if (chosen.length === 0) {
  console.error(`no benchmark matches '${filter}'`);
  process.exit(1);
}
let failed = 0;
for (const f of chosen) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", f, ...extra], { stdio: "inherit", env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE" } });
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${f} exited with ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
