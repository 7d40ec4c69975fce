import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

it("README snippet runs and prints what it claims", () => {
  const md = readFileSync(join(pkgDir, "README.md"), "utf8");
  const m = /```ts\n([\s\S]*?)```/.exec(md);
  expect(m).not.toBeNull();
  const code = m![1]
    .replaceAll('"@sdfkit/sdf-core"', JSON.stringify(resolve(pkgDir, "../sdf-core/src/index.ts")))
    .replaceAll('"@sdfkit/segmentation"', JSON.stringify(resolve(pkgDir, "src/index.ts")));
  const file = join(pkgDir, `.readme-snippet-${process.pid}.ts`);
  writeFileSync(file, code);
  try {
    const r = spawnSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", cwd: pkgDir });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("parts: 4 ARI vs truth: 1");
    expect(r.stdout).toMatch(/PLY bytes: \d+/);
  } finally {
    rmSync(file, { force: true });
  }
}, 60_000);
