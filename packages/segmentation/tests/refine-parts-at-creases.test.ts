import { describe, expect, it } from "vitest";
import { InvalidArgumentError, type Mesh } from "@sdfkit/sdf-core";
import { refinePartsAtCreases, segmentInstances } from "@sdfkit/segmentation";
import { gridMesh } from "./helpers.js";

/**
 * A 40 × 12 grid folded at column `fold` into an L (flat floor for i ≤ fold, a wall rising at x = fold
 * beyond): the fold is a right-angle crease, concave on the side the normals face (`concave`) and convex
 * with the winding flipped. Truth: floor = 0, wall = 1 (the crease column belongs to the floor).
 */
const folded = (concave: boolean) => {
  const nx = 40, ny = 12, fold = 20, mesh = gridMesh(nx, ny), p = mesh.positions;
  for (let v = 0; v < nx * ny; v++) {
    const i = p[3 * v];
    if (i > fold) p.set([fold, p[3 * v + 1], i - fold], 3 * v);
  }
  // gridMesh's winding gives the floor +z normals and the wall −x normals: the pair faces into the L (concave)
  const indices = concave ? mesh.indices : Uint32Array.from(mesh.indices, (_, t) => mesh.indices[t - (t % 3) + [0, 2, 1][t % 3]]);
  const truth = Uint32Array.from({ length: nx * ny }, (_, v) => (v % nx > fold ? 1 : 0));
  return { mesh: { positions: p, indices } as Mesh, truth, nx, fold };
};

/** Labels with the floor / wall boundary `shift` columns off the fold (positive: into the wall). */
const shifted = (nx: number, fold: number, shift: number) => Uint32Array.from({ length: nx * 12 }, (_, v) => (v % nx > fold + shift ? 1 : 0));

const wrongOff = (labels: Uint32Array, truth: Uint32Array, nx: number, fold: number) => labels.filter((l, v) => v % nx !== fold && l !== truth[v]).length;

describe("refinePartsAtCreases", () => {
  it("moves a boundary that sits a few rings off a concave crease onto the crease, from either side", () => {
    const { mesh, truth, nx, fold } = folded(true);
    for (const shift of [-5, -2, 3, 6]) {
      const labels = shifted(nx, fold, shift);
      expect(wrongOff(labels, truth, nx, fold), `shift ${shift}`).toBeGreaterThanOrEqual(12 * (Math.abs(shift) - 1)); // the input is wrong …
      expect(wrongOff(refinePartsAtCreases(mesh, labels, { band: 8 }), truth, nx, fold), `shift ${shift}`).toBe(0); // … the crease fixes it
    }
  });

  it("leaves boundaries on convex folds and flat surfaces where they are", () => {
    const convex = folded(false);
    const labels = shifted(convex.nx, convex.fold, 4);
    expect(refinePartsAtCreases(convex.mesh, labels, { band: 8 })).toEqual(labels);
    const flat = gridMesh(30, 10), stripes = Uint32Array.from({ length: 300 }, (_, v) => Math.floor((v % 30) / 7) % 3);
    expect(refinePartsAtCreases(flat, stripes, { band: 5 })).toEqual(stripes);
  });

  it("keeps every part (each keeps its deeper half) even when the band is wider than the part", () => {
    const { mesh, nx, fold } = folded(true);
    const labels = shifted(nx, fold, 3);
    for (let v = 0; v < labels.length; v++) if (v % nx < 3) labels[v] = 2; // a thin part 3 columns wide at the floor's far edge
    const out = refinePartsAtCreases(mesh, labels, { band: 30 });
    expect(new Set(out)).toEqual(new Set([0, 1, 2]));
    expect(out.filter((l) => l === 2).length).toBeGreaterThanOrEqual(12);
  });

  it("is what segmentInstances' creaseBand applies: features whose type changes off the crease", () => {
    const { mesh, truth, nx, fold } = folded(true);
    const feat = Float32Array.from({ length: nx * 12 }, (_, v) => (v % nx > fold + 4 ? 1 : 0)); // a smooth feature's boundary, 4 columns late
    const off = segmentInstances(mesh, feat, 1, { types: 2 });
    const on = segmentInstances(mesh, feat, 1, { types: 2, creaseBand: 8 });
    expect(off.parts).toBe(2);
    expect(on.parts).toBe(2);
    expect(wrongOff(off.labels[0] === truth[0] ? off.labels : off.labels.map((l) => 1 - l), truth, nx, fold)).toBe(12 * 4);
    expect(wrongOff(on.labels[0] === truth[0] ? on.labels : on.labels.map((l) => 1 - l), truth, nx, fold)).toBe(0);
  });

  it("mergeBelow joins parts whose boundary has no crease under it and keeps those that meet at one", () => {
    const { mesh, nx, fold } = folded(true);
    const labels = shifted(nx, fold, 0);
    for (let v = 0; v < labels.length; v++) if (v % nx < 8) labels[v] = 2; // a split of the flat floor: no crease there
    const out = refinePartsAtCreases(mesh, labels, { band: 4, mergeBelow: 0.1 });
    expect(new Set(out)).toEqual(new Set([0, 1])); // floor pieces 0 and 2 joined, the wall kept
    expect(Array.from(out)).toEqual(Array.from(labels, (l) => (l === 2 ? 0 : l)));
    expect(new Set(refinePartsAtCreases(mesh, labels, { band: 4 }))).toEqual(new Set([0, 1, 2])); // off by default
  });

  it("rejects bad input with typed errors", () => {
    const { mesh } = folded(true);
    expect(() => refinePartsAtCreases(mesh, new Uint32Array(3))).toThrow(InvalidArgumentError);
    expect(() => refinePartsAtCreases(mesh, new Uint32Array(480), { band: -1 })).toThrow(InvalidArgumentError);
    expect(() => refinePartsAtCreases(mesh, new Uint32Array(480), { weldTolerance: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => refinePartsAtCreases(mesh, new Uint32Array(480), { mergeBelow: -1 })).toThrow(InvalidArgumentError);
    expect(() => segmentInstances(mesh, new Float32Array(480), 1, { creaseBand: 1.5 })).toThrow(InvalidArgumentError);
  });
});
