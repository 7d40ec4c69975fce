import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePly } from "@sdfkit/sdf-core";
import { repoRoot } from "../../../test-utils/shared-data.js";

describe("examples/segment-railing", () => {
  it("runs mesh → samples → train → mesh → segments → coloured PLY at its smallest setting", () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-segment-railing-"));
    try {
      const run = (dir: string) =>
        spawnSync(
          process.execPath,
          ["--conditions=source", "--import", "tsx", "segment-railing.ts", "--", "--out", dir, "--cache", join(out, "cache"), "--epochs", "3", "--samples", "1024", "--pool", "20000", "--preset", "32,32", "--pe", "0", "--res", "32", "--kmeans-sample", "2000", "--interior", "500"],
          { cwd: join(repoRoot, "examples", "segment-railing"), encoding: "utf8" },
        );
      const r = run(out);
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      expect(report.decoder.cached).toBe(false);
      expect(existsSync(join(out, "cache", "inference.json"))).toBe(true);
      expect(report.types).toBeGreaterThanOrEqual(2);
      expect(report.types).toBeLessThanOrEqual(5);
      expect(report.partVertices.reduce((a: number, b: number) => a + b, 0)).toBe(58828);
      expect(report.vertices).toBe(58828);
      expect(report.parts).toBeGreaterThanOrEqual(1);
      expect(report.ari).toBeGreaterThanOrEqual(-1);
      expect(report.ari).toBeLessThanOrEqual(1);
      expect(report.interiorPoints).toBeGreaterThan(0);
      for (const kind of ["centroid", "softmax"]) expect(report.interiorClassifierAccuracy[kind]).toBeGreaterThan(0);
      expect(report.candidates.length).toBe(2 * 4); // agreement: 2 hidden layers × k ∈ 2..5
      expect(Object.keys(report.candidates[0]).sort()).toEqual(["agreement", "k", "layer", "parts"]); // no per-vertex labels in the report (they made it megabytes)
      const files = readdirSync(out);
      expect(files.filter((f) => /^part-\d+\.obj$/.test(f)).length).toBe(report.parts);
      expect(existsSync(join(out, "decoder-mesh.obj"))).toBe(report.decoderMesh !== null); // 3 epochs may leave the decoder without a surface
      const ply = parsePly(new Uint8Array(readFileSync(join(out, "segmented.ply"))));
      expect(ply.positions.length / 3).toBe(58828);
      expect(ply.colors?.length).toBeGreaterThan(0);
      expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/ARI vs labels/);
      // second run: the decoder comes from the cache (no training) and the segmentation is the same
      const again = run(join(out, "again"));
      expect(again.status, again.stderr).toBe(0);
      const report2 = JSON.parse(readFileSync(join(out, "again", "report.json"), "utf8"));
      expect(report2.decoder.cached).toBe(true);
      expect(report2.parts).toBe(report.parts);
      expect(report2.ari).toBeCloseTo(report.ari, 10);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
