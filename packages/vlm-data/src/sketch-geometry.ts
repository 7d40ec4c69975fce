import { MeshError } from "@sdfkit/sdf-core";
import type { CadArc, CadCurve, CadLoop, SketchPlane, Vec2, Vec3 } from "./api.js";

const TAU = 2 * Math.PI;
const mod = (a: number, m: number) => ((a % m) + m) % m;

/** The middle point of an arc as DeepCAD's cadlib defines it: `center + radius·R((startAngle+endAngle)/2)·refVec`. */
export const arcMidPoint = (arc: CadArc): Vec2 => {
  const a = (arc.startAngle + arc.endAngle) / 2;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const [rx, ry] = arc.refVec;
  const n = Math.hypot(rx, ry) || 1;
  return [arc.center[0] + (arc.radius * (c * rx - s * ry)) / n, arc.center[1] + (arc.radius * (s * rx + c * ry)) / n];
};

/**
 * Angles (in the sketch frame, from its x axis) where a circle of the plane reaches its extreme along
 * each model axis; adding them as polygon vertices makes the polygonised solid's bounding box exact.
 */
export const extremeAngles = (plane: SketchPlane | undefined): number[] => {
  if (!plane) return [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2];
  const out: number[] = [];
  for (let k = 0; k < 3; k++) {
    const x = plane.xAxis[k];
    const y = plane.yAxis[k];
    if (Math.hypot(x, y) < 1e-12) continue;
    const a = mod(Math.atan2(y, x), TAU);
    out.push(a, mod(a + Math.PI, TAU));
  }
  return out;
};

/** Sweep from `a0` by `sweep` radians (signed), `segments` per turn, plus the extreme angles inside; endpoints excluded. */
const sweepAngles = (a0: number, sweep: number, segments: number, extremes: number[]): number[] => {
  const n = Math.max(1, Math.ceil((Math.abs(sweep) / TAU) * segments));
  const ts: number[] = [];
  for (let i = 1; i < n; i++) ts.push(i / n);
  for (const e of extremes) {
    const t = (sweep > 0 ? mod(e - a0, TAU) : mod(a0 - e, TAU)) / Math.abs(sweep);
    if (t > 1e-9 && t < 1 - 1e-9) ts.push(t);
  }
  ts.sort((p, q) => p - q);
  const out: number[] = [];
  let last = 0;
  for (const t of ts) {
    if (t - last > 1e-9) out.push(a0 + sweep * t);
    last = t;
  }
  return out;
};

/** Signed sweep (counter-clockwise positive) of an arc from its start through its middle to its end. */
export const arcSweep = (arc: CadArc): { a0: number; sweep: number; radius: number } => {
  const [cx, cy] = arc.center;
  const m = arcMidPoint(arc);
  const as = Math.atan2(arc.start[1] - cy, arc.start[0] - cx);
  const am = Math.atan2(m[1] - cy, m[0] - cx);
  const ae = Math.atan2(arc.end[1] - cy, arc.end[0] - cx);
  const dm = mod(am - as, TAU);
  let de = mod(ae - as, TAU);
  if (de < 1e-12) de = TAU;
  const sweep = dm < de ? de : -(TAU - de);
  return { a0: as, sweep, radius: Math.hypot(arc.start[0] - cx, arc.start[1] - cy) };
};

/** Segments per full turn: a fixed count, or a function of the radius. */
export type Segments = number | ((radius: number) => number);

/** Points of one curve from its start to its end (inclusive), or the closed ring of a circle (first point not repeated). */
export const curvePoints = (curve: CadCurve, segs: Segments, extremes: number[]): Vec2[] => {
  if (curve.type === "line") return [curve.start, curve.end];
  const segments = typeof segs === "number" ? segs : segs(curve.type === "circle" ? curve.radius : Math.hypot(curve.start[0] - curve.center[0], curve.start[1] - curve.center[1]));
  if (curve.type === "circle") {
    const [cx, cy] = curve.center;
    const angles = [0, ...sweepAngles(0, TAU, segments, extremes)];
    return angles.map((a) => [cx + curve.radius * Math.cos(a), cy + curve.radius * Math.sin(a)] as Vec2);
  }
  const { a0, sweep, radius } = arcSweep(curve);
  const [cx, cy] = curve.center;
  const inner = sweepAngles(a0, sweep, segments, extremes).map((a) => [cx + radius * Math.cos(a), cy + radius * Math.sin(a)] as Vec2);
  return [curve.start, ...inner, curve.end];
};

