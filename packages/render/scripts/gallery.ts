/**
 * Writes packages/render/gallery.png: iso views of shared STEP and OBJ files plus a sphere-traced
 * seed shape with part colours, 4 per row at 256². Run: node --conditions=source --import tsx scripts/gallery.ts
 */
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { assemblySdf, partSdfs, seedShape } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { renderMesh, renderSdf, tileImages } from "@sdfkit/render";
import { writePng } from "@sdfkit/render/node";

const here = dirname(fileURLToPath(import.meta.url));
const data = process.env.SDFKIT_SHARED_DATA ?? resolve(here, "..", "..", "..", "..", "shared", "data");
const items: [string, string, Parameters<typeof renderMesh>[1]][] = [
  ["step/as1-oc-214.stp", "as1 assembly", { view: "iso" }],
  ["step/io1-cm-214.stp", "io1", { view: "iso" }],
  ["step/s1-c5-214_MAINBODY_BACK.stp", "s1 main body", { view: "iso" }],
  ["step/dm1-oc-214.stp", "dm1", { view: "iso" }],
  ["obj/fandisk.obj", "fandisk", { view: "iso", shading: "smooth", creaseAngle: 40 }],
  ["obj/rocker-arm.obj", "rocker arm", { view: "front", shading: "smooth", creaseAngle: 50 }],
  ["obj/stanford-bunny.obj", "bunny", { view: "front", shading: "smooth", creaseAngle: 60 }],
];
const images = [];
const labels = [];
for (const [file, label, opts] of items) {
  images.push(renderMesh(await readMesh(join(data, file)), { size: 256, ...opts }));
  labels.push(label);
}
const chair = seedShape("chair");
images.push(renderSdf(assemblySdf(chair), { view: "iso", size: 256, parts: partSdfs(chair), bounds: { min: [-0.45, -0.5, -0.45], max: [0.45, 0.5, 0.45] } }));
labels.push("chair sdf, parts");
await writePng(join(here, "..", "gallery.png"), tileImages(images, 4, { labels, gap: 2, background: [235, 235, 235] }));
