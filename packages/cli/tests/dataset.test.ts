import { describe, expect, it, vi } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@sdfkit/cli";
import { sharedData } from "../../../test-utils/shared-data.js";
import { decodePng } from "../../../test-utils/png-decode.js";

const run = async (args: string[]) => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const err = vi.spyOn(console, "error").mockImplementation(() => {});
  const code = await runCli(args);
  const out = log.mock.calls.map((c) => c.join(" ")).join("\n");
  const errText = err.mock.calls.map((c) => c.join(" ")).join("\n");
  log.mockRestore();
  err.mockRestore();
  return { code, out, err: errText };
};

describe("sdfkit dataset + info on DeepCAD JSON", () => {
  it("info reconstructs a DeepCAD model: same keys as for meshes, watertight, exports STL", async () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-info-dc-"));
    const r = await run(["info", sharedData("deepcad", "00001005.json"), "--json", "--export", join(out, "part.stl")]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ format: "deepcad", watertight: true, components: 1, extrudes: 4 });
    expect(j.bbox.min[1]).toBeCloseTo(-0.0254, 6);
    expect(j.volume).toBeGreaterThan(0);
    const back = await run(["info", join(out, "part.stl"), "--json"]);
    expect(JSON.parse(back.out).triangles).toBe(j.triangles);
    rmSync(out, { recursive: true, force: true });
  });

  it("extract → render (real renderer) → convert → validate, on six real DeepCAD files", async () => {
    const src = mkdtempSync(join(tmpdir(), "sdfkit-dc-src-"));
    const ds = mkdtempSync(join(tmpdir(), "sdfkit-dc-out-"));
    for (const id of ["00000007", "00000131", "00001005", "00003999", "00280150", "00633023"]) {
      mkdirSync(join(src, "cad_json", id.slice(0, 4)), { recursive: true });
      symlinkSync(sharedData("deepcad", `${id}.json`), join(src, "cad_json", id.slice(0, 4), `${id}.json`));
    }
    const ex = await run(["dataset", "extract", src, ds, "--train", "4", "--val", "2", "--seed", "1", "--check", "solid", "--json"]);
    expect(ex.code).toBe(0);
    expect(JSON.parse(ex.out)).toMatchObject({ train: 4, val: 2 });
    const re = await run(["dataset", "render", ds, "--size", "64", "--grid", "--workers", "0", "--json"]);
    expect(re.code).toBe(0);
    expect(JSON.parse(re.out).models).toBe(6);
    const grid = decodePng(new Uint8Array(readFileSync(join(ds, "images", "00001005_grid.png"))));
    expect([grid.w, grid.h]).toEqual([128, 128]);
    const front = decodePng(new Uint8Array(readFileSync(join(ds, "images", "00001005_front.png"))));
    expect(front.w).toBe(64);
    // the part is drawn: some pixels differ from the background
    let dark = 0;
    for (let i = 0; i < front.out.length; i += front.ch) if (front.out[i] < 200) dark++;
    expect(dark).toBeGreaterThan(100);
    const cv = await run(["dataset", "convert", ds, "--json"]);
    expect(cv.code).toBe(0);
    expect(JSON.parse(cv.out).train).toBe(20); // 4 models × (iso, front, top, right views + the grid)
    const va = await run(["dataset", "validate", ds]);
    expect(va.code).toBe(0);
    expect(va.out).toMatch(/^VALID: 20 train \+ 10 val records/);
    rmSync(join(ds, "images", "00000007_front.png"), { force: true });
    const bad = await run(["dataset", "validate", ds, "--json"]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).valid).toBe(false);
    expect(existsSync(join(ds, "tinyllava_metadata.json"))).toBe(true);
    rmSync(src, { recursive: true, force: true });
    rmSync(ds, { recursive: true, force: true });
  }, 60_000);
});
