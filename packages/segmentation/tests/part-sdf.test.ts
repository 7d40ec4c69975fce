import { beforeAll, describe, expect, it } from "vitest";
import { box, createRng, InvalidArgumentError, partSdfs, seedShape, sphere, type Sdf } from "@sdfkit/sdf-core";
import { partColor } from "@sdfkit/segmentation";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { PartSdfDecoder, insideBounds, partSdfFrame, partIou, partSliceImage, trainPartSdf } from "@sdfkit/segmentation/model";

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
    expect(self).toEqual({ parts: [1, 1], union: 1, ownership: 1, res: [40, 40, 40] });
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
    expect(() => partIou(pred, truth, { spacing: 0 })).toThrow(/spacing/);
  });

  it("grids a shape's own box by spacing: a thin slab is several cells across and its IoU is right there", () => {
    // true slab half-thickness 0.03; predicted 0.024 → IoU 0.8 (grid error: one node layer of ~20)
    const truth = [box([0.1, 0.03, 0.1])], thin = box([0.1, 0.024, 0.1]);
    const b = insideBounds(truth, { res: 48 });
    for (const [c, h] of [[0, 0.1], [1, 0.03], [2, 0.1]] as const) {
      expect(b.max[c]).toBeGreaterThan(h);
      expect(b.max[c]).toBeLessThan(h + 0.15);
      expect(b.min[c]).toBeCloseTo(-b.max[c], 5);
    }
    const r = partIou((p) => thin(p), truth, { spacing: 0.003, bounds: b });
    expect(r.res[1]).toBeGreaterThan(30);
    expect(r.res[0]).toBe(Math.ceil((b.max[0] - b.min[0]) / 0.003 - 1e-9) + 1);
    expect(r.parts[0]).toBeGreaterThan(0.75);
    expect(r.parts[0]).toBeLessThan(0.85);
    // 64³ over [−1, 1]³ (spacing 0.032) cannot tell them apart: the same two node layers (y = ±0.016) are inside both
    expect(partIou((p) => thin(p), truth, { res: 64 }).parts[0]).toBe(1);
    expect(() => insideBounds([sphere(0.3, [5, 5, 5])])).toThrow(InvalidArgumentError);
  });

  it("jitter: a regular grid aliases on a flat face (one node layer flips), the jittered grid estimates the volume IoU", () => {
    // node layers at multiples of 0.01 (bounds ±0.2, spacing 0.01): true slab half-thickness 0.0305 holds the
    // layers y = −0.03 … 0.03 (7), the prediction 0.0295 only −0.02 … 0.02 (5): regular grid 5 / 7, though the
    // volumes' IoU is 0.0295 / 0.0305 = 0.967
    const truth = [box([0.105, 0.0305, 0.105])], pred = box([0.105, 0.0295, 0.105]);
    const bounds = { min: [-0.2, -0.2, -0.2] as [number, number, number], max: [0.2, 0.2, 0.2] as [number, number, number] };
    const regular = partIou((p) => pred(p), truth, { spacing: 0.01, bounds });
    expect(regular.res).toEqual([41, 41, 41]);
    expect(regular.parts[0]).toBeCloseTo(5 / 7, 6);
    const j = partIou((p) => pred(p), truth, { spacing: 0.01, bounds, jitter: createRng(1) });
    expect(j.parts[0]).toBeGreaterThan(0.95);
    expect(j.parts[0]).toBeLessThan(0.985);
    expect(partIou((p) => pred(p), truth, { spacing: 0.01, bounds, jitter: createRng(1) })).toEqual(j); // seeded
    expect(() => partIou((p) => pred(p), truth, { jitter: 3 as never })).toThrow(/jitter/);
  });

  it("slice image: owner colours inside, black union contour over the red true one", () => {
    const a = sphere(0.5, [-0.3, 0, 0]), c = sphere(0.4, [0.4, 0, 0]);
    const pred = (p: Float32Array) => {
      const n = p.length / 3, x = a(p), y = c(p), out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) [out[2 * i], out[2 * i + 1]] = [x[i], y[i]];
      return out;
    };
    const img = partSliceImage(pred, 2, { width: 100, truth: (p) => sphere(0.2)(p) });
    expect([img.width, img.height]).toEqual([100, 100]);
    const px = (u: number, v: number) => Array.from(img.data.subarray(4 * (Math.floor((1 - v) * 50) * 100 + Math.floor((u + 1) * 50)), 4 * (Math.floor((1 - v) * 50) * 100 + Math.floor((u + 1) * 50)) + 3));
    expect(px(-0.5, 0.3)).toEqual(partColor(0).map((x) => Math.round(255 * x)));
    expect(px(0.6, 0.1)).toEqual(partColor(1).map((x) => Math.round(255 * x)));
    expect(px(-0.9, 0.9).every((x, j) => x > 255 * partColor(0)[j])).toBe(true); // pale outside
    let black = 0, red = 0;
    for (let i = 0; i < img.data.length; i += 4) {
      if (img.data[i] === 0 && img.data[i + 1] === 0 && img.data[i + 2] === 0) black++;
      if (img.data[i] === 220 && img.data[i + 1] === 0) red++;
    }
    expect(black).toBeGreaterThan(100); // two circle arcs of radius ~25 and 20 px
    expect(red).toBeGreaterThan(40); // the true circle r 0.2 (10 px), inside the union: not covered by black
    expect(() => partSliceImage(pred, 3, { width: 10 })).toThrow(InvalidArgumentError);
  });
});

