import { readFileSync, readdirSync } from "node:fs";
import type { CadCurve, CadExtrude, CadModel, ExtentType, ExtrudeOperation, SketchPlane, Vec2, Vec3 } from "@sdfkit/vlm-data";
import { sharedData } from "../../../test-utils/shared-data.js";

export const DEEPCAD_DIR = sharedData("deepcad");
export const realFiles = (): { name: string; text: string }[] =>
  readdirSync(DEEPCAD_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((name) => ({ name, text: readFileSync(`${DEEPCAD_DIR}/${name}`, "utf8") }));

export const XY: SketchPlane = { origin: [0, 0, 0], xAxis: [1, 0, 0], yAxis: [0, 1, 0], normal: [0, 0, 1] };
export const line = (a: Vec2, b: Vec2): CadCurve => ({ type: "line", start: a, end: b });
export const circle = (c: Vec2, r: number): CadCurve => ({ type: "circle", center: c, radius: r });
/** A counter-clockwise arc from angle a0 to a1 (radians) in cadlib's parameterisation (refVec = start direction). */
export const arc = (c: Vec2, r: number, a0: number, a1: number): CadCurve => ({
  type: "arc",
  start: [c[0] + r * Math.cos(a0), c[1] + r * Math.sin(a0)],
  end: [c[0] + r * Math.cos(a1), c[1] + r * Math.sin(a1)],
  center: c,
  radius: r,
  startAngle: 0,
  endAngle: a1 - a0,
  refVec: [Math.cos(a0), Math.sin(a0)],
});
export const rect = (x0: number, y0: number, x1: number, y1: number): CadCurve[] => [line([x0, y0], [x1, y0]), line([x1, y0], [x1, y1]), line([x1, y1], [x0, y1]), line([x0, y1], [x0, y0])];
let nextId = 0;
export const extrude = (
  loops: CadCurve[][],
  opts: { plane?: SketchPlane; op?: ExtrudeOperation; type?: ExtentType; e1: number; e2?: number },
): CadExtrude => ({
  id: `e${++nextId}`,
  name: "Extrude",
  profiles: [{ sketchId: `s${nextId}`, plane: opts.plane ?? XY, profile: { id: "p", loops: loops.map((curves) => ({ isOuter: true, curves })) } }],
  operation: opts.op ?? "NewBody",
  extentType: opts.type ?? "OneSide",
  extentOne: opts.e1,
  extentTwo: opts.e2 ?? 0,
});
export const model = (...extrudes: CadExtrude[]): CadModel => ({ extrudes, unusedSketches: [] });
export const planeAt = (origin: Vec3, normal: Vec3, xAxis: Vec3): SketchPlane => {
  const y: Vec3 = [normal[1] * xAxis[2] - normal[2] * xAxis[1], normal[2] * xAxis[0] - normal[0] * xAxis[2], normal[0] * xAxis[1] - normal[1] * xAxis[0]];
  return { origin, normal, xAxis, yAxis: y };
};
