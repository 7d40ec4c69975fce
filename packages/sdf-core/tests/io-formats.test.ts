import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  parseObj, parseStl, parsePly, serializeObj, serializeStl, serializePly, meshReport, ParseError, MeshError, SdfkitError,
  marchingCubes, sampleGrid, sphere, type Mesh,
} from "@sdfkit/sdf-core";
import { readMesh, readMeshFile, readMeshFileSync, writeMesh, importCad, importIfc } from "@sdfkit/sdf-core/node";
import { sharedData } from "../../../test-utils/shared-data.js";

const tmp = mkdtempSync(join(tmpdir(), "sdfkit-io-"));
const ball = (): Mesh => marchingCubes(sampleGrid(sphere(0.5), { res: 16, bounds: { min: [-1, -1, -1], max: [1, 1, 1] } }));

const sameGeometry = (a: Mesh, b: Mesh) => {
  expect(b.indices.length).toBe(a.indices.length);
  // compare triangle corner positions (vertex order may differ after welding)
  for (let i = 0; i < a.indices.length; i += 7) {
    for (let k = 0; k < 3; k++) expect(b.positions[3 * b.indices[i] + k]).toBeCloseTo(a.positions[3 * a.indices[i] + k], 5);
  }
};

describe("round trips", () => {
  it("OBJ, binary/ascii STL and binary/ascii PLY preserve geometry and watertightness", () => {
    const m = ball();
    sameGeometry(m, parseObj(serializeObj(m)));
    for (const binary of [true, false]) {
      const s = parseStl(serializeStl(m, { binary }));
      sameGeometry(m, s);
      expect(meshReport(s).watertight).toBe(true);
      const p = parsePly(serializePly(m, { binary }));
      sameGeometry(m, p);
    }
  });
  it("PLY keeps vertex colours and normals", () => {
    const m = ball();
    const colors = new Float32Array(m.positions.length).map((_, i) => (i % 3) / 2);
    const normals = new Float32Array(m.positions.length).fill(0.5);
    for (const binary of [true, false]) {
      const p = parsePly(serializePly({ ...m, colors, normals }, { binary }));
      expect(Array.from(p.colors!.subarray(0, 6)).map((x) => Math.round(x * 255))).toEqual([0, 128, 255, 0, 128, 255]);
      expect(p.normals![0]).toBeCloseTo(0.5, 6);
    }
  });
  it("binary PLY (the fast float32 / triangle path) equals the same mesh read from ASCII PLY", () => {
    const m = ball();
    const colors = new Float32Array(m.positions.length).map((_, i) => ((i * 7) % 10) / 9);
    const normals = new Float32Array(m.positions.length).map((_, i) => Math.sin(i));
    for (const extra of [{}, { normals }, { colors, normals }]) {
      const mesh = { ...m, ...extra };
      const a = parsePly(serializePly(mesh, { binary: false })), b = parsePly(serializePly(mesh, { binary: true }));
      expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
      expect(Array.from(b.positions)).toEqual(Array.from(a.positions));
      for (const k of ["normals", "colors"] as const) expect(b[k] && Array.from(b[k]!)).toEqual(a[k] && Array.from(a[k]!));
    }
  });
  it("reads big-endian binary PLY and polygons", () => {
    const head = "ply\nformat binary_big_endian 1.0\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n";
    const body = new DataView(new ArrayBuffer(48 + 1 + 16));
    [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0].forEach((v, i) => body.setFloat32(4 * i, v, false));
    body.setUint8(48, 4);
    [0, 1, 2, 3].forEach((v, i) => body.setInt32(49 + 4 * i, v, false));
    const bytes = new Uint8Array([...new TextEncoder().encode(head), ...new Uint8Array(body.buffer)]);
    const m = parsePly(bytes);
    expect(Array.from(m.indices)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(m.positions[6]).toBe(1);
  });
  it("writeMesh writes atomically and readMesh reads back every writable format", async () => {
    const m = ball();
    for (const ext of ["obj", "stl", "ply"]) {
      const p = join(tmp, `ball.${ext}`);
      await writeMesh(p, m);
      const back = await readMesh(p);
      expect(meshReport(back).triangles).toBe(m.indices.length / 3);
      expect(meshReport(back).watertight).toBe(true);
    }
  });
  it("readMeshFileSync reads OBJ, STL and PLY as readMeshFile does, leaves CAD files to it and throws its errors", async () => {
    const m = ball();
    for (const ext of ["obj", "stl", "ply"]) {
      const p = join(tmp, `sync.${ext}`);
      await writeMesh(p, m);
      const a = await readMeshFile(p), b = readMeshFileSync(p)!;
      expect(b.format).toBe(a.format);
      expect(Array.from(b.mesh.positions)).toEqual(Array.from(a.mesh.positions));
      expect(Array.from(b.mesh.indices)).toEqual(Array.from(a.mesh.indices));
    }
    expect(readMeshFileSync(sharedData("step", "cube.stp"))).toBeUndefined();
    expect(() => readMeshFileSync(join(tmp, "missing.ply"))).toThrow(/readMesh: .*cannot read file/);
    expect(() => readMeshFileSync(writeFileSync(join(tmp, "x.xyz"), "nothing") ?? join(tmp, "x.xyz"))).toThrow(/readMesh: argument 'path'/);
    expect(() => readMeshFileSync("")).toThrow(/readMesh: argument 'path'/);
  });
});

describe("bad input gives typed errors naming the file", () => {
  const write = (name: string, data: string | Uint8Array) => {
    const p = join(tmp, name);
    writeFileSync(p, data);
    return p;
  };
  const rejects = async (p: string, pattern: RegExp) => {
    const err = await readMesh(p).then(() => null, (e) => e);
    expect(SdfkitError.isInstance(err)).toBe(true);
    expect(String(err.message)).toMatch(pattern);
    expect(err.message).toContain(p);
    return err;
  };
  it("OBJ: garbage, truncated, NaN, out-of-range, empty", async () => {
    await rejects(write("garbage.obj", "\u0000\u0001 hello world\n"), /no faces/);
    const e = await rejects(write("nan.obj", "v 0 0 0\nv 1 NaN 0\nv 0 1 0\nf 1 2 3\n"), /:2: vertex has a non-finite/);
    expect(e).toBeInstanceOf(ParseError);
    expect((e as ParseError).line).toBe(2);
    await rejects(write("range.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n"), /:4: face references vertex 4/);
    await rejects(write("inf.obj", "v 0 0 0\nv 1e999 0 0\nv 0 1 0\nf 1 2 3\n"), /non-finite/);
    await rejects(write("empty.obj", ""), /no faces/);
    const whole = readFileSync(sharedData("obj", "suzanne.obj"), "utf8");
    await rejects(write("cut.obj", whole.slice(0, Math.floor(whole.length * 0.6)) + "\nf 1 2 99999\n"), /cut\.obj:\d+: (face|malformed|vertex)/);
  });
  it("STL: truncated binary, garbage ascii, NaN, empty", async () => {
    const good = serializeStl(ball());
    await rejects(write("trunc.stl", good.subarray(0, good.length - 30)), /truncated binary file/);
    await rejects(write("short.stl", good.subarray(0, 50)), /too short/);
    await rejects(write("garbage.stl", "solid x\n facet normal 0 0 1\n  outer loop\n   vertex 0 0\n"), /:4: malformed vertex/);
    await rejects(write("noend.stl", "solid x\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n vertex 1 0 0\n vertex 0 1 0\n endloop\n endfacet\n"), /no 'endsolid'/);
    const nan = good.slice();
    new DataView(nan.buffer).setFloat32(84 + 12, NaN, true);
    await rejects(write("nan.stl", nan), /non-finite/);
    const empty = new Uint8Array(84);
    await rejects(write("empty.stl", empty), /no triangles/);
  });
  it("PLY: missing header end, truncated body, out-of-range face, unknown type", async () => {
    await rejects(write("nohead.ply", "ply\nformat ascii 1.0\nelement vertex 3\n"), /end_header/);
    const good = serializePly(ball());
    await rejects(write("trunc.ply", good.subarray(0, good.length - 20)), /truncated binary body/);
    await rejects(write("range.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n"), /references vertex 7/);
    await rejects(write("type.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty quaternion x\nend_header\n"), /unknown property type/);
    await rejects(write("asciitrunc.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n"), /truncated file/);
  });
  it("STEP and IFC: garbage and truncated files", async () => {
    await rejects(write("garbage.step", "ISO-10303-21;\nHEADER;\nthis is not step\n"), /STEP: .*(could not read|no surface)/);
    const whole = readFileSync(sharedData("step", "cube.stp"));
    await rejects(write("trunc.stp", whole.subarray(0, 300)), /STEP/);
    await rejects(write("garbage.ifc", "hello"), /IFC: .*missing 'ISO-10303-21'/);
    const ifc = readFileSync(sharedData("ifc", "Sample_entities.ifc"));
    await rejects(write("trunc.ifc", ifc.subarray(0, 400)), /IFC/);
    await expect(importCad(new Uint8Array(0), "step")).rejects.toThrow(ParseError);
    await expect(importIfc(new Uint8Array(0))).rejects.toThrow(ParseError);
  }, 30_000);
  it("unknown extensions and missing files", async () => {
    await expect(readMesh(write("x.xyz", "nothing here"))).rejects.toThrow(/readMesh: argument 'path'/);
    await expect(readMesh(join(tmp, "missing.obj"))).rejects.toThrow(/cannot read file/);
  });
  it("writeMesh rejects invalid meshes before writing", async () => {
    await expect(writeMesh(join(tmp, "bad.obj"), { positions: new Float32Array([0, 0, 0]), indices: new Uint32Array([0, 0, 1]) })).rejects.toThrow(MeshError);
  });
  it("zero-area triangles are kept and counted by meshReport", () => {
    const m = parseObj("v 0 0 0\nv 1 0 0\nv 2 0 0\nv 0 1 0\nf 1 2 3\nf 1 2 4\n");
    const r = meshReport(m);
    expect(r.degenerateTriangles).toBe(1);
    expect(r.watertight).toBe(false);
  });
  it("sniffs the format of files without a known extension", async () => {
    const p = write("cube.bin", readFileSync(sharedData("stl", "cube_10x10.stl")));
    expect((await readMeshFile(p)).format).toBe("stl");
    const q = write("part.dat", readFileSync(sharedData("step", "cube.stp")));
    expect((await readMeshFile(q)).format).toBe("step");
  });
});
