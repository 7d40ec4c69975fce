import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { readMeshFile } from "@sdfkit/sdf-core/node";
import { meshReport } from "@sdfkit/sdf-core";
import { sharedData } from "../../../test-utils/shared-data.js";

// Triangle counts and watertightness of every mesh file in ../shared/data (measured once, asserted
// here, and cross-checked against an independent reading of each file where one exists).
const EXPECTED: [string, string, number, boolean][] = [
  ["obj", "cow.obj", 5804, true],
  ["obj", "fandisk.obj", 12946, true],
  ["obj", "rocker-arm.obj", 20088, true],
  ["obj", "spot.obj", 5856, true],
  ["obj", "stanford-bunny.obj", 69451, false], // 5 holes
  ["obj", "suzanne.obj", 968, false], // open eyes, a non-manifold edge
  ["obj", "teapot.obj", 6320, false], // open patches
  ["generated", "railing8.obj", 117680, true],
  ["stl", "cube_10x10.stl", 12, true],
  ["step", "as1-oc-214.stp", 5040, true],
  ["step", "conical-surface.step", 1318, true],
  ["step", "cube-mm.step", 12, true],
  ["step", "cube.stp", 12, true],
  ["step", "dm1-id-214.stp", 1576, true],
  ["step", "dm1-oc-214.stp", 1904, true],
  ["step", "io1-cm-214.stp", 3288, true],
  ["step", "rounded-cube.step", 84, true],
  ["step", "s1-c5-214_MAINBODY_BACK.stp", 10654, true],
  ["ifc", "AC20-FZK-Haus.ifc", 21722, false],
  ["ifc", "ISSUE_044_test_IFCCOMPOSITEPROFILEDEF.ifc", 128, false],
  ["ifc", "IfcOpenHouse_IFC4.ifc", 1098, false],
  ["ifc", "Sample_entities.ifc", 168, false],
  ["ifc", "duplex.ifc", 26720, false], // 54 triangles collapse when web-ifc's repeated vertices are welded
  ["ifc", "example.ifc", 14604, false], // 56 collapse likewise
];

/** Independent triangle count: OBJ face lines fan-triangulated; binary STL header. */
const independentCount = (dir: string, file: string): number | undefined => {
  const path = sharedData(dir, file);
  if (file.endsWith(".obj")) {
    let n = 0;
    for (const m of readFileSync(path, "utf8").matchAll(/^f\s+(.*)$/gm)) n += m[1].trim().split(/\s+/).length - 2;
    return n;
  }
  if (file.endsWith(".stl")) {
    const b = readFileSync(path);
    return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(80, true);
  }
  return undefined;
};

describe("every shared data file imports", () => {
  for (const [dir, file, tris, watertight] of EXPECTED) {
    it(`${dir}/${file}: ${tris} triangles, watertight ${watertight}`, async () => {
      const { mesh, format } = await readMeshFile(sharedData(dir, file));
      const r = meshReport(mesh);
      expect(r.triangles).toBe(tris);
      expect(r.watertight).toBe(watertight);
      const ind = independentCount(dir, file);
      if (ind !== undefined) expect(r.triangles).toBe(ind);
      if (format === "step") {
        // every triangle carries a B-rep face id; a closed solid has positive volume
        expect(mesh.faceIds?.length).toBe(tris);
        expect(r.volume).toBeGreaterThan(0);
        expect(r.consistentlyOriented).toBe(true);
      }
      if (watertight) expect(r.boundaryEdges + r.nonManifoldEdges).toBe(0);
    }, 30_000);
  }
  it("reads B-rep face counts of single STEP parts as the CAx-IF documents state", async () => {
    const faces = async (f: string) => new Set((await readMeshFile(sharedData("step", f))).mesh.faceIds).size;
    expect(await faces("io1-cm-214.stp")).toBe(29);
    expect(await faces("s1-c5-214_MAINBODY_BACK.stp")).toBe(31);
    expect(await faces("rounded-cube.step")).toBe(7);
    expect(await faces("cube.stp")).toBe(6);
  });
  it("reads the STL cube at its documented size (x,z in [-5,5], y in [0,10]) and volume 1000", async () => {
    const r = meshReport((await readMeshFile(sharedData("stl", "cube_10x10.stl"))).mesh);
    expect(r.bbox.min).toEqual([-5, 0, -5]);
    expect(r.bbox.max).toEqual([5, 10, 5]);
    expect(r.volume).toBeCloseTo(1000, 3);
  });
});
