import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRng, InvalidArgumentError, parseObj } from "@sdfkit/sdf-core";
import { adjustedRandIndex, segmentInstances, smoothLabels, standardize } from "@sdfkit/segmentation";
import { sharedData } from "../../../test-utils/shared-data.js";
import { gridMesh, unweld } from "./helpers.js";

/** 60 × 20 grid cut into 5 bands along x: types A B A B A → 5 instances of 2 types. */
const bands = () => {
  const nx = 60, ny = 20, mesh = gridMesh(nx, ny);
  const truth = new Uint32Array(nx * ny), feat = new Float32Array(nx * ny * 2);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const v = j * nx + i, band = Math.floor(i / 12);
      truth[v] = band;
      feat[2 * v + (band % 2)] = 1;
    }
  return { mesh, truth, feat, nx, ny };
};

describe("standardize", () => {
  it("gives zero mean and unit variance per dimension", () => {
    const rng = createRng(1);
    const x = new Float32Array(3000).map((_, i) => (i % 3) * 10 + rng.normal() * (1 + (i % 3)));
    const { data } = standardize(x, 3);
    for (let d = 0; d < 3; d++) {
      let m = 0, v = 0;
      for (let i = 0; i < 1000; i++) m += data[3 * i + d];
      m /= 1000;
      for (let i = 0; i < 1000; i++) v += (data[3 * i + d] - m) ** 2;
      expect(m).toBeCloseTo(0, 5);
      expect(v / 1000).toBeCloseTo(1, 4);
    }
  });
});

describe("segmentInstances", () => {
  it("splits one semantic type into its connected instances", () => {
    const { mesh, truth, feat } = bands();
    const r = segmentInstances(mesh, feat, 2, { types: 2, rng: createRng(1) });
    expect(r.parts).toBe(5);
    expect(adjustedRandIndex(truth, r.labels)).toBe(1);
  });

  it("merges small islands into the surrounding part, and only small ones", () => {
    const { mesh, truth, feat, nx } = bands();
    // islands of the other type: 2×2 in band 1 (4 vertices < 10) and a 4×4 in band 3 (16 ≥ max(1 %, 10))
    const flip = (i0: number, j0: number, s: number) => {
      for (let j = j0; j < j0 + s; j++)
        for (let i = i0; i < i0 + s; i++) {
          const v = j * nx + i;
          feat[2 * v] = 1 - feat[2 * v];
          feat[2 * v + 1] = 1 - feat[2 * v + 1];
        }
    };
    flip(16, 8, 2);
    flip(40, 6, 4);
    const r = segmentInstances(mesh, feat, 2, { types: 2, rng: createRng(1) });
    expect(r.parts).toBe(6); // 5 bands + the significant 4×4 island
    const t2 = Uint32Array.from(truth);
    for (let j = 6; j < 10; j++) for (let i = 40; i < 44; i++) t2[j * nx + i] = 5;
    expect(adjustedRandIndex(t2, r.labels)).toBe(1);
    const noMerge = segmentInstances(mesh, feat, 2, { types: 2, rng: createRng(1), minComponentSize: 0, minComponentFraction: 0 });
    expect(noMerge.parts).toBe(7);
  });

  it("welds split vertices before building the adjacency (triangle soup)", () => {
    const { mesh, truth, feat } = bands();
    const { mesh: soup, source } = unweld(mesh);
    const f = new Float32Array(source.length * 2);
    for (let v = 0; v < source.length; v++) f.set(feat.subarray(2 * source[v], 2 * source[v] + 2), 2 * v);
    const t = Uint32Array.from(source, (s) => truth[s]);
    const r = segmentInstances(soup, f, 2, { types: 2, rng: createRng(1) });
    expect(r.parts).toBe(5);
    expect(adjustedRandIndex(t, r.labels)).toBe(1);
    // without welding every triangle is its own 3-vertex component: all small, nothing connects
    const raw = segmentInstances(soup, f, 2, { types: 2, rng: createRng(1), weldTolerance: -1 });
    expect(raw.parts).toBeLessThan(5);
  });

  it("rejects features of the wrong length", () => {
    const { mesh } = bands();
    expect(() => segmentInstances(mesh, new Float32Array(7), 2)).toThrow(InvalidArgumentError);
  });

  it("railing8: 10 parts (base, rail, 8 balusters) from noisy stand-in type features", () => {
    const mesh = parseObj(readFileSync(sharedData("generated", "railing8.obj"), "utf8"));
    const truth = readFileSync(sharedData("generated", "railing8.labels.txt"), "utf8").trim().split(/\s+/).map(Number);
    const nv = mesh.positions.length / 3;
    expect(truth.length).toBe(nv);
    // stand-in for decoder activations: one-hot semantic type (base / rail / baluster) + Gaussian noise,
    // strong enough that k-means mislabels scattered vertices, which the merge step must absorb
    const rng = createRng(7);
    const f = new Float32Array(nv * 3);
    for (let i = 0; i < nv; i++) {
      const ty = truth[i] === 0 ? 0 : truth[i] === 1 ? 1 : 2;
      for (let d = 0; d < 3; d++) f[3 * i + d] = (d === ty ? 1 : 0) + 0.3 * rng.normal();
    }
    const r = segmentInstances(mesh, f, 3, { types: 3, rng: createRng(1) });
    const ari = adjustedRandIndex(truth, r.labels);
    console.log(`railing8 stand-in features: parts ${r.parts}, merged ${r.merged}, ARI ${ari.toFixed(4)}`);
    expect(r.merged).toBeGreaterThan(100);
    expect(r.parts).toBe(10);
    expect(ari).toBeGreaterThan(0.99);
  });
});