const d2 = (a: Vec2, b: Vec2) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;

/**
 * A loop as one closed polygon (first point not repeated). Curves are chained by matching end points
 * whatever their stored order and direction; a gap larger than `1e-4` of the loop's size is an error.
 */
export const loopPolygon = (loop: CadLoop, segments: Segments, extremes: number[] = extremeAngles(undefined)): Vec2[] => {
  const curves = loop.curves;
  if (curves.length === 1 && curves[0].type === "circle") return curvePoints(curves[0], segments, extremes);
  if (curves.some((c) => c.type === "circle")) throw new MeshError("loopPolygon", "a circle can only form a loop on its own");
  const pieces = curves.map((c) => curvePoints(c, segments, extremes));
  let size = 0;
  for (const p of pieces) for (const q of p) size = Math.max(size, Math.abs(q[0]), Math.abs(q[1]));
  const tol2 = (1e-4 * Math.max(size, 1e-9)) ** 2;
  const used = new Uint8Array(pieces.length);
  const out: Vec2[] = [...pieces[0]];
  used[0] = 1;
  for (let step = 1; step < pieces.length; step++) {
    const end = out[out.length - 1];
    let best = -1;
    let bestD = Infinity;
    let rev = false;
    for (let i = 0; i < pieces.length; i++) {
      if (used[i]) continue;
      const p = pieces[i];
      const ds = d2(p[0], end);
      const de = d2(p[p.length - 1], end);
      if (ds < bestD) [best, bestD, rev] = [i, ds, false];
      if (de < bestD) [best, bestD, rev] = [i, de, true];
    }
    if (bestD > tol2) throw new MeshError("loopPolygon", `loop is not closed: gap of ${Math.sqrt(bestD).toExponential(3)} after curve ${step - 1}`);
    used[best] = 1;
    const p = rev ? [...pieces[best]].reverse() : pieces[best];
    out.push(...p.slice(1));
  }
  const gap = d2(out[0], out[out.length - 1]);
  if (gap > tol2) throw new MeshError("loopPolygon", `loop is not closed: its end is ${Math.sqrt(gap).toExponential(3)} from its start`);
  out.pop();
  return out;
};

/** Signed area of a polygon (counter-clockwise positive). */
export const polygonArea = (poly: Vec2[]): number => {
  let a = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) a += poly[j][0] * poly[i][1] - poly[i][0] * poly[j][1];
  return a / 2;
};

/** Even–odd point-in-polygon test. */
export const pointInPolygon = (p: Vec2, poly: Vec2[]): boolean => {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

/**
 * Classify loops by containment: depth = how many other loops contain it; even depth = outer
 * boundary, odd = hole. (The files' `is_outer` flag is unreliable: holes are often flagged outer.)
 */
export const loopDepths = (polys: Vec2[][]): number[] =>
  polys.map((p, i) => polys.reduce((d, q, j) => (j !== i && Math.abs(polygonArea(q)) > Math.abs(polygonArea(p)) && pointInPolygon(p[0], q) ? d + 1 : d), 0));

/** A sketch point in model space. */
export const planePoint = (plane: SketchPlane, p: Vec2, z = 0): Vec3 => [
  plane.origin[0] + p[0] * plane.xAxis[0] + p[1] * plane.yAxis[0] + z * plane.normal[0],
  plane.origin[1] + p[0] * plane.xAxis[1] + p[1] * plane.yAxis[1] + z * plane.normal[1],
  plane.origin[2] + p[0] * plane.xAxis[2] + p[1] * plane.yAxis[2] + z * plane.normal[2],
];
