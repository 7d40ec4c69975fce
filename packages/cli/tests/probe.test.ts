import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { assemblyLabels, assemblySdf, createRng, seedShape, type AssemblySpec } from "@sdfkit/sdf-core";
import { adjustedRandIndex } from "@sdfkit/segmentation";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { assemblySampleSource, probeReportMarkdown, probeShapes, runCli, sampleBand, type ProbedShape } from "@sdfkit/cli";

const dir = mkdtempSync(join(tmpdir(), "sdfkit-probe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await selectBackend({ prefer: "wasm", log: false });
});

/** Two disjoint spheres: any spatial clustering separates them, so ARI 1 is reachable after little training. */
const twoBalls: AssemblySpec = {
  name: "two_balls",
  parts: [
    { type: "sphere", center: [-0.5, 0, 0], radius: 0.25 },
    { type: "sphere", center: [0.5, 0, 0], radius: 0.25 },
  ],
};

const runJson = async (args: string[]) => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const err = vi.spyOn(console, "error").mockImplementation(() => {});
  const code = await runCli(args);
  const out = log.mock.calls.flat().join("\n"), msg = err.mock.calls.flat().join("\n");
  log.mockRestore();
  err.mockRestore();
  return { code, out, msg };
};

describe("probe samples", () => {
  it("sampleBand returns points inside the band, spread over every part", () => {
    const spec = seedShape("barbell"), sdf = assemblySdf(spec);
    const p = sampleBand(spec, sdf, 3000, 0.015, createRng(1));
    const d = sdf(p);
    expect(Math.max(...Array.from(d, Math.abs))).toBeLessThan(0.015);
    const left = Array.from({ length: 3000 }, (_, i) => p[3 * i]).filter((x) => x < -0.3).length;
    expect(left).toBeGreaterThan(500); // the left ball holds about a third of the area
  });

  it("assemblySampleSource gives the exact union sdf with both signs and a near-surface majority", () => {
    const spec = seedShape("chair"), src = assemblySampleSource([spec], 3);
    const s = src.sample("chair", 4000, "BALANCED", createRng(2)) as { points: Float32Array; sdf: Float32Array };
    const exact = assemblySdf(spec)(s.points);
    expect(Array.from(s.sdf)).toEqual(Array.from(exact));
    const near = Array.from(s.sdf).filter((d) => Math.abs(d) < 0.05).length;
    expect(near / 4000).toBeGreaterThan(0.5);
    expect(s.sdf.some((d) => d < 0) && s.sdf.some((d) => d > 0)).toBe(true);
    expect(() => src.sample("nope", 10, "BALANCED", createRng(1))).toThrow(/chair/);
  });
});

