import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../../test-utils/shared-data.js";

describe("examples/deepcad-to-tinyllava", () => {
  it("runs the four stages on the 21 real files and writes a valid dataset, a contact sheet and a report", () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-ex-deepcad-"));
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "deepcad-to-tinyllava.ts", "--", out, "96", "2"], { cwd: join(repoRoot, "examples", "deepcad-to-tinyllava"), encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/extract: 17 train, 4 val, 0 skipped/);
    expect(r.stdout).toMatch(/validate: VALID/);
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toMatch(/\*\*VALID\*\*/);
    expect(report.split("\n").filter((l) => /^\| \d{4}\/\d{8} /.test(l)).length).toBe(21);
    expect(existsSync(join(out, "contact-sheet.png"))).toBe(true);
    expect(existsSync(join(out, "dataset", "train.json"))).toBe(true);
    rmSync(out, { recursive: true, force: true });
  }, 180_000);
});
