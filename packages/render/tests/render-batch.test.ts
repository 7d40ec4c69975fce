import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { marchingCubes, sampleGrid, sphere, torus, type Mesh } from "@sdfkit/sdf-core";
import { readMesh, writeMesh } from "@sdfkit/sdf-core/node";
import { renderMesh, rasterizeMesh, boundingSphere, type RenderOptions, type View } from "@sdfkit/render";
import { encodePngNode, renderBatch } from "@sdfkit/render/node";
import { sharedData } from "../../../test-utils/shared-data.js";
import { decodePng } from "../../../test-utils/png-decode.js";

const unitCube = (): Mesh => ({
  positions: new Float32Array([-0.5, -0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5, -0.5, -0.5, 0.5, 0.5, -0.5, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0.5]),
  indices: new Uint32Array([0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 3, 7, 6, 3, 6, 2, 0, 4, 7, 0, 7, 3, 1, 2, 6, 1, 6, 5]),
});

describe("renderBatch (grey PNG scanlines straight from the rasteriser)", () => {
  it("writes exactly the bytes of encodePng(renderMesh(…)) for every view, whatever the order of parts, sizes and backgrounds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfkit-render-batch-"));
    try {
      // parts of very different extent in a row, so a view must clear what a larger one drew before
      const parts: [string, Mesh][] = [
        ["io1", await readMesh(sharedData("step", "io1-cm-214.stp"))],
        ["cube", unitCube()],
        ["fandisk", await readMesh(sharedData("obj", "fandisk.obj"))],
        ["ring", marchingCubes(sampleGrid(torus(0.6, 0.1), { res: 48 }))],
        ["ball", marchingCubes(sampleGrid(sphere(0.2), { res: 24 }))],
      ];
      const inputs: string[] = [];
      for (const [name, m] of parts) {
        const f = join(dir, "in", `${name}.ply`);
        await writeMesh(f, m);
        inputs.push(f);
      }
      const meshes = await Promise.all(inputs.map((f) => readMesh(f)));
      const cases: { views: View[]; size: number; render: Partial<RenderOptions> }[] = [
        { views: ["front", "top", "right"], size: 160, render: {} },
        { views: ["iso", "bottom"], size: 96, render: { background: [20, 20, 20], edgeColor: [250, 250, 250], margin: 0.3 } },
        { views: ["left", "iso"], size: 128, render: { shading: "smooth", edges: false } },
        { views: ["back"], size: 90, render: { color: [90, 90, 90], creaseAngle: 10 } }, // a width that is no multiple of 4
      ];
      for (const [k, c] of cases.entries()) {
        const outDir = join(dir, `out${k}`);
        const r = await renderBatch(inputs, { outDir, workers: 0, views: c.views, size: c.size, render: c.render });
        expect(r.errors).toEqual([]);
        for (const [i, res] of r.results.entries()) {
          const m = meshes[i];
          c.views.forEach((view, v) => {
            const img = renderMesh(m, { ...c.render, view, size: c.size, frame: boundingSphere(m) });
            const png = new Uint8Array(readFileSync(res.files[v]));
            expect(Buffer.compare(png, encodePngNode(img, { color: "gray" })), `${res.files[v]}`).toBe(0);
            // and the decoded grey pixels are the image's
            const d = decodePng(png);
            expect(d.ch).toBe(1);
            let bad = 0;
            for (let p = 0; p < c.size * c.size; p++) if (d.rgba[4 * p] !== img.data[4 * p] || img.data[4 * p] !== img.data[4 * p + 2]) bad++;
            expect(bad).toBe(0);
          });
        }
      }
      // a folder that cannot be made: every model fails alone, with the reason
      const blocked = join(dir, "in", "io1.ply", "out");
      const b = await renderBatch(inputs.slice(0, 3), { outDir: blocked, workers: 0, views: ["front"], size: 32 });
      expect(b.results).toEqual([]);
      expect(b.errors).toHaveLength(3);
      for (const e of b.errors) expect(e.error).toMatch(/ENOTDIR|EEXIST/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("keeps colour renders (labels, coloured parts) on the RGBA path and lists a bad file without stopping", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfkit-render-batch-"));
    try {
      const f = join(dir, "cube.ply");
      await writeMesh(f, unitCube());
      const r = await renderBatch([join(dir, "missing.ply"), f], { outDir: dir, workers: 0, views: ["iso"], size: 64, render: { color: [200, 120, 40] } });
      expect(r.errors.map((e) => e.input)).toEqual([join(dir, "missing.ply")]);
      const d = decodePng(new Uint8Array(readFileSync(r.results[0].files[0])));
      const img = renderMesh(unitCube(), { view: "iso", size: 64, color: [200, 120, 40] });
      expect(d.ch).toBe(3);
      expect(Array.from(d.rgba)).toEqual(Array.from(img.data));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("renderMesh scratch buffers", () => {
  it("gives the same image and buffers for a part whatever was rendered before it", async () => {
    const io1 = await readMesh(sharedData("step", "io1-cm-214.stp"));
    const small = marchingCubes(sampleGrid(sphere(0.15), { res: 20 }));
    const frame = { center: [0, 0, 0] as [number, number, number], radius: 1 };
    const first = renderMesh(small, { view: "iso", size: 128, frame });
    const firstBuf = rasterizeMesh(small, { view: "iso", size: 128, frame }).buffers;
    renderMesh(io1, { view: "top", size: 128, margin: 0 }); // covers most of the frame
    renderMesh(io1, { view: "front", size: 200 }); // another size
    renderMesh(io1, { view: "top", size: 128, shading: "smooth" });
    expect(Array.from(renderMesh(small, { view: "iso", size: 128, frame }).data)).toEqual(Array.from(first.data));
    const again = rasterizeMesh(small, { view: "iso", size: 128, frame }).buffers;
    expect(Array.from(again.depth)).toEqual(Array.from(firstBuf.depth));
    expect(Array.from(again.normal)).toEqual(Array.from(firstBuf.normal));
  });
});
