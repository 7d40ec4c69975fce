import { describe, expect, it } from "vitest";
import { SEED_SHAPES, assemblyLabels, assemblySdf, parseAssemblySpec, partSdfs, seedShape, SpecError, ParseError, InvalidArgumentError } from "@sdfkit/sdf-core";

const P = (...p: number[][]) => new Float32Array(p.flat());

describe("part assemblies", () => {
  it("ships the 9 seed shapes with the part counts k of the study", () => {
    expect(SEED_SHAPES.map((s) => [s.name, s.parts.length])).toEqual([
      ["snowman", 2], ["lollipop", 2], ["barbell", 3], ["mushroom", 2], ["tower", 3], ["table", 5], ["tpipe", 2], ["l_shape", 2], ["chair", 6],
    ]);
    expect(() => seedShape("teapot")).toThrow(InvalidArgumentError);
  });

  it("snowman: union SDF and argmin labels match hand-computed values", () => {
    const s = seedShape("snowman"); // body (0,-0.15,0) r 0.35; head (0,0.35,0) r 0.2
    const pts = P([0, -0.15, 0], [0, 0.35, 0], [0, 1, 0], [1, -0.15, 0], [0, 0.16, 0]);
    const d = Array.from(assemblySdf(s)(pts));
    // [0,0.16,0]: body 0.31-0.35 = -0.04, head 0.19-0.2 = -0.01 → min -0.04, label body
    expect(d).toEqual([expect.closeTo(-0.35, 6), expect.closeTo(-0.2, 6), expect.closeTo(0.45, 6), expect.closeTo(0.65, 6), expect.closeTo(-0.04, 6)]);
    expect(Array.from(assemblyLabels(s, pts))).toEqual([0, 1, 1, 0, 0]);
  });

  it("chair: seat, back and legs get their own labels; cylinder and box distances exact", () => {
    const s = seedShape("chair");
    // legs in the reference order: (-,-), (+,-), (-,+), (+,+) in (x, z)
    // seat centre; back centre; leg4 centre (0.25,-0.25,0.2); below leg1's foot; far right of the seat
    const pts = P([0, 0, 0], [0, 0.25, -0.22], [0.25, -0.25, 0.2], [-0.25, -0.6, -0.2], [0.5, 0, 0]);
    expect(Array.from(assemblyLabels(s, pts))).toEqual([0, 1, 5, 2, 0]);
    const d = Array.from(assemblySdf(s)(pts));
    expect(d[0]).toBeCloseTo(-0.03, 6); // seat half height
    expect(d[1]).toBeCloseTo(-0.02, 6); // back half thickness
    expect(d[2]).toBeCloseTo(-0.025, 6); // leg radius
    expect(d[3]).toBeCloseTo(0.6 - 0.25 - 0.22, 6); // below the foot: 0.13
    expect(d[4]).toBeCloseTo(0.2, 6); // 0.5 - 0.3
    const parts = partSdfs(s);
    expect(parts).toHaveLength(6);
    expect(parts[1](P([0, 0.25, 0]))[0]).toBeCloseTo(0.22 - 0.02, 6);
  });

  it("table legs follow the reference order; barbell bar is along x; l_shape boxes", () => {
    const t = seedShape("table");
    expect(Array.from(assemblyLabels(t, P([-0.3, 0, -0.2], [0.3, 0, -0.2], [-0.3, 0, 0.2], [0.3, 0, 0.2], [0, 0.31, 0])))).toEqual([1, 2, 3, 4, 0]);
    const b = seedShape("barbell");
    expect(Array.from(assemblyLabels(b, P([0, 0, 0], [-0.45, 0, 0], [0.45, 0.1, 0])))).toEqual([2, 0, 1]);
    expect(assemblySdf(b)(P([0, 0.5, 0]))[0]).toBeCloseTo(0.44, 6);
    const l = seedShape("l_shape");
    expect(Array.from(assemblyLabels(l, P([-0.3, 0, 0], [0.15, 0.4, 0])))).toEqual([0, 1]);
  });

  it("parseAssemblySpec names the JSON path of a bad key", () => {
    const good = { name: "pin", parts: [{ type: "cylinder", center: [0, 0, 0], radius: 0.1, halfHeight: 0.5, axis: "z" }] };
    expect(parseAssemblySpec(JSON.stringify(good))).toEqual(good);
    const bad = (mut: (s: any) => void, key: string) => {
      const s = structuredClone(good) as any;
      mut(s);
      let err: unknown;
      try {
        parseAssemblySpec(s);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).key).toBe(key);
    };
    bad((s) => (s.parts[0].radius = -1), "parts[0].radius");
    bad((s) => (s.parts[0].axis = "w"), "parts[0].axis");
    bad((s) => delete s.parts[0].halfHeight, "parts[0].halfHeight");
    bad((s) => (s.parts[0].colour = "red"), "parts[0].colour");
    bad((s) => s.parts.push({ type: "cone" }), "parts[1].type");
    bad((s) => s.parts.push({ type: "box", center: [0, 0], halfExtents: [1, 1, 1] }), "parts[1].center");
    bad((s) => s.parts.push({ type: "box", center: [0, 0, 0], halfExtents: [1, 0, 1] }), "parts[1].halfExtents");
    bad((s) => (s.parts = []), "parts");
    bad((s) => (s.name = 3), "name");
    bad((s) => (s.extra = 1), "extra");
    expect(() => parseAssemblySpec("{ nope")).toThrow(ParseError);
  });
});
