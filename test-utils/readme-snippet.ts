import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { repoRoot } from "./shared-data.js";

/**
 * Run the first ```ts block of packages/<pkg>/README.md as pasted: the block is written into the
 * package folder and run with tsx under the `source` export condition, so `@sdfkit/*` imports
 * resolve through the real workspace links and exports maps (to the sources, no build needed).
 * Returns stdout; throws with stderr when the snippet fails.
 */
export const runReadmeSnippet = (pkg: string): string => {
  const dir = join(repoRoot, "packages", pkg);
  const md = readFileSync(join(dir, "README.md"), "utf8");
  const m = /```ts\n([\s\S]*?)```/.exec(md);
  if (!m) throw new Error(`packages/${pkg}/README.md has no \`\`\`ts block`);
  const file = join(dir, `.readme-snippet-${process.pid}.ts`);
  writeFileSync(file, m[1]);
  try {
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", file], { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`README snippet of ${pkg} failed (${r.status}):\n${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(file, { force: true });
  }
};
