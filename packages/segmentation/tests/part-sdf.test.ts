import { beforeAll, describe, expect, it } from "vitest";
import { box, createRng, InvalidArgumentError, partSdfs, seedShape, sphere } from "@sdfkit/sdf-core";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { PartSdfDecoder, partIou, trainPartSdf } from "@sdfkit/segmentation/model";

beforeAll(async () => {
  await selectBackend({ prefer: "wasm", log: false });
});

describe("partIou", () => {
  it("is 1 for the truth itself and matches the analytic IoU of two spheres", () => {
    const truth = [sphere(0.5), box([0.3, 0.3, 0.3], [0.5, 0, 0])];
    const exact = (p: Float32Array) => {
      const n = p.length / 3, a = truth[0](p), b = truth[1](p), out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) [out[2 * i], out[2 * i + 1]] = [a[i], b[i]];
      return out;
    };
    const self = partIou(exact, truth, { res: 40 });
    expect(self).toEqual({ parts: [1, 1], union: 1, ownership: 1 });
    // predicted part 0 = sphere r 0.4 inside the true r 0.5: IoU = (0.4/0.5)^3 = 0.512 (grid error ~ 3 %)
    const small = sphere(0.4);
    const pred = (p: Float32Array) => {
      const n = p.length / 3, a = small(p), b = truth[1](p), out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) [out[2 * i], out[2 * i + 1]] = [a[i], b[i]];
      return out;
    };
    const r = partIou(pred, truth, { res: 64 });
    expect(r.parts[0]).toBeCloseTo(0.512, 1);
    expect(r.parts[1]).toBe(1);
    expect(() => partIou(pred, [truth[0]], { res: 8 })).toThrow(InvalidArgumentError);
  });
});

describe("PartSdfDecoder + trainPartSdf", () => {
  it("learns per-part SDFs of a snowman: heads fit their own part, union = min, interior ownership right", async () => {
    const truth = partSdfs(seedShape("snowman"));
    const d = new PartSdfDecoder({ parts: 2, trunk: [64, 64], head: 0, peFrequencies: 2 }, { seed: 3 });
    const before = partIou((p) => d.evaluateParts(p), truth, { res: 24 });
    const logs: number[] = [];
    const last = await trainPartSdf(d, truth, { steps: 200, batchSize: 1024, eikonalPoints: 256, learningRate: 3e-3, rng: createRng(1), onProgress: (e) => logs.push(e.l1) });
    expect(last.l1).toBeLessThan(logs[0] / 3);
    const r = partIou((p) => d.evaluateParts(p), truth, { res: 24 });
    expect(Math.min(...r.parts)).toBeGreaterThan(Math.max(0.6, Math.min(...before.parts)));
    expect(r.union).toBeGreaterThan(0.75);
    expect(r.ownership).toBeGreaterThan(0.9);
    // union SDF is the min of the heads
    const pts = new Float32Array([0, -0.15, 0, 0, 0.35, 0, 0.9, 0.9, 0.9]);
    const all = d.evaluateParts(pts), u = d.unionSdf()(pts), lab = d.labels(pts);
    for (let i = 0; i < 3; i++) expect(u[i]).toBe(Math.min(all[2 * i], all[2 * i + 1]));
    expect(Array.from(lab.subarray(0, 2))).toEqual([0, 1]); // body centre → part 0, head centre → part 1
    expect(d.partSdf(1)(pts)[1]).toBe(all[3]);
    d.dispose();
  }, 60_000);

  it("rejects bad specs and mismatched part lists", async () => {
    expect(() => new PartSdfDecoder({ parts: 0 })).toThrow(/parts/);
    const d = new PartSdfDecoder({ parts: 2, trunk: [8] });
    await expect(trainPartSdf(d, [sphere(0.3)])).rejects.toThrow(/2 Sdf functions/);
    expect(() => d.evaluateParts(new Float32Array([0, 0]))).toThrow(/xyz triples/);
    d.dispose();
  });
});
