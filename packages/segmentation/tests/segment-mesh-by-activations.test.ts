import { describe, expect, it } from "vitest";
import { box, createRng, InvalidArgumentError, marchingCubes, sampleGrid, union, type Mesh } from "@sdfkit/sdf-core";
import { adjustedRandIndex, mostAgreeingPartition, refinePartsAtCreases, segmentMeshByActivations, type LayerForward } from "@sdfkit/segmentation";
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
    expect(r.k).toBe(2);
    expect(r.cut).toHaveLength(2); // the default criterion "cut" segments with every layer
    expect(r.cut[1]).toBeLessThan(r.cut[0]);
    expect(r.scores).toHaveLength(2);
    expect(r.scores[1]).toBeGreaterThan(r.scores[0]);
    expect(r.features.dim).toBe(4);
    expect(r.features.data.length).toBe(4 * n);
    expect(r.parts).toBe(5);
    expect(adjustedRandIndex(truth, r.labels)).toBeCloseTo(1, 6);
  });

  it("each criterion finds the bands; types 'auto' picks k = 2 by silhouette", async () => {
    const { mesh, truth, forward } = setup();
    for (const criterion of ["cut", "consensus", "silhouette"] as const) {
      const r = await segmentMeshByActivations(forward, mesh, { types: "auto", criterion, selectionPoints: 600 });
      expect(r.k, criterion).toBe(2);
      expect(r.layer, criterion).toBe(1);
      expect(r.parts, criterion).toBe(5);
      expect(r.cut.length, criterion).toBe(criterion === "cut" ? 2 : 0);
      expect(adjustedRandIndex(truth, r.labels)).toBeCloseTo(1, 6);
    }
  });

  it("cut: a layer that shatters the mesh loses to one with clean parts even when its silhouette is higher", async () => {
    // layer 0: two well separated types in a checkerboard of 5 × 5-vertex cells (high silhouette, many parts,
    // many cut edges); layer 1: the 5 bands with more noise (lower silhouette, few cut edges)
    const { mesh, truth, forward } = setup();
    const checker: LayerForward = async (pts, count) => {
      const [, sep] = await forward(pts, count);
      const rng = createRng(count);
      const a = new Float32Array(2 * count);
      for (let i = 0; i < count; i++) {
        const c = (Math.floor(pts[3 * i] / 5) + Math.floor(pts[3 * i + 1] / 5)) & 1; // 5 × 5-vertex cells
        a[2 * i + c] = 1;
        a[2 * i] += 0.01 * rng.normal();
      }
      for (let i = 0; i < sep.length; i++) sep[i] += 0.3 * rng.normal();
      return [a, sep];
    };
    const sil = await segmentMeshByActivations(checker, mesh, { types: 2, criterion: "silhouette", selectionPoints: 600 });
    expect(sil.layer).toBe(0);
    const cut = await segmentMeshByActivations(checker, mesh, { types: 2, criterion: "cut", selectionPoints: 600, smoothIterations: 3 });
    expect(cut.layer).toBe(1);
    expect(cut.cut[1]).toBeLessThan(cut.cut[0]);
    expect(adjustedRandIndex(truth, cut.labels)).toBeGreaterThan(0.9);
  });

  it("agreement: the partition most (layer, k) pairs reproduce wins over a clean layer that merges the bands", async () => {
    // layers 0 and 1: the 5 bands (noisy); layer 2: left / right halves, noise-free (fewest cut edges, best silhouette)
    const { mesh, truth, forward } = setup();
    const halves: LayerForward = async (pts, count) => {
      const [, sep] = await forward(pts, count);
      const rng = createRng(count + 7);
      const again = sep.map((x) => x + 0.05 * rng.normal());
      const half = new Float32Array(2 * count);
      for (let i = 0; i < count; i++) half[2 * i + (pts[3 * i] < 30 ? 0 : 1)] = 1;
      return [sep, again, half];
    };
    const cut = await segmentMeshByActivations(halves, mesh, { types: 2, criterion: "cut", selectionPoints: 600 });
    expect(cut.layer).toBe(2);
    expect(cut.parts).toBe(2);
    const agree = await segmentMeshByActivations(halves, mesh, { types: "auto", candidateTypes: [2], criterion: "agreement", selectionPoints: 600, kmeansSample: 500 });
    expect(agree.candidates.map((c) => c.layer)).toEqual([0, 1, 2]);
    expect(agree.layer).toBe(0);
    expect(agree.parts).toBe(5);
    expect(agree.candidates[0].agreement).toBeGreaterThan(agree.candidates[2].agreement);
    expect(adjustedRandIndex(truth, agree.labels)).toBeCloseTo(1, 6);
    // each candidate carries its labels before and after the crease refinement: the vote can be re-run from them
    for (const c of agree.candidates) {
      expect(new Set(c.labels).size).toBe(c.parts);
      expect(new Set(c.unrefined).size).toBeGreaterThanOrEqual(c.parts);
      expect(adjustedRandIndex(c.labels, refinePartsAtCreases(mesh, c.unrefined, { band: 12 }))).toBe(1);
    }
    const again = mostAgreeingPartition(agree.candidates.map((c) => refinePartsAtCreases(mesh, c.unrefined, { band: 12 })));
    expect(again.index).toBe(0);
    expect(Array.from(again.agreement)).toEqual(agree.candidates.map((c) => c.agreement));
  });

  it("creaseMerge: two boxes glued along a flat face are one part, a post on a plate (concave crease) stays two", async () => {
    const meshOf = (...parts: ReturnType<typeof box>[]): Mesh => marchingCubes(sampleGrid(union(...parts), { res: 41, bounds: { min: [-0.8, -0.8, -0.8], max: [0.8, 0.8, 0.8] } }));
    // activations that split the surface in two (one-hot of a side, a little noise): what a decoder gives at a junction
    const split = (side: (x: number, y: number) => boolean): LayerForward => (pts, count) => {
      const rng = createRng(count), f = new Float32Array(2 * count);
      for (let i = 0; i < count; i++) {
        f[2 * i + (side(pts[3 * i], pts[3 * i + 1]) ? 1 : 0)] = 1;
        f[2 * i] += 0.01 * rng.normal();
      }
      return [f];
    };
    // outer faces halfway between grid nodes (spacing 0.04), so marching cubes gives flat faces and clean convex edges;
    // the boxes overlap a little (a union of boxes that only touch has sdf 0 on the shared face, and a groove there)
    const glued = meshOf(box([0.32, 0.14, 0.14], [-0.3, 0, 0]), box([0.32, 0.14, 0.14], [0.3, 0, 0])); // one long box: flat across x = 0
    const post = meshOf(box([0.62, 0.12, 0.38], [0, -0.1, 0]), box([0.1, 0.3, 0.1], [0, 0.28, 0])); // plate top at y = 0.02, post above
    const opts = { types: 2, criterion: "silhouette" as const, selectionPoints: 400 };
    const flat = split((x) => x < 0), ring = split((_, y) => y > 0.06);
    expect((await segmentMeshByActivations(flat, glued, { ...opts, creaseMerge: 0 })).parts).toBe(2); // the activations' split …
    expect((await segmentMeshByActivations(flat, glued, { ...opts, creaseMerge: 0.1 })).parts).toBe(1); // … has no crease under it
    const kept = await segmentMeshByActivations(ring, post, { ...opts, creaseMerge: 0.1 });
    expect(kept.parts).toBe(2);
    // the post's part is the vertices above the plate's top face (the crease ring itself may go either way)
    const n = post.positions.length / 3, top = kept.labels[Array.from({ length: n }, (_, v) => v).find((v) => post.positions[3 * v + 1] > 0.5)!];
    for (let v = 0; v < n; v++) {
      const y = post.positions[3 * v + 1];
      if (y > 0.06) expect(kept.labels[v]).toBe(top);
      if (y < 0) expect(kept.labels[v]).not.toBe(top);
    }
  });

  it("evaluates the network at `points` when given (a mesh stored in other units)", async () => {
    const { mesh, truth, forward } = setup();
    const scaled = { ...mesh, positions: mesh.positions.map((x) => 10 * x + 3) };
    const r = await segmentMeshByActivations(forward, scaled, { types: 2, points: mesh.positions });
    expect(adjustedRandIndex(truth, r.labels)).toBeCloseTo(1, 6);
    await expect(segmentMeshByActivations(forward, mesh, { types: 2, points: new Float32Array(6) })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("is deterministic and rejects bad input with typed errors", async () => {
    const { mesh, forward } = setup();
    const a = await segmentMeshByActivations(forward, mesh, { types: 2 });
    const b = await segmentMeshByActivations(forward, mesh, { types: 2 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    await expect(segmentMeshByActivations(forward, mesh, { types: 1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(segmentMeshByActivations(forward, { positions: new Float32Array(3), indices: new Uint32Array(0) }, { types: 2 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(segmentMeshByActivations("x" as unknown as LayerForward, mesh)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(segmentMeshByActivations(forward, mesh, { criterion: "vote" as never })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(segmentMeshByActivations(forward, mesh, { types: "auto", candidateTypes: [] })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(segmentMeshByActivations(forward, mesh, { types: "auto", candidateTypes: [2, 1] })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