describe("PartSdfDecoder + trainPartSdf", () => {
  it("scales the fine near-surface σ to each part's thickness and uses given surface points", async () => {
    // slab half-thickness 0.02 → σ = 0.005; sphere r 0.3 → 0.075, clamped to 0.01
    const d = new PartSdfDecoder({ parts: 2, trunk: [8], peFrequencies: 0 }, { seed: 1 });
    const r = await trainPartSdf(d, [box([0.3, 0.02, 0.3]), sphere(0.3, [0, 0.5, 0])], { steps: 1, batchSize: 16, eikonalPoints: 4, surfacePointsPerPart: 300, rng: createRng(4) });
    expect(r.sigma[0]).toBeCloseTo(0.005, 3);
    expect(r.sigma[1]).toBe(0.01);
    const given = await trainPartSdf(d, [box([0.3, 0.02, 0.3]), sphere(0.3, [0, 0.5, 0])], { steps: 1, batchSize: 16, eikonalPoints: 4, sigma: [0.003, 0.004], surfacePoints: [new Float32Array([0, 0.02, 0]), new Float32Array([0, 0.8, 0])], rng: createRng(4) });
    expect(given.sigma).toEqual([0.003, 0.004]);
    d.dispose();
  });

  it("frame: the trunk sees (xyz − center) / scale and the outputs are scaled back to world units", () => {
    const frame = partSdfFrame({ min: [-0.2, 0, 0.1], max: [0.2, 0.6, 0.3] });
    expect(frame).toEqual({ center: [0, 0.3, 0.2], scale: expect.closeTo(0.3, 6) });
    const a = new PartSdfDecoder({ parts: 3, trunk: [16, 16], peFrequencies: 2, frame }, { seed: 5 });
    const b = new PartSdfDecoder({ parts: 3, trunk: [16, 16], peFrequencies: 2 }, { seed: 5 }); // same weights, unit frame
    const p = new Float32Array([0.1, 0.2, 0.3, -0.5, 0.9, 0, 0, 0.3, 0.2]), local = p.map((x, i) => (x - frame.center[i % 3]) / frame.scale);
    const pa = a.evaluateParts(p), pb = b.evaluateParts(local);
    for (let i = 0; i < pa.length; i++) expect(pa[i]).toBeCloseTo(frame.scale * pb[i], 5);
    expect(() => partSdfFrame({ min: [0, 0, 0], max: [1, 0, 1] })).toThrow(InvalidArgumentError);
    expect(() => new PartSdfDecoder({ parts: 1, frame: { center: [0, 0, 0], scale: 0 } })).toThrow(/frame/);
    a.dispose();
    b.dispose();
  });

  it("unionWeight: a loss on min over heads lowers the union's error against the whole shape", async () => {
    const truth = partSdfs(seedShape("table"));
    const run = async (unionWeight: number) => {
      const d = new PartSdfDecoder({ parts: 5, trunk: [32, 32], peFrequencies: 2 }, { seed: 2 });
      const r = await trainPartSdf(d, truth, { steps: 150, batchSize: 256, eikonalPoints: 16, surfacePointsPerPart: 300, unionWeight, rng: createRng(3) });
      d.dispose();
      return r;
    };
    const [off, on] = [await run(0), await run(1)];
    // mean |min_k f_k − min_k d_k| over the last batch: 0.079 without, 0.051 with (seeded)
    expect(on.union).toBeLessThan(0.8 * off.union);
    const d = new PartSdfDecoder({ parts: 2, trunk: [8] });
    await expect(trainPartSdf(d, [sphere(0.3), sphere(0.2)], { unionWeight: -1 })).rejects.toThrow(/unionWeight/);
    d.dispose();
  }, 60_000);

  it("unionRouting owner: four thin side-by-side bars keep one head each (min routing lets one head take them over)", async () => {
    const bars = [-0.45, -0.15, 0.15, 0.45].map((x) => box([0.04, 0.5, 0.04], [x, 0, 0]));
    const run = async (unionRouting: "min" | "owner") => {
      const d = new PartSdfDecoder({ parts: 4, trunk: [32, 32], peFrequencies: 2 }, { seed: 2 });
      await trainPartSdf(d, bars, { steps: 150, batchSize: 256, eikonalPoints: 16, surfacePointsPerPart: 300, unionRouting, rng: createRng(3) });
      const r = partIou((p) => d.evaluateParts(p), bars, { res: 48 });
      d.dispose();
      return r;
    };
    const [min, owner] = [await run("min"), await run("owner")];
    // seeded: the lowest head is pushed down wherever the union is too high, and inside a bar whose own head
    // is not yet the lowest that is another bar's head — it grows into its neighbours
    expect(min.ownership).toBeLessThan(0.6);
    expect(owner.ownership).toBeGreaterThan(0.95);
    // every bar's own head fits it better than any head did with min routing (0.26–0.36 against 0–0.05 here)
    expect(Math.min(...owner.parts)).toBeGreaterThan(Math.max(...min.parts) + 0.15);
  }, 60_000);

  it("learns per-part SDFs of a snowman: heads fit their own part, union = min, interior ownership right", async () => {
    const truth = partSdfs(seedShape("snowman"));
    const d = new PartSdfDecoder({ parts: 2, trunk: [64, 64], head: 0, peFrequencies: 2 }, { seed: 3 });
    const before = partIou((p) => d.evaluateParts(p), truth, { res: 24 });
    const logs: number[] = [];
    const last = await trainPartSdf(d, truth, { steps: 200, batchSize: 384, eikonalPoints: 32, learningRate: 3e-3, surfacePointsPerPart: 500, rng: createRng(1), onProgress: (e) => logs.push(e.l1) });
    expect(logs).toHaveLength(3); // steps 0, 100 and the last
    // auto σ: a quarter of each sphere's radius (0.35, 0.2), clamped to [0.002, 0.01]
    expect(last.sigma).toEqual([0.01, 0.01]);
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

  it("poolSize: the part SDFs are evaluated on the pool only, and training from it fits the snowman as fresh samples do", async () => {
    const truth = partSdfs(seedShape("snowman"));
    let evaluated = 0;
    const counted = truth.map((f): Sdf => (p, out) => {
      evaluated += p.length / 3;
      return f(p, out);
    });
    // given surface points and σ: nothing else evaluates the parts
    const rng = createRng(5), surfacePoints = truth.map((f) => {
      const q = Float32Array.from({ length: 3 * 20000 }, () => rng.uniform(-1, 1)), d = f(q), keep: number[] = [];
      for (let i = 0; i < d.length; i++) if (Math.abs(d[i]) < 0.01) keep.push(q[3 * i], q[3 * i + 1], q[3 * i + 2]);
      return Float32Array.from(keep);
    });
    const run = async (poolSize: number) => {
      const d = new PartSdfDecoder({ parts: 2, trunk: [64, 64], peFrequencies: 2 }, { seed: 3 });
      evaluated = 0;
      const progress: number[] = [];
      await trainPartSdf(d, counted, { steps: 200, batchSize: 384, eikonalPoints: 32, learningRate: 3e-3, surfacePoints, sigma: 0.01, poolSize, rng: createRng(1), onPoolProgress: (e) => progress.push(e.done) });
      const r = { evaluated, progress, iou: partIou((p) => d.evaluateParts(p), truth, { res: 24 }) };
      d.dispose();
      return r;
    };
    const [fresh, pooled] = [await run(0), await run(70000)];
    expect(fresh.evaluated).toBe(2 * 200 * 384);
    expect(pooled.evaluated).toBe(2 * 70000);
    expect(pooled.progress).toEqual([65536, 70000]);
    expect(Math.min(...pooled.iou.parts)).toBeGreaterThan(Math.min(...fresh.iou.parts) - 0.05);
    expect(pooled.iou.union).toBeGreaterThan(fresh.iou.union - 0.05);
    expect(pooled.iou.union).toBeGreaterThan(0.75);
    const d = new PartSdfDecoder({ parts: 2, trunk: [8] });
    await expect(trainPartSdf(d, [sphere(0.3), sphere(0.2)], { poolSize: -1 })).rejects.toThrow(/poolSize/);
    await expect(trainPartSdf(d, [sphere(0.3), (p, out) => (out ?? new Float32Array(p.length / 3)).fill(NaN)], { poolSize: 10, steps: 1, surfacePoints: surfacePoints, sigma: 0.01 })).rejects.toThrow(/parts\[1\].*finite/);
    d.dispose();
  }, 60_000);

  it("rejects bad specs and mismatched part lists", async () => {
    expect(() => new PartSdfDecoder({ parts: 0 })).toThrow(/parts/);
    const d = new PartSdfDecoder({ parts: 2, trunk: [8] });
    await expect(trainPartSdf(d, [sphere(0.3)])).rejects.toThrow(/2 Sdf functions/);
    await expect(trainPartSdf(d, [sphere(0.3), sphere(0.2)], { surfacePoints: [new Float32Array(3)] })).rejects.toThrow(/surfacePoints/);
    await expect(trainPartSdf(d, [sphere(0.3), sphere(0.2)], { sigma: [0.01] })).rejects.toThrow(/sigma/);
    await expect(trainPartSdf(d, [sphere(0.3), sphere(0.2)], { learningRateFloor: 2 })).rejects.toThrow(/learningRateFloor/);
    await expect(trainPartSdf(d, [sphere(0.3), sphere(0.2)], { unionRouting: "max" as never })).rejects.toThrow(/unionRouting/);
    await expect(trainPartSdf(d, [sphere(0.3), sphere(0.2, [9, 9, 9])])).rejects.toThrow(/parts\[1\]/);
    expect(() => d.evaluateParts(new Float32Array([0, 0]))).toThrow(/xyz triples/);
    d.dispose();
  });
});
