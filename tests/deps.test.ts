import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../test-utils/shared-data.js";

const leaves = ["sampling", "segmentation", "render", "trainer", "vlm-data"];

describe("dependency DAG", () => {
  it("leaf packages import only @sdfkit/sdf-core among sdfkit packages", () => {
    const breaches: string[] = [];
    for (const pkg of leaves) {
      const dir = join(repoRoot, "packages", pkg);
      const j = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const deps = { ...j.dependencies, ...j.peerDependencies, ...j.optionalDependencies, ...j.devDependencies };
      for (const d of Object.keys(deps)) if (d.startsWith("@sdfkit/") && d !== "@sdfkit/sdf-core") breaches.push(`${pkg} -> ${d}`);
      const walk = (d: string) => {
        for (const f of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, f.name);
          if (f.isDirectory()) walk(p);
          else if (f.name.endsWith(".ts")) {
            const m = readFileSync(p, "utf8").match(/from\s+["']@sdfkit\/([a-z-]+)/g) ?? [];
            for (const s of m) if (!s.includes("@sdfkit/sdf-core")) breaches.push(`${p}: ${s}`);
          }
        }
      };
      walk(join(dir, "src"));
    }
    expect(breaches).toEqual([]);
  });
});
