import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../../test-utils/shared-data.js";

describe("examples/sample-meshes", () => {
  it("samples every shared OBJ into an .npz and writes the report", () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-sample-meshes-"));
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "sample-meshes.ts", "--", out, "2000"], { cwd: join(repoRoot, "examples", "sample-meshes"), encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith(".npz")).length).toBe(7);
    expect(existsSync(join(out, "report.md"))).toBe(true);
  }, 120_000);
});
