#!/usr/bin/env python3
"""Writes the tslab notebooks in this folder from the cell sources below (outputs empty).
Edit here, run `python3 notebooks/make-notebooks.py`, commit both. Execute them with scripts/run-notebooks.sh."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))

DATA = '''// Shared data lives beside the repository (../shared/data); SDFKIT_SHARED_DATA overrides it.
import * as path from "node:path";
import * as fs from "node:fs";
const dataDir = process.env.SDFKIT_SHARED_DATA ?? path.resolve(process.cwd(), "..", "..", "shared", "data");
if (!fs.existsSync(dataDir)) throw new Error(`shared data not found at ${dataDir}: put it beside the repository or set SDFKIT_SHARED_DATA`);'''

NOTEBOOKS = {
    "01-quick-start.ipynb": [
        ("md", "# sdfkit quick start\n\nImport a real STEP part, mesh the 9 seed shapes from their analytic SDFs, and render both to PNG shown inline.\nRun `pnpm install && pnpm build` in the repository root first; the kernel is tslab (`npm i -g tslab && tslab install`)."),
        ("code", 'import * as tslab from "tslab";\nimport { sampleGrid, marchingCubes, meshReport, SEED_SHAPES, assemblySdf, assemblyLabels, type Mesh } from "@sdfkit/sdf-core";\nimport { readMeshFile } from "@sdfkit/sdf-core/node";\nimport { renderMesh, tileImages, drawLabel, encodePng } from "@sdfkit/render";\n' + DATA),
        ("md", "## A STEP part\n\n`readMeshFile` reads OBJ, STL, PLY, STEP, IGES, BREP and IFC; STEP goes through OpenCascade (occt-import-js) and keeps the B-rep face of every triangle."),
        ("code", 'const stepFile = path.join(dataDir, "step", "io1-cm-214.stp");\nconst t0 = performance.now();\nconst { mesh: part } = await readMeshFile(stepFile);\nconst r = meshReport(part);\nconsole.log(`${path.basename(stepFile)}: ${r.triangles} triangles, ${new Set(part.faceIds).size} B-rep faces, watertight ${r.watertight}, ${(performance.now() - t0).toFixed(0)} ms`);\nif (r.triangles === 0) throw new Error("empty STEP import");\n// colour each B-rep face\ntslab.display.png(encodePng(tileImages(["iso", "front", "top"].map((view) => renderMesh(part, { view: view as "iso", size: 256, labels: part.faceIds })), 3)));'),
        ("md", "## The 9 seed shapes\n\nEach seed shape is an assembly of analytic parts; `assemblySdf` unions them, `sampleGrid` + `marchingCubes` mesh the union, and `assemblyLabels` gives the part of each triangle."),
        ("code", 'const res = 64;\nconst tiles = [];\nfor (const spec of SEED_SHAPES) {\n  const mesh: Mesh = marchingCubes(sampleGrid(assemblySdf(spec), { res }));\n  const p = mesh.positions, ix = mesh.indices, n = ix.length / 3;\n  const centroids = new Float32Array(3 * n);\n  for (let t = 0; t < n; t++) for (let k = 0; k < 3; k++) centroids[3 * t + k] = (p[3 * ix[3 * t] + k] + p[3 * ix[3 * t + 1] + k] + p[3 * ix[3 * t + 2] + k]) / 3;\n  const rep = meshReport(mesh);\n  console.log(`${spec.name.padEnd(10)} ${spec.parts.length} parts  ${rep.triangles} triangles  watertight ${rep.watertight}`);\n  tiles.push(drawLabel(renderMesh(mesh, { view: "iso", size: 192, labels: assemblyLabels(spec, centroids) }), spec.name, 6, 6));\n}\nif (tiles.length !== 9) throw new Error(`expected 9 seed shapes, got ${tiles.length}`);\ntslab.display.png(encodePng(tileImages(tiles, 3)));'),
    ],
    "02-sampling.ipynb": [
        ("md", "# Sampling a mesh for DeepSDF\n\n`sampleBands` normalises a mesh into the unit sphere and draws signed-distance samples in bands (near the surface with two noise widths, and uniform in the cube), the DeepSDF recipe. Signs come from `MeshSdf` (a BVH with exact closest points)."),
        ("code", 'import * as tslab from "tslab";\nimport { createRng, type RgbaImage } from "@sdfkit/sdf-core";\nimport { readMeshFile } from "@sdfkit/sdf-core/node";\nimport { sampleBands, SAMPLE_MIXES, MeshSdf } from "@sdfkit/sampling";\nimport { renderMesh, encodePng, tileImages, drawLabel, DEFAULT_PALETTE } from "@sdfkit/render";\n' + DATA),
        ("code", 'const { mesh } = await readMeshFile(path.join(dataDir, "obj", "fandisk.obj"));\nconsole.log(`fandisk: ${mesh.indices.length / 3} triangles`);\nconsole.log("mixes:", Object.keys(SAMPLE_MIXES).join(", "));\nconsole.log("deepsdf bands:", JSON.stringify(SAMPLE_MIXES.deepsdf));\ntslab.display.png(encodePng(renderMesh(mesh, { view: "iso", size: 256 })));'),
        ("code", 'const t0 = performance.now();\nconst { samples, bands, transform } = sampleBands(mesh, 50_000, { rng: createRng(7), mix: "deepsdf" });\nconsole.log(`${samples.sdf.length} samples in ${(performance.now() - t0).toFixed(0)} ms; normalised with scale ${transform.scale.toFixed(4)}`);\nconst perBand = bands.map((_, b) => { let n = 0, neg = 0; for (let i = 0; i < samples.sdf.length; i++) if (samples.band![i] === b) { n++; if (samples.sdf[i] < 0) neg++; } return { n, neg }; });\nbands.forEach((b, i) => console.log(`band ${i} ${JSON.stringify(b)}: ${perBand[i].n} samples, ${(100 * perBand[i].neg / perBand[i].n).toFixed(1)} % inside`));\nif (perBand.reduce((a, b) => a + b.n, 0) !== samples.sdf.length) throw new Error("band counts do not add up");'),
        ("md", "## Histogram of signed distances per band\n\nNear bands are narrow and centred on 0; the uniform band is wide and mostly positive (outside)."),
        ("code", '/** A stacked histogram of `values` coloured by `group`, drawn into an RGBA image. */\nconst histogram = (values: Float32Array, group: Uint8Array, groups: number, lo: number, hi: number, bins = 80, w = 640, h = 240): RgbaImage => {\n  const counts = Array.from({ length: groups }, () => new Float64Array(bins));\n  for (let i = 0; i < values.length; i++) { const b = Math.floor(((values[i] - lo) / (hi - lo)) * bins); if (b >= 0 && b < bins) counts[group[i]][b]++; }\n  let max = 0; for (let b = 0; b < bins; b++) { let s = 0; for (const c of counts) s += c[b]; max = Math.max(max, s); }\n  const data = new Uint8ClampedArray(w * h * 4).fill(255);\n  const bw = Math.floor(w / bins);\n  for (let b = 0; b < bins; b++) {\n    let y0 = h - 1;\n    for (let g = 0; g < groups; g++) {\n      const bar = Math.round((counts[g][b] / max) * (h - 20)); const [r, gg, bb] = DEFAULT_PALETTE[g % DEFAULT_PALETTE.length];\n      for (let y = y0; y > y0 - bar; y--) for (let x = b * bw; x < (b + 1) * bw - 1; x++) { const o = 4 * (y * w + x); data[o] = r; data[o + 1] = gg; data[o + 2] = bb; }\n      y0 -= bar;\n    }\n  }\n  const zero = Math.round(((0 - lo) / (hi - lo)) * bins * bw); for (let y = 0; y < h; y++) { const o = 4 * (y * w + zero); data[o] = data[o + 1] = data[o + 2] = 0; }\n  return drawLabel({ width: w, height: h, data }, `sdf ${lo} .. ${hi}, bands coloured 0..${groups - 1}`, 4, 4, 1);\n};\ntslab.display.png(encodePng(histogram(samples.sdf, samples.band!, bands.length, -0.2, 0.2)));'),
        ("md", "## Check signs against the mesh\n\nA point well inside the normalised part must have a negative distance; `MeshSdf.evaluate` is the batch `Sdf` the sampler used."),
        ("code", 'const msdf = new MeshSdf(mesh);\nconst far = msdf.evaluate(new Float32Array([1e3, 1e3, 1e3]));\nconsole.log("distance of a far point (original units):", far[0].toFixed(1));\nif (!(far[0] > 0)) throw new Error("far point should be outside");'),
    ],
    "03-rendering-gallery.ipynb": [
        ("md", "# Rendering gallery\n\n`@sdfkit/render` draws orthographic views of meshes (z-buffer rasteriser with CAD edges) and of SDFs directly (sphere tracing), in plain TypeScript, no GL."),
        ("code", 'import * as tslab from "tslab";\nimport { box, cylinder, sphere, torus, difference, union, translate, smoothUnion } from "@sdfkit/sdf-core";\nimport { readMeshFile } from "@sdfkit/sdf-core/node";\nimport { renderMesh, renderSdf, tileImages, drawLabel, encodePng, VIEW_NAMES } from "@sdfkit/render";\n' + DATA),
        ("md", "## Meshes from the shared data, iso view"),
        ("code", 'const files = ["obj/fandisk.obj", "obj/rocker-arm.obj", "obj/stanford-bunny.obj", "obj/spot.obj", "obj/teapot.obj", "step/as1-oc-214.stp"];\nconst imgs = [];\nconst t0 = performance.now();\nfor (const f of files) {\n  const { mesh } = await readMeshFile(path.join(dataDir, f));\n  imgs.push(drawLabel(renderMesh(mesh, { view: "iso", size: 256 }), path.basename(f), 6, 6));\n}\nconsole.log(`${files.length} files read and rendered in ${(performance.now() - t0).toFixed(0)} ms`);\ntslab.display.png(encodePng(tileImages(imgs, 3)));'),
        ("md", "## Every named view of one part"),
        ("code", 'const fandisk = (await readMeshFile(path.join(dataDir, "obj", "fandisk.obj"))).mesh;\nconsole.log("views:", VIEW_NAMES.join(", "));\nconst views = ["front", "back", "right", "left", "top", "bottom", "iso"] as const;\nif (views.length !== VIEW_NAMES.length) throw new Error("VIEW_NAMES changed: update this cell");\ntslab.display.png(encodePng(tileImages(views.map((v) => drawLabel(renderMesh(fandisk, { view: v, size: 200 }), v, 6, 6)), 4)));'),
        ("md", "## SDFs rendered without meshing (sphere tracing)"),
        ("code", 'const bracket = difference(\n  union(box([0.7, 0.1, 0.4]), translate(cylinder(0.18, 0.25, [0, 0, 0], "y"), [-0.4, 0.15, 0]), translate(cylinder(0.18, 0.25, [0, 0, 0], "y"), [0.4, 0.15, 0])),\n  union(translate(cylinder(0.08, 0.5, [0, 0, 0], "y"), [-0.4, 0, 0]), translate(cylinder(0.08, 0.5, [0, 0, 0], "y"), [0.4, 0, 0]), box([0.15, 0.5, 0.06])),\n);\nconst blob = smoothUnion(0.15, sphere(0.45, [-0.3, 0, 0]), sphere(0.35, [0.35, 0, 0]), torus(0.5, 0.1));\nconst t1 = performance.now();\nconst sdfImgs = [drawLabel(renderSdf(bracket, { view: "iso", size: 256 }), "CSG bracket", 6, 6), drawLabel(renderSdf(blob, { view: "iso", size: 256 }), "smooth union", 6, 6)];\nconsole.log(`2 sphere-traced views in ${(performance.now() - t1).toFixed(0)} ms`);\ntslab.display.png(encodePng(tileImages(sdfImgs, 2)));'),
    ],
}

for name, cells in NOTEBOOKS.items():
    nb = {
        "cells": [
            ({"cell_type": "markdown", "id": f"c{i}", "metadata": {}, "source": src} if kind == "md" else
             {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": src})
            for i, (kind, src) in enumerate(cells)
        ],
        "metadata": {"kernelspec": {"display_name": "TypeScript", "language": "typescript", "name": "tslab"},
                     "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(nb, f, indent=1)
        f.write("\n")
    print("wrote", name)
