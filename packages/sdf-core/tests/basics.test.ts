import { describe, expect, it } from "vitest";
import {
  createRng,
  parseObj,
  serializeObj,
  normalizeMesh,
  denormalizePoints,
  computeBounds,
  InvalidArgumentError,
  ParseError,
  SdfkitError,
  MeshError,
  assertValidMesh,
} from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { sharedData } from "../../../test-utils/shared-data.js";

describe("createRng", () => {
  it("is deterministic per seed and resumable from its state", () => {
    const a = createRng(7), b = createRng(7), c = createRng(8);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(xs).not.toEqual(Array.from({ length: 5 }, () => c.next()));
    a.normal();
    const st = JSON.parse(JSON.stringify(a.getState()));
    const after = [a.normal(), a.next(), a.int(100)];
    const d = createRng(0);
    d.setState(st);
    expect([d.normal(), d.next(), d.int(100)]).toEqual(after);
  });
  it("gives uniform floats in [0,1) and roughly standard normals", () => {
    const r = createRng(1);
    let sum = 0, sum2 = 0, lo = 1, hi = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      const g = r.normal();
      sum += g;
      sum2 += g * g;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sum2 / n - 1)).toBeLessThan(0.05);
  });
  it("rejects a non-finite seed", () => {
    expect(() => createRng(NaN)).toThrow(InvalidArgumentError);
  });
});

describe("parseObj", () => {
  it("parses quads, slashes and negative indices", () => {
    const m = parseObj("# c\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nvn 0 0 1\nf 1//1 2//1 3//1 4//1\nf -4 -3 -2\n");
    expect(m.positions.length).toBe(12);
    expect(Array.from(m.indices)).toEqual([0, 1, 2, 0, 2, 3, 0, 1, 2]);
  });
  it("round-trips through serializeObj", () => {
    const m = parseObj("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
    const m2 = parseObj(serializeObj(m));
    expect(Array.from(m2.positions)).toEqual(Array.from(m.positions));
    expect(Array.from(m2.indices)).toEqual(Array.from(m.indices));
  });
  it("names the line of a bad vertex, a bad index and a missing-face file", () => {
    expect(() => parseObj("v 0 0 0\nv 1 nan 0\n", { file: "x.obj" })).toThrowError(/x\.obj:2/);
    expect(() => parseObj("v 0 0 0\nv 1 0 0\nf 1 2 9\n")).toThrowError(/line 3.*vertex 9/);
    expect(() => parseObj("v 0 0 0\n")).toThrow(ParseError);
    try {
      parseObj("v 0 0\n", { file: "t.obj" });
    } catch (e) {
      expect(SdfkitError.isInstance(e)).toBe(true);
      expect((e as ParseError).line).toBe(1);
      expect((e as ParseError).file).toBe("t.obj");
    }
  });
});

describe("normalizeMesh", () => {
  it("puts the farthest vertex at 1/1.03 and inverts exactly", async () => {
    const mesh = await readMesh(sharedData("obj", "fandisk.obj"));
    const { mesh: n, offset, scale } = normalizeMesh(mesh);
    let r = 0;
    for (let i = 0; i < n.positions.length; i += 3) r = Math.max(r, Math.hypot(n.positions[i], n.positions[i + 1], n.positions[i + 2]));
    expect(r).toBeCloseTo(1 / 1.03, 5);
    const back = denormalizePoints(n.positions, { offset, scale });
    for (let i = 0; i < back.length; i += 97) expect(back[i]).toBeCloseTo(mesh.positions[i], 4);
    const b = computeBounds(n);
    expect(Math.abs(b.min[0] + b.max[0])).toBeLessThan(1e-5);
  });
  it("rejects empty and non-finite meshes with typed errors", () => {
    expect(() => normalizeMesh({ positions: new Float32Array(0), indices: new Uint32Array(0) })).toThrow(MeshError);
    expect(() => assertValidMesh("f", { positions: new Float32Array([0, 0, NaN, 1, 0, 0, 0, 1, 0]), indices: new Uint32Array([0, 1, 2]) })).toThrowError(
      /vertex 0 has a non-finite/,
    );
    expect(() => assertValidMesh("f", { positions: new Float32Array(9), indices: new Uint32Array([0, 1, 3]) })).toThrowError(/references vertex 3/);
  });
});
