import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(pkg, "../..");

describe("README", () => {
  it("the first ts snippet runs as pasted", () => {
    const md = readFileSync(join(pkg, "README.md"), "utf8");
    let code = /```ts\n([\s\S]*?)```/.exec(md)![1];
    code = code
      .replaceAll('"@sdfkit/sdf-core/node"', JSON.stringify(join(root, "packages/sdf-core/src/node/index.ts")))
      .replaceAll('"@sdfkit/sdf-core"', JSON.stringify(join(root, "packages/sdf-core/src/index.ts")))
      .replaceAll('"@sdfkit/sampling"', JSON.stringify(join(pkg, "src/index.ts")));
    const file = join(pkg, `.readme-snippet-${process.pid}.ts`);
    writeFileSync(file, code);
    try {
      const out = execFileSync(process.execPath, ["--import", "tsx", file], { cwd: root, encoding: "utf8" });
      const [method, boundary, pos, neg] = out.trim().split(/\s+/);
      expect(method).toBe("winding");
      expect(Number(boundary)).toBeGreaterThan(0);
      expect(Number(pos) + Number(neg)).toBe(20000);
      expect(Number(neg)).toBeGreaterThan(1000);
    } finally {
      rmSync(file, { force: true });
    }
  }, 60_000);
});
