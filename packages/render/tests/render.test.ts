import { describe, expect, it } from "vitest";
import { readFileSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { box, sphere, marchingCubes, sampleGrid, InvalidArgumentError, SEED_SHAPES, assemblySdf, partSdfs, type Mesh, type RgbaImage } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { renderMesh, renderSdf, rasterizeMesh, traceSdf, tileImages, depthImage, normalImage, viewBasis, DEFAULT_PALETTE } from "@sdfkit/render";
import { encodePngNode } from "@sdfkit/render/node";
import { sharedData } from "../../../test-utils/shared-data.js";
import { decodePng } from "../../../test-utils/png-decode.js";

const unitCube = (): Mesh => ({
  positions: new Float32Array([-0.5, -0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5, -0.5, -0.5, 0.5, 0.5, -0.5, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0.5]),
  indices: new Uint32Array([0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 3, 7, 6, 3, 6, 2, 0, 4, 7, 0, 7, 3, 1, 2, 6, 1, 6, 5]),
});
const covered = (img: RgbaImage) => {
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++) if (img.data[4 * i] !== 255 || img.data[4 * i + 1] !== 255 || img.data[4 * i + 2] !== 255) n++;
  return n;
};
const frame = { center: [0, 0, 0] as [number, number, number], radius: 1 };

describe("renderMesh", () => {
  it("draws a unit cube's front view as a square of exactly side² pixels", () => {
    // size 100, margin 0, frame radius 1 → 50 px per unit → a 50×50 square
    for (const view of ["front", "top", "right", "back", "left", "bottom"] as const) {
      const img = renderMesh(unitCube(), { view, size: 100, margin: 0, frame });
      expect(covered(img)).toBe(2500);
    }
  });
  it("draws a sphere's silhouette as a disc within one pixel", () => {
    const mesh = marchingCubes(sampleGrid(sphere(0.5), { res: 96 }));
    const img = renderMesh(mesh, { view: "iso", size: 200, margin: 0, frame });
    // 100 px per unit → radius 50 px around (100, 100); the mesh's vertices lie on the sphere, its chords within a cell inside it
    for (let y = 0; y < 200; y++)
      for (let x = 0; x < 200; x++) {
        const r = Math.hypot(x + 0.5 - 100, y + 0.5 - 100);
        const on = img.data[4 * (y * 200 + x)] !== 255;
        if (r < 48.5) expect(on).toBe(true);
        if (r > 51) expect(on).toBe(false);
      }
  });
  it("matches the committed golden images of fandisk and a STEP part within tolerance", async () => {
    const cases: [string, Mesh, Parameters<typeof renderMesh>[1]][] = [
      ["fandisk-iso-smooth.png", await readMesh(sharedData("obj", "fandisk.obj")), { view: "iso", size: 160, shading: "smooth" }],
      ["io1-front-flat.png", await readMesh(sharedData("step", "io1-cm-214.stp")), { view: "front", size: 160 }],
    ];
    for (const [name, mesh, opts] of cases) {
      const img = renderMesh(mesh, opts);
      const file = join(__dirname, "fixtures", name);
      if (!existsSync(file)) writeFileSync(file, encodePngNode(img)); // first run writes the golden (review it, then commit)
      const gold = decodePng(new Uint8Array(readFileSync(file)));
      expect([gold.w, gold.h]).toEqual([img.width, img.height]);
      let diff = 0, big = 0;
      for (let i = 0; i < img.data.length; i += 4) {
        const d = Math.abs(img.data[i] - gold.rgba[i]) + Math.abs(img.data[i + 1] - gold.rgba[i + 1]) + Math.abs(img.data[i + 2] - gold.rgba[i + 2]);
        diff += d;
        if (d > 30) big++;
      }
      expect(diff / (img.width * img.height)).toBeLessThan(2);
      expect(big / (img.width * img.height)).toBeLessThan(0.01);
    }
  });
  it("colours parts from per-face and per-vertex labels with the palette", () => {
    const cube = unitCube();
    const faceLabels = new Uint32Array(12).map((_, t) => (t < 2 ? 1 : 0)); // the -z face is part 1
    const img = renderMesh(cube, { view: "back", size: 64, margin: 0, frame, labels: faceLabels, edges: false });
    const c = img.data.subarray(4 * (32 * 64 + 32), 4 * (32 * 64 + 32) + 3);
    const p = DEFAULT_PALETTE[1];
    // shaded palette colour: same hue ratios as the palette entry
    expect(c[0] / c[2]).toBeCloseTo(p[0] / p[2], 1);
    const vimg = renderMesh(cube, { view: "back", size: 64, margin: 0, frame, labels: new Uint32Array(8).fill(2), edges: false });
    const v = vimg.data.subarray(4 * (32 * 64 + 32), 4 * (32 * 64 + 32) + 3);
    expect(v[0] / v[1]).toBeCloseTo(DEFAULT_PALETTE[2][0] / DEFAULT_PALETTE[2][1], 1);
  });
  it("draws CAD edges: a cube seen iso shows its 9 visible edges as dark pixels", () => {
    const img = renderMesh(unitCube(), { view: "iso", size: 128, edgeColor: [0, 0, 0] });
    let dark = 0;
    for (let i = 0; i < img.data.length; i += 4) if (img.data[i] === 0) dark++;
    // 9 edges of about 0.7-0.8 of the frame's scale each: a few hundred pixels, far fewer than the face area
    expect(dark).toBeGreaterThan(300);
    expect(dark).toBeLessThan(1500);
    const none = renderMesh(unitCube(), { view: "iso", size: 128, edgeColor: [0, 0, 0], edges: false });
    expect(Array.from(none.data).filter((x, i) => i % 4 === 0 && x === 0).length).toBe(0);
  });
  it("gives depth and normal buffers that agree with the geometry", () => {
    const { buffers } = rasterizeMesh(unitCube(), { view: "front", size: 100, margin: 0, frame });
    const i = 50 * 100 + 50;
    expect(buffers.depth[i]).toBeCloseTo(-0.5, 5); // front face at z = +0.5, camera looks along −z
    expect(Math.abs(buffers.normal[3 * i + 2])).toBeCloseTo(1, 5);
    expect(depthImage(buffers).width).toBe(100);
    expect(normalImage(buffers).data[4 * i + 2]).toBe(255);
  });
  it("rejects bad views, sizes and labels with typed errors", () => {
    expect(() => renderMesh(unitCube(), { view: "diagonal" as never })).toThrow(InvalidArgumentError);
    expect(() => renderMesh(unitCube(), { view: { dir: [0, 1, 0], up: [0, 1, 0] } })).toThrow(/view.up/);
    expect(() => renderMesh(unitCube(), { size: 0 })).toThrow(/size/);
    expect(() => renderMesh(unitCube(), { labels: new Uint32Array(5) })).toThrow(/labels/);
    expect(() => renderMesh({ positions: new Float32Array(0), indices: new Uint32Array(0) })).toThrow(/empty/);
    viewBasis({ dir: [0, 0, -2], up: [0, 3, 0] }).right.forEach((v, k) => expect(v).toBeCloseTo([1, 0, 0][k], 12));
  });
});

