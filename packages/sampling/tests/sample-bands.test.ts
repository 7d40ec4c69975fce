import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng, marchingCubes, sampleGrid, sphere, InvalidArgumentError, ParseError } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { sampleBands, SAMPLING_PRESETS, splitBySign, subsampleBalanced, toDeepSdfNpz, fromDeepSdfNpz, splitCount, decodeNpz } from "@sdfkit/sampling";
import { sharedData } from "../../../test-utils/shared-data.js";

const ball = () => marchingCubes(sampleGrid(sphere(0.5), { res: 48 }));

describe("sampleBands", () => {
  it("follows the deepsdf preset: 47/50 near the surface in two jitters, 3/50 uniform, analytic-correct sdf", () => {
    const s = sampleBands(ball(), { count: 10000, rng: createRng(1) });
    const counts = [0, 0, 0];
    for (const b of s.band) counts[b]++;
    expect(counts).toEqual([4700, 4700, 600]);
    // the mesh is normalised: sphere r 0.5 → radius 1/1.03; compare with that analytic sdf
    const r = 1 / 1.03;
    let maxErr = 0;
    for (let i = 0; i < s.sdf.length; i++) {
      const d = Math.hypot(s.points[3 * i], s.points[3 * i + 1], s.points[3 * i + 2]) - r;
      maxErr = Math.max(maxErr, Math.abs(d - s.sdf[i]));
    }
    expect(maxErr).toBeLessThan(0.01); // 48³ marching-cubes mesh, after scaling
    // jitter spreads: std of sdf in band 0 ≈ sqrt(0.005), band 1 ≈ sqrt(0.0005)
    const std = (b: number) => {
      const v = Array.from(s.sdf).filter((_, i) => s.band[i] === b);
      return Math.sqrt(v.reduce((a, x) => a + x * x, 0) / v.length);
    };
    expect(std(0)).toBeGreaterThan(0.05);
    expect(std(0)).toBeLessThan(0.09);
    expect(std(1)).toBeGreaterThan(0.015);
    expect(std(1)).toBeLessThan(0.028);
    expect(s.report.signMethod).toBe("winding");
  });
  it("is deterministic per seed and follows the seed-v2 mix", () => {
    const a = sampleBands(ball(), { count: 2000, bands: SAMPLING_PRESETS["seed-v2"], rng: createRng(5) });
    const b = sampleBands(ball(), { count: 2000, bands: SAMPLING_PRESETS["seed-v2"], rng: createRng(5) });
    const c = sampleBands(ball(), { count: 2000, bands: SAMPLING_PRESETS["seed-v2"], rng: createRng(6) });
    expect(Array.from(a.points)).toEqual(Array.from(b.points));
    expect(Array.from(a.sdf)).toEqual(Array.from(b.sdf));
    expect(Array.from(a.points)).not.toEqual(Array.from(c.points));
    expect(splitCount(2000, [0.3, 0.4, 0.2, 0.1])).toEqual([600, 800, 400, 200]);
  });
  it("samples surface bands at sdf 0 with normals and face ids, uniform balls inside the radius, and clamps", () => {
    const s = sampleBands(ball(), { count: 1000, rng: createRng(2), clamp: 0.1, bands: [{ kind: "surface", fraction: 1 }, { kind: "uniform", fraction: 1, region: "sphere", extent: 0.9 }] });
    for (let i = 0; i < 1000; i++) {
      if (s.band[i] === 0) {
        expect(s.sdf[i]).toBe(0);
        expect(s.faceIds![i]).not.toBe(0xffffffff);
      } else expect(Math.hypot(s.points[3 * i], s.points[3 * i + 1], s.points[3 * i + 2])).toBeLessThanOrEqual(0.9 + 1e-6);
      expect(Math.abs(s.sdf[i])).toBeLessThanOrEqual(Math.fround(0.1));
    }
    expect(s.transform.scale).toBeGreaterThan(0);
  });
  it("handles the open bunny mesh (winding number) and reports how open it is", async () => {
    const s = sampleBands(await readMesh(sharedData("obj", "stanford-bunny.obj")), { count: 3000, rng: createRng(3) });
    expect(s.report.watertight).toBe(false);
    expect(s.report.boundaryEdges).toBe(223);
    const { pos, neg } = splitBySign(s);
    expect(pos.sdf.length + neg.sdf.length).toBe(3000);
    expect(neg.sdf.length).toBeGreaterThan(600);
  }, 30_000);
  it("rejects bad options with typed errors", () => {
    expect(() => sampleBands(ball(), { count: 0 })).toThrow(InvalidArgumentError);
    expect(() => sampleBands(ball(), { bands: [{ kind: "gaussian", fraction: 1, sigma: -1 }] })).toThrow(/sigma/);
    expect(() => sampleBands(ball(), { bands: [] })).toThrow(/bands/);
  });
});

describe("balanced subsampling and .npz", () => {
  it("draws half non-negative, half negative samples", () => {
    const s = sampleBands(ball(), { count: 4000, rng: createRng(7) });
    const b = subsampleBalanced(s, 1000, createRng(8));
    expect(Array.from(b.sdf.subarray(0, 500)).every((v) => v >= 0)).toBe(true);
    expect(Array.from(b.sdf.subarray(500)).every((v) => v < 0)).toBe(true);
  });
  it("writes DeepSDF's pos/neg N×4 float32 layout, reads it back, and numpy loads it", () => {
    const s = sampleBands(ball(), { count: 3000, rng: createRng(9) });
    const bytes = toDeepSdfNpz(s);
    const back = fromDeepSdfNpz(bytes);
    expect(back.sdf.length).toBe(3000);
    const a = decodeNpz(bytes);
    expect(a.pos.shape[1]).toBe(4);
    expect(a.pos.shape[0] + a.neg.shape[0]).toBe(3000);
    expect(Array.from(a.neg.data).filter((_, i) => i % 4 === 3).every((v) => v < 0)).toBe(true);
    expect(() => fromDeepSdfNpz(new Uint8Array([1, 2, 3]))).toThrow(ParseError);
    const py = spawnSync("/usr/bin/python3", ["-c", "import numpy"], { encoding: "utf8" });
    if (py.status !== 0) return; // numpy absent: the layout checks above still ran
    const file = join(mkdtempSync(join(tmpdir(), "sdfkit-npz-")), "s.npz");
    writeFileSync(file, bytes);
    const r = spawnSync("/usr/bin/python3", ["-c", `import numpy as np; d = np.load(${JSON.stringify(file)}); p, n = d["pos"], d["neg"]; print(p.dtype, p.shape[1], n.shape[1], p.shape[0] + n.shape[0], bool((p[:, 3] >= 0).all()), bool((n[:, 3] < 0).all()), float(p[0, 0]))`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const [dtype, c1, c2, total, posOk, negOk, first] = r.stdout.trim().split(" ");
    expect([dtype, c1, c2, total, posOk, negOk]).toEqual(["float32", "4", "4", "3000", "True", "True"]);
    expect(Number(first)).toBeCloseTo(a.pos.data[0], 6);
  });
});