describe("sdfkit probe", () => {
  it("trains a tiny shared decoder and reports per-layer ARI with a label-free layer choice (--json)", async () => {
    const file = join(dir, "shapes.json");
    writeFileSync(file, JSON.stringify({ shapes: [twoBalls, seedShape("snowman")] }));
    const { code, out } = await runJson(["probe", "--shapes", file, "--epochs", "30", "--samples", "512", "--points", "400", "--pe", "0", "--json"]);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.shapes.map((s: { name: string; k: number }) => [s.name, s.k])).toEqual([["two_balls", 2], ["snowman", 2]]);
    expect(r.method).toBe("crease");
    for (const s of r.shapes) {
      expect(s.layerAri).toHaveLength(4); // 3 hidden layers + all concatenated
      expect(s.creaseLayerAri).toHaveLength(4);
      expect(s.kmeansAri).toBe(s.layerAri[s.layer]);
      expect(s.ari).toBe(s.creaseAri);
      expect(s.pieces).toBeGreaterThanOrEqual(2);
      expect(s.silhouette[s.layer]).toBe(Math.max(...s.silhouette));
      expect(s.accuracy).toBeGreaterThanOrEqual(0.5);
      expect(s.accuracy).toBeLessThanOrEqual(1);
    }
    for (const s of r.shapes)
      for (const v of [s.classifier.surface.centroid, s.classifier.surface.softmax, s.classifier.volume.centroid, s.classifier.volume.softmax]) {
        expect(v).toBeGreaterThanOrEqual(0.5);
        expect(v).toBeLessThanOrEqual(1);
      }
    // the balls' clusters are right, so a classifier fitted on them labels held-out surface and interior points right
    expect(r.shapes[0].classifier.surface.centroid).toBeGreaterThan(0.95);
    expect(r.shapes[0].classifier.volume.centroid).toBeGreaterThan(0.9);
    expect(r.meanAri).toBeCloseTo((r.shapes[0].ari + r.shapes[1].ari) / 2, 12);
    // two disjoint balls: with raw-xyz input every layer's clustering finds them (PE 6 needs far more training);
    // the crease graph separates them whatever the decoder learnt (they share no edge but the bridge)
    expect(r.shapes[0].kmeansAri).toBeGreaterThan(0.95);
    expect(r.shapes[0].ari).toBeGreaterThan(0.95);
    expect(r.meanKmeansAri).toBeCloseTo((r.shapes[0].kmeansAri + r.shapes[1].kmeansAri) / 2, 12);
    expect(r.finalL1).toBeLessThan(0.05);
  }, 90_000);

  it("hands each shape's probe points and labelings to onShape, and formats the ARI table", async () => {
    const seen: ProbedShape[] = [];
    const r = await probeShapes([twoBalls, seedShape("tower")], { epochs: 2, samplesPerScene: 128, probePoints: 200, peFrequencies: 0, onShape: (s) => void seen.push(s) });
    expect(seen.map((s) => s.spec.name)).toEqual(["two_balls", "tower"]);
    seen.forEach((s, i) => {
      expect(s.points.length).toBe(3 * 200);
      expect(Array.from(s.truth)).toEqual(Array.from(assemblyLabels(s.spec, s.points)));
      expect(s.layer).toBe(r.shapes[i].layer);
      expect(adjustedRandIndex(s.truth, s.labels)).toBeCloseTo(r.shapes[i].ari, 12);
    });
    const md = probeReportMarkdown(r).split("\n");
    expect(md).toHaveLength(2 + 2 + 1); // header, rule, 2 shapes, mean
    expect(md[0]).toContain("| k-means layer all |");
    expect(md[0]).toContain("| **crease ARI (label-free)** |");
    expect(md[3]).toMatch(new RegExp(`^\\| tower \\| 3 \\| ${r.shapes[1].creaseAri.toFixed(3)} \\| .*\\| ${r.shapes[1].kmeansAri.toFixed(3)} \\| .*\\| 0\\.601 \\| ${r.shapes[1].accuracy.toFixed(3)} \\|$`));
    expect(md[4]).toContain(`**${r.meanAri.toFixed(3)}**`);
    // the seed's protocol as the headline
    const k = await probeShapes([twoBalls, seedShape("tower")], { epochs: 2, samplesPerScene: 128, probePoints: 200, peFrequencies: 0, method: "kmeans" });
    for (const s of k.shapes) expect(s.ari).toBe(s.layerAri[s.layer]);
    expect(probeReportMarkdown(k).split("\n")[0]).toContain("| **k-means ARI (label-free)** |");
  }, 60_000);

  it("fails with a message naming the bad key of a spec file, and rejects one-part shapes", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify([{ name: "x", parts: [{ type: "sphere", center: [0, 0, 0], radius: -1 }] }]));
    const r1 = await runJson(["probe", "--shapes", bad, "--json"]);
    expect(r1.code).toBe(1);
    expect(r1.msg).toMatch(/parts\[0\]\.radius/);
    await expect(probeShapes([{ name: "one", parts: [twoBalls.parts[0]] }], { epochs: 1 })).rejects.toThrow(/at least 2 parts/);
    const r2 = await runJson(["probe", "--epochs", "zero"]);
    expect(r2.code).toBe(2);
  });
});
