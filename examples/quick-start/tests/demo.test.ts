import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../../test-utils/shared-data.js";

describe("examples/quick-start (mesh-only tour: STEP import, CSG part, seed shapes)", () => {
  it("imports the STEP part, meshes the CSG bracket and the 9 seed shapes, writes OBJ + summary", () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-demo-"));
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "main.ts", "--out", out, "--res", "40"], {
      cwd: join(repoRoot, "examples", "quick-start"),
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(s.step).toMatchObject({ triangles: 3288, brepFaces: 29, watertight: true });
    expect(s.bracket.watertight).toBe(true);
    expect(s.seedShapes.map((x: { name: string }) => x.name)).toEqual(["snowman", "lollipop", "barbell", "mushroom", "tower", "table", "tpipe", "l_shape", "chair"]);
    for (const shape of s.seedShapes) expect(shape.watertight).toBe(true);
    for (const f of ["io1-cm-214.obj", "bracket.obj", "seed-chair.obj", "summary.md"]) expect(existsSync(join(out, f))).toBe(true);
  }, 120_000);
});