describe("smoothLabels / minPartFraction", () => {
  // path graph 0-1-2-…-9 as CSR
  const path = (n: number) => {
    const offsets = new Uint32Array(n + 1), items: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i > 0) items.push(i - 1);
      if (i < n - 1) items.push(i + 1);
      offsets[i + 1] = items.length;
    }
    return { offsets, items: Uint32Array.from(items) };
  };
  it("a single flipped vertex on a path takes its neighbours' label; ties keep the own label; the input is not modified", () => {
    const labels = Uint32Array.from([0, 0, 0, 1, 0, 0, 1, 1, 1, 1]);
    const out = smoothLabels(path(10), labels, 2, 1);
    // vertex 3: {1, 0, 0} → 0; vertex 5: {0, 0, 1} → 0; vertex 6: {1, 0, 1} → 1; ends: {own, one neighbour}, tie or agree → own
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(labels)).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 1, 1]);
    expect(smoothLabels(path(10), labels, 2, 0)).toBe(labels);
    expect(() => smoothLabels(path(10), labels, 2, -1)).toThrow(/iterations/);
  });
  it("minPartFraction merges components small relative to the median part (two grids joined by a strip)", () => {
    // three separate 10×10 vertex grids of type 0 features and one 10×2 strip of type 1 features touching grid 0
    const positions: number[] = [], indices: number[] = [], feats: number[] = [];
    const grid = (ox: number, w: number, h: number, t: number) => {
      const base = positions.length / 3;
      for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) { positions.push(ox + i, j, 0); feats.push(t); }
      for (let j = 0; j < h - 1; j++) for (let i = 0; i < w - 1; i++) {
        const a = base + j * w + i;
        indices.push(a, a + 1, a + w, a + 1, a + w + 1, a + w);
      }
    };
    grid(0, 10, 10, 0); grid(20, 10, 10, 0); grid(40, 10, 10, 0); grid(9.5, 2, 10, 5);
    // weld the strip to grid 0's right column by sharing positions: strip column 0 coincides with nothing, so join by one extra triangle
    const s = 300; // first strip vertex
    indices.push(9, s, 19);
    const mesh = { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
    const f = Float32Array.from(feats);
    const off = segmentInstances(mesh, f, 1, { types: 2, minComponentFraction: 0, minComponentSize: 1 });
    expect(off.parts).toBe(4);
    const on = segmentInstances(mesh, f, 1, { types: 2, minComponentFraction: 0, minComponentSize: 1, minPartFraction: 0.5 });
    expect(on.parts).toBe(3); // the 20-vertex strip (< 0.5 × median 100) joins grid 0, its only graph neighbour
    expect(on.labels[s]).toBe(on.labels[0]);
    expect(() => segmentInstances(mesh, f, 1, { types: 2, minPartFraction: 1 })).toThrow(/minPartFraction/);
  });
});
