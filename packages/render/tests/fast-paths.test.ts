import { describe, expect, it } from "vitest";
import { marchingCubes, sampleGrid, sphere, type Mesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { DEFAULT_RENDER, type RenderOptions, type View } from "../src/api.js";
import { boundingSphere } from "../src/camera.js";
import { __cullSign, __flatPatches, __prepareMesh, __rasterize } from "../src/internal/rasterize.js";
import { __shadeInto } from "../src/internal/shade.js";
import { sharedData } from "../../../test-utils/shared-data.js";
import { cube, flip, merge } from "./test-meshes.js";

/** The obvious oracle: sort the directed edges' keys and check they come in pairs (a, b), (b, a); then the pieces' signed volumes. */
const cullSignBySort = (mesh: Mesh): -1 | 0 | 1 => {
  const idx = mesh.indices, p = mesh.positions, nv = p.length / 3, n = idx.length;
  const keys: number[] = [];
  for (let t = 0; t < n; t += 3)
    for (let k = 0; k < 3; k++) {
      const a = idx[t + k], b = idx[t + ((k + 1) % 3)];
      keys.push(a < b ? 2 * (a * nv + b) : 2 * (b * nv + a) + 1);
    }
  keys.sort((x, y) => x - y);
  for (let i = 0; i < n; i += 2) if (keys[i] % 2 !== 0 || keys[i + 1] !== keys[i] + 1) return 0;
  const parent = Array.from({ length: nv }, (_, v) => v);
  const root = (v: number): number => (parent[v] === v ? v : (parent[v] = root(parent[v])));
  for (let t = 0; t < n; t += 3) { parent[root(idx[t + 1])] = root(idx[t]); parent[root(idx[t + 2])] = root(idx[t]); }
  const vol = new Map<number, number>();
  for (let t = 0; t < n; t += 3) {
    const [a, b, c] = [3 * idx[t], 3 * idx[t + 1], 3 * idx[t + 2]];
    const v = p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) - p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) + p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
    vol.set(root(idx[t]), (vol.get(root(idx[t])) ?? 0) + v);
  }
  const signs = new Set([...vol.values()].filter((v) => v !== 0).map(Math.sign));
  return signs.size === 1 ? (signs.has(1) ? 1 : -1) : 0;
};

let _real: Promise<Mesh[]> | undefined;
const realMeshes = () =>
  (_real ??= Promise.all([sharedData("step", "io1-cm-214.stp"), sharedData("step", "as1-oc-214.stp"), sharedData("obj", "fandisk.obj"), sharedData("obj", "cow.obj"), sharedData("obj", "teapot.obj")].map((f) => readMesh(f))));

describe("back-face culling sign over mesh edges", () => {
  it("equals the sorted-directed-edge oracle on closed, open, inverted, mixed and real meshes", async () => {
    const open: Mesh = { positions: cube().positions, indices: Uint32Array.from([...cube().indices.slice(0, 6), ...cube().indices.slice(12)]) };
    const degenerate: Mesh = { positions: cube().positions, indices: Uint32Array.from([...cube().indices, 0, 0, 1, 1, 0, 0]) };
    const cases = [cube(), flip(cube()), open, degenerate, merge(cube([-0.7, 0, 0], 0.4), flip(cube([0.7, 0, 0], 0.4))), merge(cube([-0.7, 0, 0], 0.4), cube([0.7, 0, 0], 0.4)), marchingCubes(sampleGrid(sphere(0.5), { res: 24 })), ...(await realMeshes())];
    const got = cases.map((m) => __cullSign(m)), want = cases.map(cullSignBySort);
    expect(got).toEqual(want);
    expect(got.slice(0, 6)).toEqual([1, -1, 0, 0, 0, 1]); // the oracle itself, on the hand-made cases
  });
});

describe("flat patches", () => {
  it("group only coplanar, edge-connected triangles", () => {
    const c = cube();
    const prep = __prepareMesh(c, { ...DEFAULT_RENDER });
    // 6 faces of 2 triangles each: 6 patches, each pair of one face's triangles together
    expect(new Set(prep.patch).size).toBe(6);
    for (let t = 0; t < 12; t += 2) expect(prep.patch![t]).toBe(prep.patch![t + 1]);
    const mc = marchingCubes(sampleGrid(sphere(0.5), { res: 24 }));
    const g = __flatPatches(mc, __prepareMesh(mc, { ...DEFAULT_RENDER }).faceN);
    expect(new Set(g).size).toBeGreaterThan(0.5 * (mc.indices.length / 3)); // a sphere has (almost) no flat patches
  });
  it("leave every pixel of the shaded views as the per-pixel edge test draws it", async () => {
    const views: View[] = ["front", "top", "right", "iso", { dir: [0.3, -0.8, 0.5], up: [0, 0, 1] }];
    let grouped = 0;
    for (const mesh of await realMeshes()) {
      const o: RenderOptions = { ...DEFAULT_RENDER, size: 256, frame: boundingSphere(mesh) };
      const prep = __prepareMesh(mesh, o);
      grouped += mesh.indices.length / 3 - new Set(prep.patch).size;
      for (const view of views) {
        const ov = { ...o, view };
        const { shade, camera } = __rasterize(mesh, ov, prep);
        const withPatches = new Uint32Array(256 * 256), without = new Uint32Array(256 * 256);
        __shadeInto(shade, camera, ov, withPatches, false);
        __shadeInto({ ...shade, facePatch: undefined }, camera, ov, without, false);
        expect(Buffer.compare(Buffer.from(withPatches.buffer), Buffer.from(without.buffer)), JSON.stringify(view)).toBe(0);
      }
    }
    expect(grouped).toBeGreaterThan(1000); // the STEP parts' flat faces are many triangles each
  });
});
