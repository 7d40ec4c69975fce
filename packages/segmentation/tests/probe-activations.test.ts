import { describe, expect, it } from "vitest";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { adjustedRandIndex, probeActivations, selectLayer } from "@sdfkit/segmentation";
import type { LayerForward } from "@sdfkit/segmentation";

/** A tiny ReLU MLP 3 → 16 → 8 (typed arrays), returning both hidden layers. */
const mlp = (seed: number): LayerForward => {
  const rng = createRng(seed);
  const W1 = Float32Array.from({ length: 3 * 16 }, () => rng.normal()), b1 = Float32Array.from({ length: 16 }, () => 0.1 * rng.normal());
  const W2 = Float32Array.from({ length: 16 * 8 }, () => rng.normal() / 4), b2 = Float32Array.from({ length: 8 }, () => 0.1 * rng.normal());
  return (p, count) => {
    const h1 = new Float32Array(count * 16), h2 = new Float32Array(count * 8);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < 16; j++) {
        let s = b1[j];
        for (let d = 0; d < 3; d++) s += p[3 * i + d] * W1[d * 16 + j];
        h1[i * 16 + j] = Math.max(0, s);
      }
      for (let j = 0; j < 8; j++) {
        let s = b2[j];
        for (let d = 0; d < 16; d++) s += h1[i * 16 + d] * W2[d * 8 + j];
        h2[i * 8 + j] = Math.max(0, s);
      }
    }
    return [h1, h2];
  };
};

describe("probeActivations", () => {
  const rng = createRng(3);
  const n = 103;
  const pts = Float32Array.from({ length: n * 3 }, () => rng.uniform(-1, 1));

  it("batched probing equals one unbatched forward pass, per layer and concatenated", async () => {
    const f = mlp(1);
    const full = f(pts, n) as Float32Array[];
    let calls = 0;
    const layers = await probeActivations(f, pts, { batchSize: 7, concat: true, onProgress: () => calls++ });
    expect(calls).toBe(Math.ceil(n / 7));
    expect(layers.map((l) => l.dim)).toEqual([16, 8, 24]);
    expect(Array.from(layers[0].data)).toEqual(Array.from(full[0]));
    expect(Array.from(layers[1].data)).toEqual(Array.from(full[1]));
    for (let i = 0; i < n; i++) {
      expect(layers[2].data[i * 24 + 3]).toBe(full[0][i * 16 + 3]);
      expect(layers[2].data[i * 24 + 16 + 5]).toBe(full[1][i * 8 + 5]);
    }
    const only = await probeActivations(f, pts, { layers: [1], batchSize: 50 });
    expect(only.length).toBe(1);
    expect(Array.from(only[0].data)).toEqual(Array.from(full[1]));
  });

  it("rejects inconsistent or non-finite layer output and bad layer indices", async () => {
    let k = 0;
    const shifty: LayerForward = (_p, c) => [new Float32Array(c * (k++ === 0 ? 4 : 5))];
    await expect(probeActivations(shifty, pts, { batchSize: 10 })).rejects.toThrow(InvalidArgumentError);
    await expect(probeActivations((_p, c) => [new Float32Array(c).fill(NaN)], pts)).rejects.toThrow(/finite/);
    await expect(probeActivations(mlp(1), pts, { layers: [2] })).rejects.toThrow(/layers/);
  });

  it("feeds selectLayer: a network whose second layer encodes the side of a plane is picked by silhouette", async () => {
    // layer 0: pure noise; layer 1: two well-separated codes depending on sign(x)
    const noise = createRng(9);
    const f: LayerForward = (p, c) => {
      const a = new Float32Array(c * 4).map(() => noise.normal());
      const b = new Float32Array(c * 4);
      for (let i = 0; i < c; i++) for (let d = 0; d < 4; d++) b[i * 4 + d] = (p[3 * i] > 0 ? 5 : 0) * (d % 2) + 0.1 * noise.normal();
      return [a, b];
    };
    const layers = await probeActivations(f, pts, { batchSize: 16 });
    const truth = Array.from({ length: n }, (_, i) => (pts[3 * i] > 0 ? 1 : 0));
    const r = selectLayer(layers, 2, { rng: createRng(2) });
    expect(r.layer).toBe(1);
    expect(adjustedRandIndex(truth, r.labels[1])).toBe(1);
  });
});
