import { describe, expect, it } from "vitest";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { adjustedRandIndex, segmentMeshByActivations, type LayerForward } from "@sdfkit/segmentation";
import { gridMesh } from "./helpers.js";

/**
 * 60 × 20 grid cut into 5 bands along x (types A B A B A → 5 instances). Layer 0 is noise, layer 1
 * separates the types (plus a little noise): the label-free choice must take layer 1 and find the 5 bands.
 */
const setup = () => {
  const nx = 60, ny = 20, mesh = gridMesh(nx, ny), p = mesh.positions;
  const xs = Array.from({ length: nx }, (_, i) => p[3 * i]);
  const bandOf = (x: number) => Math.min(4, Math.floor(xs.filter((v) => v < x - 1e-9).length / 12));
  const truth = Uint32Array.from({ length: nx * ny }, (_, v) => bandOf(p[3 * v]));
  const forward: LayerForward = (pts, count) => {
    const rng = createRng(Math.round(pts[0] * 1e4) + count); // deterministic per batch
    const noise = Float32Array.from({ length: 8 * count }, () => rng.normal());
    const sep = new Float32Array(4 * count);
    for (let i = 0; i < count; i++) {
      const b = bandOf(pts[3 * i]);
      sep[4 * i + (b % 2)] = 1;
      for (let d = 0; d < 4; d++) sep[4 * i + d] += 0.01 * rng.normal();
    }
    return [noise, sep];
  };
  return { mesh, truth, forward, n: nx * ny };
};

describe("segmentMeshByActivations", () => {
  it("chooses the separating layer without labels and finds the 5 instances", async () => {
    const { mesh, truth, forward, n } = setup();
    const r = await segmentMeshByActivations(forward, mesh, { types: 2, selectionPoints: 600, batchSize: 250 });
    expect(r.layer).toBe(1);
    expect(r.scores).toHaveLength(2);
    expect(r.scores[1]).toBeGreaterThan(r.scores[0]);
    expect(r.features.dim).toBe(4);
    expect(r.features.data.length).toBe(4 * n);
    expect(r.parts).toBe(5);
    expect(adjustedRandIndex(truth, r.labels)).toBeCloseTo(1, 6);
  });

  it("is deterministic and rejects bad input with typed errors", async () => {
    const { mesh, forward } = setup();
    const a = await segmentMeshByActivations(forward, mesh, { types: 2 });
    const b = await segmentMeshByActivations(forward, mesh, { types: 2 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    await expect(segmentMeshByActivations(forward, mesh, { types: 1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(segmentMeshByActivations(forward, { positions: new Float32Array(3), indices: new Uint32Array(0) }, { types: 2 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(segmentMeshByActivations("x" as unknown as LayerForward, mesh)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
