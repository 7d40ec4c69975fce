import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng, marchingCubes, sampleGrid, sphere, union } from "@sdfkit/sdf-core";
import { MeshSdf } from "@sdfkit/sampling";
import { repoRoot, sharedData } from "../../../test-utils/shared-data.js";
import { meshPartSdfs } from "../part-sdf-railing.js";

describe("meshPartSdfs", () => {
  it("splits a closed mesh's solid by nearest part: signs agree with the mesh, equal outside, each inside point owned by its nearest part", () => {
    const a = sphere(0.4, [-0.25, 0, 0]), b = sphere(0.3, [0.3, 0, 0]);
    const mesh = marchingCubes(sampleGrid(union(a, b), { res: 40, bounds: { min: [-1, -1, -1], max: [1, 1, 1] } }));
    const nv = mesh.positions.length / 3, labels = new Uint32Array(nv), pa = a(mesh.positions), pb = b(mesh.positions);
    for (let v = 0; v < nv; v++) labels[v] = pa[v] <= pb[v] ? 0 : 1;
    const { sdfs, parts } = meshPartSdfs(mesh, labels);
    expect(parts.map((p) => p.label)).toEqual([0, 1]);
    const rng = createRng(3), n = 2000, q = Float32Array.from({ length: 3 * n }, () => rng.uniform(-0.8, 0.8));
    const D = new MeshSdf(mesh).signedDistance(q), d0 = sdfs[0](q), d1 = sdfs[1](q);
    const u = parts.map((p) => new MeshSdf(p.mesh).distance(q));
    let inside = 0;
    for (let i = 0; i < n; i++) {
      const m = Math.min(d0[i], d1[i]);
      expect(Math.sign(m)).toBe(Math.sign(D[i]));
      if (D[i] >= 0) expect(m).toBe(D[i]);
      else {
        inside++;
        const owner = u[0][i] <= u[1][i] ? 0 : 1; // the part whose triangles are nearest
        expect([d0[i], d1[i]][owner]).toBeLessThanOrEqual(0);
        expect([d0[i], d1[i]][1 - owner]).toBeGreaterThanOrEqual(0);
      }
    }
    expect(inside).toBeGreaterThan(50);
  });
});

describe("examples/part-sdf-railing", () => {
  it("trains heads on pseudo parts of railing8 and scores them against the true parts at its smallest setting", () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-part-sdf-railing-"));
    try {
      // pseudo ground truth with the 8 balusters merged into one part: 3 heads for 10 true parts
      const truth = readFileSync(sharedData("generated", "railing8.labels.txt"), "utf8").trim().split(/\s+/).map(Number);
      writeFileSync(join(out, "labels.txt"), truth.map((l) => Math.min(l, 2)).join("\n"));
      const r = spawnSync(
        process.execPath,
        ["--conditions=source", "--import", "tsx", "part-sdf-railing.ts", "--", "--out", out, "--labels", join(out, "labels.txt"), "--steps", "3", "--batch", "64", "--pe", "0", "--width", "16", "--sigma", "0.01", "--spacing", "0.08", "--pool", "2000"],
        { cwd: join(repoRoot, "examples", "part-sdf-railing"), encoding: "utf8" },
      );
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      expect(report.pseudoParts).toBe(3);
      expect(report.trueParts).toBe(10);
      expect(report.iouVsTrueParts.headOfTruePart.filter((h: number) => h >= 0).sort()).toEqual([0, 1, 2]);
      expect(report.iouVsTrueParts.headOfTruePart.slice(0, 2)).toEqual([0, 1]); // base and top rail keep their heads
      for (const x of [...report.iouVsTrueParts.parts, report.unionIouVsMesh, ...report.iouVsOwnTargets.parts]) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
      expect(report.labelAri).toBeLessThan(1);
      expect(report.training).toMatchObject({ pool: 2000, frame: "box" });
      expect(existsSync(join(out, "slice.png"))).toBe(true);
      expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/union IoU vs the whole mesh/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 240_000);
});
