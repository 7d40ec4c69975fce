import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../../test-utils/shared-data.js";

describe("examples/fit-railing", () => {
  it("fits railing8 with V1 and V2 at its smallest setting and writes the report, renders and curves", () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-ex-railing-"));
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "fit-railing.ts", "--", out, "12", "2048", "33"], { cwd: join(repoRoot, "examples", "fit-railing"), encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout.trim().split("\n").pop()!);
    expect(j.rows.map((x: { preset: string }) => x.preset)).toEqual(["seed-v1", "seed-v2"]);
    for (const x of j.rows) {
      expect(x.coverage).toHaveLength(8);
      for (const c of x.coverage) expect(c).toBeGreaterThanOrEqual(0);
    }
    for (const f of ["report.md", "fits.png", "log-v1.png", "log-v2.png"]) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/\| seed-v2 \| 460,890 \|/);
    rmSync(out, { recursive: true, force: true });
  }, 240_000);
});
