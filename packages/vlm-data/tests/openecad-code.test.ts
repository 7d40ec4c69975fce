import { describe, expect, it } from "vitest";
import { buildSolid, countCodeTokens, parseDeepCad, toOpenEcadCode, type CadCurve, type CadExtrude, type CadModel, type Vec2, type Vec3 } from "@sdfkit/vlm-data";
import { realFiles } from "./helpers.js";

const nums = (s: string) => s.split(",").map(Number);
const vecArg = (line: string, key: string): number[] => nums(line.match(new RegExp(`${key}= \\[([^\\]]*)\\]`))![1]);

/** Rebuild a model from the generated code (an independent reader of the target text), in metres. */
const readCode = (code: string): CadModel => {
  const extrudes: CadExtrude[] = [];
  const text = code.replace(/\n\t/g, " ");
  let plane: CadExtrude["profiles"][0]["plane"] | undefined;
  let loops: CadCurve[][] = [];
  const mm = (v: number[]) => v.map((x) => x / 1000) as Vec2;
  for (const line of text.split("\n")) {
    if (line.includes("add_sketchplane(")) {
      const n = vecArg(line, "normal") as Vec3;
      const x = vecArg(line, "x_axis") as Vec3;
      plane = { origin: vecArg(line, "origin").map((v) => v / 1000) as Vec3, normal: n, xAxis: x, yAxis: [n[1] * x[2] - n[2] * x[1], n[2] * x[0] - n[0] * x[2], n[0] * x[1] - n[1] * x[0]] };
      loops = [];
    } else if (/^Curves\d+_\d+ = \[\]/.test(line)) loops.push([]);
    else if (line.includes("add_line(")) loops[loops.length - 1].push({ type: "line", start: mm(vecArg(line, "start")), end: mm(vecArg(line, "end")) });
    else if (line.includes("add_circle(")) loops[loops.length - 1].push({ type: "circle", center: mm(vecArg(line, "center")), radius: Number(line.match(/radius= ([-\d.e]+)/)![1]) / 1000 });
    else if (line.includes("add_arc(")) {
      const [s, e, m] = [mm(vecArg(line, "start")), mm(vecArg(line, "end")), mm(vecArg(line, "mid"))];
      // circumcentre of start, mid, end
      const d = 2 * (s[0] * (m[1] - e[1]) + m[0] * (e[1] - s[1]) + e[0] * (s[1] - m[1]));
      const sq = (p: Vec2) => p[0] * p[0] + p[1] * p[1];
      const c: Vec2 = [(sq(s) * (m[1] - e[1]) + sq(m) * (e[1] - s[1]) + sq(e) * (s[1] - m[1])) / d, (sq(s) * (e[0] - m[0]) + sq(m) * (s[0] - e[0]) + sq(e) * (m[0] - s[0])) / d];
      const r = Math.hypot(s[0] - c[0], s[1] - c[1]);
      const ang = (p: Vec2) => Math.atan2(p[1] - c[1], p[0] - c[0]);
      const ccw = (s[0] - c[0]) * (m[1] - c[1]) - (s[1] - c[1]) * (m[0] - c[0]) > 0 && ((ang(m) - ang(s) + 4 * Math.PI) % (2 * Math.PI)) < ((ang(e) - ang(s) + 4 * Math.PI) % (2 * Math.PI));
      const from = ccw ? s : e;
      const to = ccw ? e : s;
      const sweep = (ang(to) - ang(from) + 4 * Math.PI) % (2 * Math.PI);
      loops[loops.length - 1].push({ type: "arc", start: s, end: e, center: c, radius: r, startAngle: 0, endAngle: sweep, refVec: [(from[0] - c[0]) / r, (from[1] - c[1]) / r] });
    } else if (line.includes("add_extrude(")) {
      const op = Number(line.match(/operation= (\d)/)![1]);
      const type = Number(line.match(/type= (\d)/)![1]);
      const e1 = Number(line.match(/extent_one= ([-\d.e]+)/)![1]) / 1000;
      const e2 = Number(line.match(/extent_two= ([-\d.e]+)/)![1]) / 1000;
      extrudes.push({
        id: `x${extrudes.length}`,
        name: "x",
        profiles: [{ sketchId: `s${extrudes.length}`, plane: plane!, profile: { id: "p", loops: loops.map((curves) => ({ isOuter: true, curves })) } }],
        operation: (["NewBody", "Join", "Cut", "Intersect"] as const)[op],
        extentType: (["OneSide", "Symmetric", "TwoSides"] as const)[type],
        extentOne: e1,
        extentTwo: e2,
      });
    }
  }
  return { extrudes, unusedSketches: [] };
};

describe("OpenECAD-style code", () => {
  it("is complete: reading the code back rebuilds the same solid on every real file (volume within 0.5 %)", async () => {
    for (const { name, text } of realFiles()) {
      const m = parseDeepCad(text, { file: name });
      const code = toOpenEcadCode(m);
      const curves = m.extrudes.flatMap((e) => e.profiles.flatMap((p) => p.profile.loops.flatMap((l) => l.curves)));
      expect((code.match(/= add_(line|arc|circle)\(/g) ?? []).length, name).toBe(curves.length);
      expect((code.match(/= add_extrude\(/g) ?? []).length, name).toBe(m.extrudes.reduce((n, e) => n + e.profiles.length, 0));
      const [a, b] = await Promise.all([buildSolid(m), buildSolid(readCode(code))]);
      expect(Math.abs(b.volume - a.volume) / a.volume, name).toBeLessThan(5e-3);
    }
  });
  it("prints millimetres with at most 4 decimals and operation/type indices", () => {
    const m = parseDeepCad(realFiles()[0].text);
    const code = toOpenEcadCode(m);
    expect(code).toContain("add_circle(center= [0.0, 0.0], radius= 91.0485)");
    expect(code).toMatch(/operation= 0, type= 0, extent_one= 25\.4, extent_two= 0\.0/);
    for (const n of code.match(/-?\d+\.\d+/g)!) expect(n.split(".")[1].length).toBeLessThanOrEqual(4);
  });
  it("counts tokens deterministically", () => {
    expect(countCodeTokens("add_line(start= [1.5, -2.0])")).toBe(15);
  });
});
