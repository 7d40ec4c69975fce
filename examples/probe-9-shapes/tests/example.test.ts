import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SEED_SHAPES } from "@sdfkit/sdf-core";
import { repoRoot } from "../../../test-utils/shared-data.js";
import { decodePng } from "../../../test-utils/png-decode.js";
import { matchClusters } from "../probe-9-shapes.js";

describe("examples/probe-9-shapes", () => {
  it("matchClusters renames clusters to the parts they overlap most", () => {
    const truth = Uint32Array.from([0, 0, 0, 1, 1, 2, 2, 2]);
    expect(Array.from(matchClusters(truth, Uint32Array.from([2, 2, 1, 0, 0, 1, 1, 1]), 3))).toEqual([0, 0, 2, 1, 1, 2, 2, 2]);
  });

  it("trains one decoder over the 9 seed shapes and writes the ARI table, JSON and truth-vs-cluster renders (smoke)", () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-probe9-"));
    try {
      const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "probe-9-shapes.ts", "--", "--smoke", "--out", out], { cwd: join(repoRoot, "examples", "probe-9-shapes"), encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const rep = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      expect(rep.settings).toMatchObject({ epochs: 10, samples: 256, points: 400 });
      expect(rep.shapes.map((s: { name: string; k: number }) => [s.name, s.k])).toEqual(SEED_SHAPES.map((s) => [s.name, s.parts.length]));
      for (const s of rep.shapes) {
        expect(s.layerAri).toHaveLength(4);
        expect(s.kmeansAri).toBe(s.layerAri[s.layer]);
        expect(s.ari).toBe(s.creaseAri);
        expect(s.ari).toBeGreaterThanOrEqual(-1);
        expect(s.ari).toBeLessThanOrEqual(1);
      }
      expect(rep.meanAri).toBeCloseTo(rep.shapes.reduce((a: number, s: { ari: number }) => a + s.ari, 0) / 9, 12);
      const md = readFileSync(join(out, "report.md"), "utf8");
      for (const s of rep.shapes) expect(md).toMatch(new RegExp(`\\| ${s.name} \\| ${s.k} \\| ${s.ari.toFixed(3)} \\| .*\\| ${s.kmeansAri.toFixed(3)} \\|`));
      expect(md).toContain(`**${rep.meanAri.toFixed(3)}**`);
      expect(md).toContain("(probe.png)");
      expect(md).toContain("(log.png)");
      const log = decodePng(new Uint8Array(readFileSync(join(out, "log.png"))));
      expect(log.w * log.h).toBeGreaterThan(0);
      expect(readFileSync(join(out, "log.csv"), "utf8").trim().split("\n")).toHaveLength(1 + 10); // header + one row per epoch
      // 9 pairs of 96-px renders in 6 columns with 2-px gaps; every tile shows a part
      const png = decodePng(new Uint8Array(readFileSync(join(out, "probe.png"))));
      expect([png.w, png.h]).toEqual([6 * 96 + 7 * 2, 3 * 96 + 4 * 2]);
      for (let t = 0; t < 18; t++) {
        const x0 = 2 + (t % 6) * 98, y0 = 2 + Math.floor(t / 6) * 98;
        let inked = 0;
        for (let y = y0 + 12; y < y0 + 96; y++)
          for (let x = x0; x < x0 + 96; x++) {
            const o = 4 * (y * png.w + x);
            if (png.rgba[o] < 250 || png.rgba[o + 1] < 250 || png.rgba[o + 2] < 250) inked++;
          }
        expect(inked, `tile ${t}`).toBeGreaterThan(150);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
