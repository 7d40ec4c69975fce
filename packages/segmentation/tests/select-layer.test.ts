import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { adjustedRandIndex, selectFeatures, selectLayer, silhouetteScore } from "@sdfkit/segmentation";
import { blobs } from "./helpers.js";

const PY = "/usr/bin/python3";
const hasSklearn = existsSync(PY) && spawnSync(PY, ["-c", "import sklearn"]).status === 0;

describe("silhouetteScore", () => {
  it("matches a hand computation", () => {
    // 1-D points 0, 1 | 10, 12: a(0)=1, b(0)=11 → 10/11; a(1)=1, b(1)=10 → 0.9;
    // a(10)=2, b(10)=9.5 → 7.5/9.5; a(12)=2, b(12)=11.5 → 9.5/11.5
    const want = (10 / 11 + 0.9 + 7.5 / 9.5 + 9.5 / 11.5) / 4;
    expect(silhouetteScore(new Float32Array([0, 1, 10, 12]), 1, [0, 0, 1, 1])).toBeCloseTo(want, 6);
    expect(() => silhouetteScore(new Float32Array([0, 1]), 1, [0, 0])).toThrow(InvalidArgumentError);
  });

  it.skipIf(!hasSklearn)("equals sklearn.metrics.silhouette_score", () => {
    const { x, labels } = blobs(3, 80, 5, 1.5, 6);
    const l = Array.from(labels, (v, i) => (i % 17 === 0 ? (v + 1) % 3 : v));
    const r = spawnSync(
      PY,
      ["-c", "import json,sys,numpy as np\nfrom sklearn.metrics import silhouette_score\nd=json.load(sys.stdin)\nprint(silhouette_score(np.array(d['x'],dtype=np.float64).reshape(-1,5),d['l']))"],
      { input: JSON.stringify({ x: Array.from(x), l }), encoding: "utf8" },
    );
    expect(r.status).toBe(0);
    expect(silhouetteScore(x, 5, l)).toBeCloseTo(Number(r.stdout), 5);
  });
});

describe("selectLayer", () => {
  it("picks the layer whose clusters are separated, without labels", () => {
    const n = 600, k = 3;
    const { x: clear, labels } = blobs(k, n / k, 8, 6, 2);
    const { x: weak } = blobs(k, n / k, 8, 0.6, 3);
    const rng = createRng(4);
    const noise = new Float32Array(n * 16).map(() => rng.normal());
    const r = selectLayer([{ data: noise, dim: 16 }, { data: weak, dim: 8 }, { data: clear, dim: 8 }], k, { rng: createRng(1) });
    expect(r.layer).toBe(2);
    expect(r.scores[2]).toBeGreaterThan(r.scores[1]);
    expect(r.scores[2]).toBeGreaterThan(r.scores[0]);
    expect(adjustedRandIndex(labels, r.labels[2])).toBe(1);
    expect(() => selectLayer([{ data: noise, dim: 16 }, { data: weak, dim: 7 }], k)).toThrow(InvalidArgumentError);
  });
});

describe("selectLayer criterion consensus", () => {
  it("picks a layer whose clustering the other layers share, not the tightest unrelated one", () => {
    const rng = createRng(5);
    const n = 300, truth = Uint32Array.from({ length: n }, (_, i) => i % 3);
    const oneHot = (scale: number, noise: number) => Float32Array.from({ length: 3 * n }, (_, k) => (truth[Math.floor(k / 3)] === k % 3 ? scale : 0) + noise * rng.normal());
    const a = { data: oneHot(1, 0.3), dim: 3 }, b = { data: oneHot(2, 0.5), dim: 3 };
    // tight blocks of 100 consecutive points: the best silhouette, unrelated to the structure a and b share
    const c = { data: Float32Array.from({ length: 3 * n }, (_, k) => (Math.floor(Math.floor(k / 3) / 100) === k % 3 ? 5 : 0) + 0.01 * rng.normal()), dim: 3 };
    const sil = selectLayer([c, a, b], 3, { rng: createRng(1) });
    expect(sil.layer).toBe(0);
    const con = selectLayer([c, a, b], 3, { rng: createRng(1), criterion: "consensus" });
    expect([1, 2]).toContain(con.layer);
    expect(con.agreement[0]).toBeLessThan(0.1);
    expect(adjustedRandIndex(truth, con.labels[con.layer])).toBeGreaterThan(0.9);
    // with two layers consensus is symmetric: the silhouette decides
    expect(selectLayer([c, a], 3, { rng: createRng(1), criterion: "consensus" }).layer).toBe(0);
    expect(() => selectLayer([a, b, c], 3, { criterion: "vote" as never })).toThrow(InvalidArgumentError);
  });
});

describe("selectFeatures", () => {
  it("picks the layer with clear clusters and their number (3 blobs) over a noise layer, without labels", () => {
    const rng = createRng(3), n = 300;
    const noise = new Float32Array(n * 2), blobs = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      noise[2 * i] = rng.normal();
      noise[2 * i + 1] = rng.normal();
      const c = i % 3;
      blobs[2 * i] = 10 * Math.cos((2 * Math.PI * c) / 3) + 0.3 * rng.normal();
      blobs[2 * i + 1] = 10 * Math.sin((2 * Math.PI * c) / 3) + 0.3 * rng.normal();
    }
    const r = selectFeatures([{ data: noise, dim: 2 }, { data: blobs, dim: 2 }], [2, 3, 4, 5]);
    expect(r.layer).toBe(1);
    expect(r.k).toBe(3);
    expect(r.scores.length).toBe(4);
    expect(r.labels.length).toBe(n);
    expect(() => selectFeatures([{ data: blobs, dim: 2 }], [1])).toThrow(/ks/);
  });
});
