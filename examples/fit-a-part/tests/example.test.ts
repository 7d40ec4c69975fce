import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readMesh } from "@sdfkit/sdf-core/node";
import { loadInferenceBundle } from "@sdfkit/trainer";
import { repoRoot } from "../../../test-utils/shared-data.js";
import { decodePng } from "../../../test-utils/png-decode.js";

/** Pixels of the image block [x0, x1) × [y0, y1) that differ from white. */
const inked = (png: ReturnType<typeof decodePng>, x0: number, y0: number, x1: number, y1: number) => {
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const o = 4 * (y * png.w + x);
      if (png.rgba[o] < 250 || png.rgba[o + 1] < 250 || png.rgba[o + 2] < 250) n++;
    }
  return n;
};

describe("examples/fit-a-part", () => {
  it("is what the README's first quick-start line runs (`pnpm demo` = this example's --demo setting)", () => {
    const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts;
    expect(scripts.demo).toBe("pnpm --filter @sdfkit/example-fit-a-part start -- --demo");
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const block = readme.slice(readme.indexOf("## Quick start")).match(/```sh\n([^`]*)```/)![1].trim().split("\n");
    expect(block[0]).toMatch(/pnpm demo$/);
    expect(block[1]).toBe("pnpm install --frozen-lockfile && pnpm test");
    expect(JSON.parse(readFileSync(join(repoRoot, "examples", "fit-a-part", "package.json"), "utf8")).scripts.start).toMatch(/fit-a-part\.ts$/);
  });

  it("runs STEP → samples → seed-v2 → mesh → Chamfer → renders → segments → report at its smoke setting", async () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-fit-a-part-"));
    try {
      const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "fit-a-part.ts", "--smoke", "--out", out], { cwd: join(repoRoot, "examples", "fit-a-part"), encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const rep = JSON.parse(r.stdout.trim().split("\n").pop()!);
      expect(rep).toEqual(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
      expect(rep.input.triangles).toBe(3288); // io1-cm-214.stp as OpenCascade tessellates it
      expect(rep.decoder).toMatchObject({ preset: "seed-v2", parameters: 460890 });
      expect(rep.training.epochs).toBe(6);
      expect(rep.mesh.triangles).toBeGreaterThan(0);
      expect(Number.isFinite(rep.chamferX1000) && rep.chamferX1000 > 0).toBe(true);
      expect(rep.signAccuracy).toBeGreaterThanOrEqual(0);
      expect(rep.signAccuracy).toBeLessThanOrEqual(1);
      for (const f of rep.files) expect(existsSync(join(out, f)), f).toBe(true);
      // the normalised input lies in the unit sphere; the reconstruction came from the decoder's grid in [-1, 1]³
      const input = await readMesh(join(out, "input.obj"));
      let r2 = 0;
      for (let i = 0; i < input.positions.length; i += 3) r2 = Math.max(r2, input.positions[i] ** 2 + input.positions[i + 1] ** 2 + input.positions[i + 2] ** 2);
      expect(Math.sqrt(r2)).toBeCloseTo(1 / 1.03, 4);
      // comparison.png: 4 views × (input, fit) at 128 px with 2 px gaps, both rows inked
      const cmp = decodePng(new Uint8Array(readFileSync(join(out, "comparison.png"))));
      expect([cmp.w, cmp.h]).toEqual([4 * 128 + 5 * 2, 2 * 128 + 3 * 2]);
      for (let col = 0; col < 4; col++) {
        const x0 = 2 + col * 130;
        expect(inked(cmp, x0, 20, x0 + 128, 130), `input view ${col}`).toBeGreaterThan(500);
        expect(inked(cmp, x0, 150, x0 + 128, 260), `fit view ${col}`).toBeGreaterThan(100);
      }
      const plot = decodePng(new Uint8Array(readFileSync(join(out, "log.png"))));
      expect(inked(plot, 0, 0, plot.w, plot.h)).toBeGreaterThan(1000);
      if (rep.segments) {
        expect(rep.segments.parts).toBeGreaterThanOrEqual(1);
        expect(rep.segments.partVertices.reduce((a: number, b: number) => a + b, 0)).toBe((await readMesh(join(out, "reconstruction.obj"))).positions.length / 3);
      }
      const md = readFileSync(join(out, "report.md"), "utf8");
      expect(md).toContain(`**${rep.chamferX1000.toFixed(3)}**`);
      for (const img of ["comparison.png", "log.png"]) expect(md).toContain(`(${img})`);
      const bundle = await loadInferenceBundle(out);
      expect(bundle.shapes).toEqual(["part"]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