describe("renderSdf (sphere tracing, CPU)", () => {
  it("draws an analytic sphere as a disc within one pixel and agrees with the mesh render", () => {
    const img = renderSdf(sphere(0.5), { view: "front", size: 200, margin: 0, frame });
    for (let y = 0; y < 200; y += 3)
      for (let x = 0; x < 200; x += 3) {
        const r = Math.hypot(x + 0.5 - 100, y + 0.5 - 100);
        const on = img.data[4 * (y * 200 + x)] !== 255;
        if (r < 49) expect(on).toBe(true);
        if (r > 51) expect(on).toBe(false);
      }
    const cube = renderSdf(box([0.5, 0.5, 0.5]), { view: "front", size: 100, margin: 0, frame });
    expect(Math.abs(covered(cube) - 2500)).toBeLessThanOrEqual(100);
  });
  it("matches the mesh render of the same part (silhouette IoU > 0.96, depth within two pixels)", () => {
    const sdf = assemblySdf(SEED_SHAPES.find((s) => s.name === "snowman")!);
    const mesh = marchingCubes(sampleGrid(sdf, { res: 128 }));
    const a = rasterizeMesh(mesh, { view: "iso", size: 128, frame }).buffers;
    const b = traceSdf(sdf, { view: "iso", size: 128, frame }).buffers;
    let inter = 0, uni = 0, dz = 0, nz = 0;
    for (let i = 0; i < a.depth.length; i++) {
      const ia = a.depth[i] !== Infinity, ib = b.depth[i] !== Infinity;
      if (ia && ib) { inter++; dz += Math.abs(a.depth[i] - b.depth[i]); nz++; }
      if (ia || ib) uni++;
    }
    // both silhouettes are exact to about a pixel (mesh: one 1/64 grid cell; tracing: a quarter pixel),
    // so they may differ by one pixel along the perimeter (~22 px radius here): IoU ≥ 0.96
    expect(inter / uni).toBeGreaterThan(0.96);
    expect(dz / nz).toBeLessThan(2 / 64); // pixel width is 1/64 here
  });
  it("colours parts by argmin of the part SDFs", () => {
    const chair = SEED_SHAPES.find((s) => s.name === "chair")!;
    const { buffers } = traceSdf(assemblySdf(chair), { view: "front", size: 96, parts: partSdfs(chair) });
    const seen = new Set(Array.from(buffers.label).filter((l) => l !== 0xffffffff));
    expect(seen.size).toBeGreaterThanOrEqual(4); // seat, back and front legs are visible from the front
  });
  it("rejects SDFs that return NaN or too few values", () => {
    expect(() => renderSdf(() => new Float32Array(1), { size: 8 })).toThrow(InvalidArgumentError);
    expect(() => renderSdf((p) => new Float32Array(p.length / 3).fill(NaN), { size: 8 })).toThrow(/NaN/);
  });
});

describe("tileImages", () => {
  it("tiles 4 views into OpenECAD's 2×2 grid with captions", () => {
    const imgs = (["iso", "right", "top", "front"] as const).map((view) => renderMesh(unitCube(), { view, size: 32 }));
    const g = tileImages(imgs, 2, { gap: 2, labels: ["iso", "x", "y", "z"], labelScale: 1 });
    expect([g.width, g.height]).toEqual([2 * 32 + 3 * 2, 2 * 32 + 3 * 2]);
    const p = decodePng(encodePngNode(g));
    expect(p.w).toBe(g.width);
    expect(() => tileImages([], 2)).toThrow(InvalidArgumentError);
  });
});
