import { describe, expect, it } from "vitest";
import { meshReport, ParseError, signedVolume } from "@sdfkit/sdf-core";
import { arcMidPoint, arcSweep, buildSolid, extrudeInterval, loopDepths, loopPolygon, parseDeepCad, polygonArea, type Box3, type CadModel, type Vec3 } from "@sdfkit/vlm-data";
import { arc, circle, extrude, line, model, planeAt, realFiles, rect } from "./helpers.js";

const relBoxErr = (a: Box3, b: Box3): number => {
  const size = Math.max(...b.max.map((v, i) => v - b.min[i]));
  let e = 0;
  for (let i = 0; i < 3; i++) e = Math.max(e, Math.abs(a.min[i] - b.min[i]), Math.abs(a.max[i] - b.max[i]));
  return e / size;
};

/**
 * Independent oracle: the box of the union of the additive (NewBody/Join) prisms, from the curves' exact
 * extreme points (no polygons, no booleans). Equal to the solid's box when the model only adds material.
 */
const additiveBox = (m: CadModel): Box3 => {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const e of m.extrudes) {
    if (e.operation === "Cut" || e.operation === "Intersect") continue;
    const [lo, hi] = extrudeInterval(e);
    for (const { plane, profile } of e.profiles) {
      const pts: [number, number][] = [];
      for (const l of profile.loops)
        for (const c of l.curves) {
          if (c.type === "line") pts.push(c.start, c.end);
          else {
            const center = c.center;
            const r = c.type === "circle" ? c.radius : Math.hypot(c.start[0] - c.center[0], c.start[1] - c.center[1]);
            const sw = c.type === "arc" ? arcSweep(c) : { a0: 0, sweep: 2 * Math.PI };
            if (c.type === "arc") pts.push(c.start, c.end);
            for (let k = 0; k < 3; k++) {
              const base = Math.atan2(plane.yAxis[k], plane.xAxis[k]);
              for (const a of [base, base + Math.PI]) {
                const t = (((sw.sweep > 0 ? a - sw.a0 : sw.a0 - a) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
                if (t <= Math.abs(sw.sweep)) pts.push([center[0] + r * Math.cos(a), center[1] + r * Math.sin(a)]);
              }
            }
          }
        }
      for (const [x, y] of pts)
        for (const z of [lo, hi])
          for (let k = 0; k < 3; k++) {
            const w = plane.origin[k] + x * plane.xAxis[k] + y * plane.yAxis[k] + z * plane.normal[k];
            min[k] = Math.min(min[k], w);
            max[k] = Math.max(max[k], w);
          }
    }
  }
  return { min, max };
};

// Files whose recorded properties.bounding_box does not describe the features the file holds (see the
// checks below, which prove it with the independent additive-box oracle).
const INCONSISTENT_BBOX = new Set(["00001010.json", "00003763.json", "00633023.json"]);
// Onshape's box of a cylinder face here is 2e-5 m (0.2 % of its radius) short on one side: a
// tessellation-based box; no feature of the file can remove that material.
const LOOSE_BBOX = new Set(["00001005.json"]);

describe("DeepCAD JSON → solid on the 21 real files", async () => {
  const files = realFiles();
  const solids = await Promise.all(files.map(async (f) => ({ ...f, model: parseDeepCad(f.text, { file: f.name }), solid: await buildSolid(parseDeepCad(f.text, { file: f.name })) })));

  it("has all 21 files", () => expect(files.length).toBe(21));

  it("every file reconstructs to one watertight, outward-oriented solid (checked on the mesh, not trusted from manifold)", () => {
    for (const { name, solid } of solids) {
      const r = meshReport(solid.mesh);
      expect(r.watertight, name).toBe(true);
      expect(r.nonManifoldEdges, name).toBe(0);
      expect(signedVolume(solid.mesh), name).toBeGreaterThan(0);
      expect(Math.abs(signedVolume(solid.mesh) - solid.volume) / solid.volume, name).toBeLessThan(1e-4);
    }
  });

  it("matches properties.bounding_box within 1e-4 relative (17 files whose box is consistent with their features)", () => {
    const checked = solids.filter((s) => !INCONSISTENT_BBOX.has(s.name) && !LOOSE_BBOX.has(s.name));
    expect(checked.length).toBe(17);
    for (const { name, model: m, solid } of checked) expect(relBoxErr(solid.bbox, m.boundingBox!), name).toBeLessThan(1e-4);
    for (const { name, model: m, solid } of solids.filter((s) => LOOSE_BBOX.has(s.name))) expect(relBoxErr(solid.bbox, m.boundingBox!), name).toBeLessThan(1e-3);
  });

  it("add-only files match the exact additive-box oracle within 1e-6, including those whose recorded box disagrees", () => {
    const addOnly = solids.filter((s) => s.model.extrudes.every((e) => e.operation === "NewBody" || e.operation === "Join"));
    expect(addOnly.length).toBeGreaterThan(8);
    for (const { name, model: m, solid } of addOnly) expect(relBoxErr(solid.bbox, additiveBox(m)), name).toBeLessThan(1e-6);
    // the recorded box of these lies outside what their own features can produce
    for (const name of ["00001010.json", "00633023.json"]) {
      const s = solids.find((x) => x.name === name)!;
      expect(relBoxErr(additiveBox(s.model), s.model.boundingBox!), name).toBeGreaterThan(0.05);
    }
    const s3763 = solids.find((x) => x.name === "00003763.json")!;
    const add = additiveBox(s3763.model);
    expect(s3763.model.boundingBox!.max[1]).toBeGreaterThan(add.max[1] + 0.02); // material the file never creates
  });

  it("keeps the real-data quirks: unused sketches, inner loops flagged outer, −z circle normals, multi-profile extrudes", () => {
    const get = (n: string) => solids.find((s) => s.name === n)!;
    expect(get("00001005.json").model.unusedSketches.length).toBe(1);
    const p131 = get("00000131.json").model.extrudes[0].profiles[0].profile;
    expect(p131.loops.length).toBe(2);
    expect(p131.loops.every((l) => l.isOuter)).toBe(true);
    // containment still makes the smaller loop a hole: the solid is a ring (volume < the outer disc's prism)
    const polys = p131.loops.map((l) => loopPolygon(l, 64));
    expect(loopDepths(polys).sort()).toEqual([0, 1]);
    expect(get("00000069.json").model.extrudes[0].profiles.length).toBe(6);
    expect(get("00004691.json").model.extrudes[1].profiles.length).toBe(28);
  });
});

describe("hand-made cases with analytic volumes", () => {
  const H = 0.5;
  it("box with a circular hole (both loops flagged outer), holes by containment", async () => {
    const s = await buildSolid(model(extrude([rect(0, 0, 4, 3), [circle([2, 1.5], 1)]], { e1: H })), { segments: 4096, chordTolerance: 0 });
    expect(s.volume).toBeCloseTo((12 - Math.PI) * H, 4);
    expect(s.watertight).toBe(true);
  });
  it("slot from lines and arcs given in shuffled order and mixed directions", async () => {
    const r = 0.5;
    const L = 2;
    const curves = [arc([L, 0], r, -Math.PI / 2, Math.PI / 2), line([0, -r], [L, -r]), arc([0, 0], r, Math.PI / 2, (3 * Math.PI) / 2), line([0, r], [L, r])];
    const s = await buildSolid(model(extrude([curves], { e1: 1 })), { segments: 4096, chordTolerance: 0 });
    expect(s.volume).toBeCloseTo(2 * r * L + Math.PI * r * r, 4);
    expect(s.bbox.min[0]).toBeCloseTo(-r, 9);
    expect(s.bbox.max[0]).toBeCloseTo(L + r, 9);
  });
  it("symmetric = extent_one to both sides; two sides = e1 along and e2 against the normal; negative extents", async () => {
    const sym = await buildSolid(model(extrude([rect(0, 0, 1, 1)], { type: "Symmetric", e1: 0.3 })));
    expect(sym.volume).toBeCloseTo(0.6, 9);
    expect(sym.bbox.min[2]).toBeCloseTo(-0.3, 6);
    const two = await buildSolid(model(extrude([rect(0, 0, 1, 1)], { type: "TwoSides", e1: 0.3, e2: 0.2 })));
    expect(two.volume).toBeCloseTo(0.5, 9);
    expect([two.bbox.min[2], two.bbox.max[2]]).toEqual([expect.closeTo(-0.2, 6), expect.closeTo(0.3, 6)]);
    const neg = await buildSolid(model(extrude([rect(0, 0, 1, 1)], { e1: -0.4 })));
    expect(neg.bbox.min[2]).toBeCloseTo(-0.4, 6);
    expect(neg.bbox.max[2]).toBeCloseTo(0, 6);
  });
  it("a cut with a negative extent from the top face down into the body", async () => {
    const top = planeAt([0, 0, 1], [0, 0, 1], [1, 0, 0]);
    const s = await buildSolid(model(extrude([rect(0, 0, 2, 2)], { e1: 1 }), extrude([rect(0.5, 0.5, 1.5, 1.5)], { plane: top, op: "Cut", e1: -0.25 })));
    expect(s.volume).toBeCloseTo(4 - 0.25, 9);
  });
  it("intersect of two perpendicular prisms; join with a rotated sketch plane", async () => {
    const side = planeAt([0, 0, 0], [0, -1, 0], [1, 0, 0]); // sketch on XZ, extruded along −y... towards +y with a negative extent
    const s = await buildSolid(model(extrude([rect(0, 0, 2, 2)], { e1: 2 }), extrude([rect(0, 0, 2, 1)], { plane: side, op: "Intersect", e1: -2 })));
    expect(s.volume).toBeCloseTo(2 * 2 * 1, 9);
    const n: Vec3 = [Math.SQRT1_2, Math.SQRT1_2, 0];
    const rot = planeAt([5, 0, 0], n, [0, 0, 1]);
    const j = await buildSolid(model(extrude([rect(-1, -1, 1, 1)], { e1: 1 }), extrude([[circle([0, 0], 0.5)]], { plane: rot, op: "Join", e1: 2 })), { segments: 4096, chordTolerance: 0 });
    expect(j.volume).toBeCloseTo(4 + Math.PI * 0.25 * 2, 4);
    expect(j.bodies).toBe(2);
    // the rotated cylinder's box, exact thanks to the axis-extreme vertices: x from 5 − 0.5/√2 … 5 + 2/√2 + 0.5/√2
    expect(j.bbox.max[0]).toBeCloseTo(5 + 2 * Math.SQRT1_2 + 0.5 * Math.SQRT1_2, 6);
    expect(j.bbox.max[2]).toBeCloseTo(1, 9); // max(box top 1, cylinder top 0.5)
  });
});

describe("sketch geometry", () => {
  it("arc middle point follows cadlib (centre + r·R((a0+a1)/2)·refVec)", () => {
    const a = arc([1, 2], 3, 0.2, 1.4);
    const m = arcMidPoint(a as never);
    expect(m[0]).toBeCloseTo(1 + 3 * Math.cos(0.8), 12);
    expect(m[1]).toBeCloseTo(2 + 3 * Math.sin(0.8), 12);
  });
  it("polygon area of a circle converges; a gap in a loop is a typed error", () => {
    const p = loopPolygon({ isOuter: true, curves: [circle([0, 0], 1)] }, 1024);
    expect(polygonArea(p)).toBeCloseTo(Math.PI, 4);
    expect(() => loopPolygon({ isOuter: true, curves: [line([0, 0], [1, 0]), line([1, 0], [1, 1]), line([1, 1], [0.5, 1])] }, 64)).toThrow(/not closed/);
  });
});

describe("parse errors name the file and JSON path", () => {
  it("bad JSON, wrong types, dangling references", () => {
    expect(() => parseDeepCad("{", { file: "x.json" })).toThrow(ParseError);
    expect(() => parseDeepCad("{", { file: "x.json" })).toThrow(/x\.json/);
    const good = JSON.parse(realFiles()[0].text);
    const ext = Object.keys(good.entities).find((k) => good.entities[k].type === "ExtrudeFeature")!;
    const bad1 = structuredClone(good);
    bad1.entities[ext].extent_one.distance.value = "1";
    expect(() => parseDeepCad(bad1, { file: "b.json" })).toThrow(new RegExp(`b\\.json.*\\$\\.entities\\.${ext}\\.extent_one\\.distance\\.value: expected a finite number`));
    const bad2 = structuredClone(good);
    bad2.entities[ext].operation = "Fillet";
    expect(() => parseDeepCad(bad2)).toThrow(/operation: expected one of/);
    const bad3 = structuredClone(good);
    bad3.entities[ext].profiles[0].sketch = "nope";
    expect(() => parseDeepCad(bad3)).toThrow(/profiles\[0\]\.sketch: sketch "nope" is not in \$\.entities/);
    expect(() => parseDeepCad({ entities: {}, sequence: [] })).toThrow(/at least one ExtrudeFeature/);
  });
});
