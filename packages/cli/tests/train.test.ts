import { describe, expect, it, vi } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@sdfkit/cli";
import { readMesh } from "@sdfkit/sdf-core/node";
import { sharedData } from "../../../test-utils/shared-data.js";

const run = async (args: string[]) => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const err = vi.spyOn(console, "error").mockImplementation(() => {});
  const code = await runCli(args);
  const out = log.mock.calls.map((c) => c.join(" ")).join("\n");
  log.mockRestore();
  err.mockRestore();
  return { code, out };
};

describe("sdfkit train / eval / mesh / reconstruct", () => {
  it("trains two real meshes into an experiment folder, resumes, evaluates, meshes and reconstructs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfkit-train-"));
    const meshes = [sharedData("obj", "fandisk.obj"), sharedData("obj", "spot.obj")];
    const t = await run(["train", ...meshes, "-e", dir, "--preset", "seed-v1", "--epochs", "30", "--samples", "1024", "--pool", "4000", "--val-res", "17", "--json"]);
    expect(t.code).toBe(0);
    const j = JSON.parse(t.out);
    expect(j).toMatchObject({ shapes: ["fandisk", "spot"], preset: "seed-v1", epochs: 30, resumedFrom: 0 });
    expect(j.valSignAccuracy).toBeGreaterThan(0.3);
    for (const f of ["specs.json", "log.csv", "log.png", "inference.json", "inference.bin", "checkpoints/epoch-000030.ckpt"]) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, "log.csv"), "utf8").trim().split("\n").length).toBe(31);
    // a second run finds the finished checkpoint and does no more work
    const again = await run(["train", ...meshes, "-e", dir, "--json"]);
    expect(JSON.parse(again.out)).toMatchObject({ resumedFrom: 30, epochs: 30 });
    const ev = await run(["eval", "-e", dir, ...meshes, "--res", "33", "--samples", "2000", "--json"]);
    expect(ev.code).toBe(0);
    const rows = JSON.parse(ev.out);
    expect(rows.map((r: { shape: string }) => r.shape)).toEqual(["fandisk", "spot"]);
    for (const r of rows) expect(Number.isFinite(r.chamferX1000)).toBe(true);
    const me = await run(["mesh", "-e", dir, "--shape", "spot", "--res", "33", "--json"]);
    expect(me.code).toBe(0);
    const [m] = JSON.parse(me.out);
    // meshes come back in the original units: inside the original bounding box (with the 3 % margin)
    const orig = await readMesh(meshes[1]);
    const out = await readMesh(m.file);
    const lo = [0, 1, 2].map((k) => Math.min(...Array.from(orig.positions.filter((_, i) => i % 3 === k))));
    const hi = [0, 1, 2].map((k) => Math.max(...Array.from(orig.positions.filter((_, i) => i % 3 === k))));
    const ext = Math.max(...hi.map((h, k) => h - lo[k]));
    for (let i = 0; i < out.positions.length; i++) {
      expect(out.positions[i]).toBeGreaterThan(lo[i % 3] - ext);
      expect(out.positions[i]).toBeLessThan(hi[i % 3] + ext);
    }
    const rec = await run(["reconstruct", "-e", dir, meshes[0], "--out", join(dir, "rec.obj"), "--iterations", "10", "--samples", "4000", "--res", "33", "--json"]);
    expect(rec.code).toBe(0);
    expect(JSON.parse(rec.out).iterations).toBe(10);
    expect(existsSync(join(dir, "rec.obj"))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});
