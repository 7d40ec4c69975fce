/**
 * The dependency rule of STYLE.md §7: the leaf packages (sampling, segmentation, render, trainer,
 * vlm-data) depend on @sdfkit/sdf-core only, never on each other; only cli composes. Exits 1 on a breach.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const leaves = ["sampling", "segmentation", "render", "trainer", "vlm-data"];
let bad = 0;
for (const pkg of readdirSync("packages")) {
  if (!leaves.includes(pkg)) continue;
  const j = JSON.parse(readFileSync(join("packages", pkg, "package.json"), "utf8"));
  const deps = { ...j.dependencies, ...j.peerDependencies, ...j.optionalDependencies };
  for (const d of Object.keys(deps)) {
    if (d.startsWith("@sdfkit/") && d !== "@sdfkit/sdf-core") {
      console.error(`packages/${pkg} depends on ${d}: leaves may import only @sdfkit/sdf-core`);
      bad++;
    }
  }
}
console.log(bad ? `${bad} dependency rule breach(es)` : "dependency rule holds");
process.exit(bad ? 1 : 0);
