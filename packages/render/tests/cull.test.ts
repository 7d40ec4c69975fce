import { describe, expect, it } from "vitest";
import { marchingCubes, sampleGrid, sphere, InvalidArgumentError, type Mesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { renderMesh, rasterizeMesh, type View } from "@sdfkit/render";
import { sharedData } from "../../../test-utils/shared-data.js";
import { cube, flip, merge } from "./test-meshes.js";

const views: View[] = ["front", "top", "right", "iso", "back", { dir: [0.3, -0.8, 0.5], up: [0, 0, 1] }];
const same = (m: Mesh, size = 96) => {
  for (const view of views) {
    const a = renderMesh(m, { view, size, cull: "auto" }), b = renderMesh(m, { view, size, cull: "none" });
    expect(Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)), JSON.stringify(view)).toBe(0);
  }
};

describe("back-face culling (cull: 'auto')", () => {
  it("gives the same images as drawing every triangle on closed parts, outward or inward", async () => {
    same(cube());
    same(flip(cube()));
    same(marchingCubes(sampleGrid(sphere(0.5), { res: 32 })));
    same(await readMesh(sharedData("step", "io1-cm-214.stp")), 160);
    same(await readMesh(sharedData("obj", "fandisk.obj")), 160);
  });
  it("draws every triangle of an open mesh and of pieces enclosing volume both ways round", () => {
    // a box without its +z face: from the front its inside shows, and culling must not hide it
    const open: Mesh = { positions: cube().positions, indices: Uint32Array.from([...cube().indices.slice(0, 6), ...cube().indices.slice(12)]) };
    same(open);
    const inside = rasterizeMesh(open, { view: "front", size: 64 }).buffers.depth[32 * 64 + 32];
    expect(inside).toBeCloseTo(0.5, 5); // the far (−z) face, seen through the opening
    // an outward cube beside an inverted one: each is closed and consistent, but a single culling
    // side would hide the near faces of one of them
    same(merge(cube([-0.7, 0, 0], 0.4), flip(cube([0.7, 0, 0], 0.4))));
  });
  it("rejects an unknown cull value", () => {
    expect(() => renderMesh(cube(), { cull: "front" as never })).toThrow(InvalidArgumentError);
  });
});
