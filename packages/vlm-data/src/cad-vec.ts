import { InvalidArgumentError } from "@sdfkit/sdf-core";
import { EXTENT_TYPES, EXTRUDE_OPERATIONS, type CadArc, type CadCurve, type CadExtrude, type CadLoop, type CadModel, type SketchPlane, type Vec2, type Vec3 } from "./api.js";
import { arcMidPoint } from "./sketch-geometry.js";

/** DeepCAD's command alphabet: the value in column 0 of a cad_vec row. */
export const CAD_COMMANDS = ["Line", "Arc", "Circle", "EOS", "SOL", "Ext"] as const;
const LINE = 0;
const ARC = 1;
const CIRCLE = 2;
const EOS = 3;
const SOL = 4;
const EXT = 5;
/** Columns per row: the command and 16 arguments (x, y, α, f, r, θ, φ, γ, px, py, pz, s, e1, e2, b, u). */
export const CAD_VEC_COLUMNS = 17;
const PAD = -1;
const NORM_FACTOR = 0.75;
const N = 256;

/** Limits of DeepCAD's encoding (cadlib/macro.py). */
export interface CadVecLimits {
  /** @defaultValue 10 */
  maxExtrudes: number;
  /** @defaultValue 6 */
  maxLoops: number;
  /** Rows per loop including its SOL. @defaultValue 15 */
  maxLoopRows: number;
  /** @defaultValue 60 */
  maxRows: number;
}
export const DEFAULT_CAD_VEC_LIMITS: CadVecLimits = { maxExtrudes: 10, maxLoops: 6, maxLoopRows: 15, maxRows: 60 };

/** A quantised DeepCAD sequence: `rows × 17` integers, row-major (`data[r * 17 + c]`). */
export interface CadVec {
  rows: number;
  data: Int16Array;
}

/** The outcome of {@link encodeCadVec}: the vector, or why the model does not fit DeepCAD's limits. */
export type CadVecResult = { ok: true; vec: CadVec } | { ok: false; reason: string };

// ---------- cadlib's mutable curves (same operations, same order, same rounding) ----------

type P = [number, number];
interface LineC { kind: 0; start: P; end: P }
interface ArcC { kind: 1; start: P; end: P; mid: P; center: P; radius: number; startAngle: number; endAngle: number; refVec: P }
interface CircleC { kind: 2; center: P; radius: number }
type Curve = LineC | ArcC | CircleC;

/** numpy's `round` (half to even). */
const npRound = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const q = (x: number, lo = 0, hi = N - 1) => clip(npRound(x), lo, hi);
const allclose = (a: P, b: P) => Math.abs(a[0] - b[0]) <= 1e-8 + 1e-5 * Math.abs(b[0]) && Math.abs(a[1] - b[1]) <= 1e-8 + 1e-5 * Math.abs(b[1]);
const startOf = (c: Curve): P => (c.kind === CIRCLE ? [c.center[0] - c.radius, c.center[1]] : c.start);
const endOf = (c: Curve): P => (c.kind === CIRCLE ? [c.center[0] + c.radius, c.center[1]] : c.end);
const reverse = (c: Curve) => {
  if (c.kind !== CIRCLE) [c.start, c.end] = [c.end, c.start];
};
const direction = (c: Curve, fromStart = true): P => {
  if (c.kind === LINE) return [c.end[0] - c.start[0], c.end[1] - c.start[1]];
  if (c.kind === ARC) return fromStart ? [c.mid[0] - c.start[0], c.mid[1] - c.start[1]] : [c.end[0] - c.mid[0], c.end[1] - c.mid[1]];
  return [0, 0];
};
const cross = (a: P, b: P) => a[0] * b[1] - a[1] * b[0];
/** cadlib's angle_from_vector_to_x (0..2π, via asin). */
const angleToX = (v: P): number => {
  if (v[0] >= 0) return v[1] >= 0 ? Math.asin(v[1]) : 2 * Math.PI - Math.asin(-v[1]);
  return v[1] >= 0 ? Math.PI - Math.asin(v[1]) : Math.PI + Math.asin(-v[1]);
};
const unit = (v: P, eps = 1e-8): P => {
  const n = Math.hypot(v[0], v[1]) + eps;
  return [v[0] / n, v[1] / n];
};
const arcAnglesCcw = (c: ArcC): [number, number] => {
  const as0 = angleToX(unit([c.start[0] - c.center[0], c.start[1] - c.center[1]]));
  const am = angleToX(unit([c.mid[0] - c.center[0], c.mid[1] - c.center[1]]));
  const ae0 = angleToX(unit([c.end[0] - c.center[0], c.end[1] - c.center[1]]));
  let as = Math.min(as0, ae0);
  let ae = Math.max(as0, ae0);
  if (!(as < am && am < ae)) [as, ae] = [ae - 2 * Math.PI, as];
  return [as, ae];
};
const curveBox = (c: Curve): [P, P] => {
  const pts: P[] = [];
  if (c.kind === LINE) pts.push(c.start, c.end);
  else if (c.kind === CIRCLE) pts.push([c.center[0] - c.radius, c.center[1] - c.radius], [c.center[0] + c.radius, c.center[1] + c.radius]);
  else {
    pts.push(c.start, c.end);
    const [s, e] = arcAnglesCcw(c);
    const [cx, cy] = c.center;
    const r = c.radius;
    const h = Math.PI / 2;
    if (s < 0 && 0 < e) pts.push([cx + r, cy]);
    if ((s < h && h < e) || (s < -3 * h && -3 * h < e)) pts.push([cx, cy + r]);
    if ((s < Math.PI && Math.PI < e) || (s < -Math.PI && -Math.PI < e)) pts.push([cx - r, cy]);
    if ((s < 3 * h && 3 * h < e) || (s < -h && -h < e)) pts.push([cx, cy - r]);
  }
  return [
    [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1]))],
    [Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))],
  ];
};
const boxOf = (boxes: [P, P][]): [P, P] => [
  [Math.min(...boxes.map((b) => b[0][0])), Math.min(...boxes.map((b) => b[0][1]))],
  [Math.max(...boxes.map((b) => b[1][0])), Math.max(...boxes.map((b) => b[1][1]))],
];
const transformCurve = (c: Curve, t: P, s: number) => {
  const f = (p: P): P => [(p[0] + t[0]) * s, (p[1] + t[1]) * s];
  if (c.kind === LINE) {
    c.start = f(c.start);
    c.end = f(c.end);
  } else if (c.kind === ARC) {
    c.start = f(c.start);
    c.mid = f(c.mid);
    c.end = f(c.end);
    c.center = f(c.center);
    c.radius = Math.abs(c.radius * s);
  } else {
    c.center = f(c.center);
    c.radius *= s;
  }
};

/** cadlib's Loop.reorder: fix start/end order, start at the left-most point, make it mostly counter-clockwise. */
const reorderLoop = (cs: Curve[]): Curve[] => {
  if (cs.length <= 1) return cs;
  if (allclose(startOf(cs[0]), startOf(cs[1])) || allclose(startOf(cs[0]), endOf(cs[1]))) reverse(cs[0]);
  let idx = -1;
  let sx = 10000;
  let sy = 10000;
  const r6 = (x: number) => npRound(x * 1e6) / 1e6;
  for (let i = 0; i < cs.length; i++) {
    if (i < cs.length - 1 && allclose(endOf(cs[i]), endOf(cs[i + 1]))) reverse(cs[i + 1]);
    const [x, y] = startOf(cs[i]);
    if (r6(x) < r6(sx) || (r6(x) === r6(sx) && r6(y) < r6(sy))) [idx, sx, sy] = [i, x, y];
  }
  let out = [...cs.slice(idx), ...cs.slice(0, idx)];
  if (out[0].kind === CIRCLE || out[out.length - 1].kind === CIRCLE) return out;
  if (cross(direction(out[out.length - 1], false), direction(out[0])) <= 0) {
    out.forEach(reverse);
    out = out.reverse();
  }
  return out;
};
/** cadlib's Profile.reorder: loops by the lower-left corner of their boxes (x, then y; rounded to 1e-6). */
const reorderLoops = (loops: Curve[][]): Curve[][] => {
  if (loops.length <= 1) return loops;
  const key = loops.map((l) => boxOf(l.map(curveBox))[0].map((v) => npRound(v * 1e6) / 1e6));
  return loops.map((l, i) => ({ l, i })).sort((a, b) => key[a.i][0] - key[b.i][0] || key[a.i][1] - key[b.i][1] || a.i - b.i).map((x) => x.l);
};

const fromCad = (c: CadCurve): Curve => {
  if (c.type === "line") return { kind: LINE, start: [...c.start], end: [...c.end] };
  if (c.type === "circle") return { kind: CIRCLE, center: [...c.center], radius: c.radius };
  return { kind: ARC, start: [...c.start], end: [...c.end], mid: arcMidPoint(c), center: [...c.center], radius: c.radius, startAngle: c.startAngle, endAngle: c.endAngle, refVec: [...c.refVec] };
};

// ---------- sketch plane parameterisation (cadlib/math_utils.py) ----------

const r6v = (v: Vec3): Vec3 => v.map((x) => npRound(x * 1e6) / 1e6) as Vec3;
const toPolar = (v0: Vec3): [number, number] => {
  const v = r6v(v0);
  const n = Math.hypot(v[0], v[1], v[2]);
  return [Math.acos(v[2] / n), Math.atan(v[1] / (v[0] + 1e-15))];
};
const fromPolar = (theta: number, phi: number): Vec3 => [Math.sin(theta) * Math.cos(phi), Math.sin(theta) * Math.sin(phi), Math.cos(theta)];
const refX = (theta: number, phi: number): Vec3 => {
  // rotate_by_z(rotate_by_y([1,0,0], theta), phi)
  const x = Math.cos(theta);
  const z = -Math.sin(theta);
  return [Math.cos(phi) * x, Math.sin(phi) * x, z];
};
const cross3 = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot3 = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** cadlib's polar_parameterization: (θ, φ) of the normal and the angle γ of the x axis about it. */
export const planeAngles = (plane: SketchPlane): [number, number, number] => {
  const [theta, phi] = toPolar(plane.normal);
  const rx = refX(theta, phi);
  let gamma = Math.acos(clip(npRound(dot3(plane.xAxis, rx) * 1e6) / 1e6, -1, 1));
  if (dot3(cross3(rx, plane.xAxis), plane.normal) < 0) gamma = -gamma;
  return [theta, phi, gamma];
};
/** cadlib's polar_parameterization_inverse: the plane axes of (θ, φ, γ). */
export const planeFromAngles = (origin: Vec3, theta: number, phi: number, gamma: number): SketchPlane => {
  const normal = fromPolar(theta, phi);
  const rx = refX(theta, phi);
  const ry = cross3(normal, rx);
  const xAxis: Vec3 = [0, 1, 2].map((k) => rx[k] * Math.cos(gamma) + ry[k] * Math.sin(gamma)) as Vec3;
  return { origin, normal, xAxis, yAxis: cross3(normal, xAxis) };
};

// ---------- encode ----------

/** Options of {@link encodeCadVec}. */
export interface EncodeCadVecOptions extends CadVecLimits {
  /**
   * Scale applied to the model before quantisation. Default: DeepCAD's `0.75 / max|bbox|` from the
   * file's recorded bounding box (required then). Pass 1 for a model already in normalised units (a decoded one).
   */
  scale?: number;
}

/**
 * Encode a model as DeepCAD's quantised cad_vec, reproducing cadlib's `CADSequence.from_dict →
 * normalize → numericalize → to_vector` (multi-profile extrudes become one row group per profile, the
 * first NewBody and the rest Join; curves reordered from the left-most point, counter-clockwise).
 * Returns `{ ok: false, reason }` when the model exceeds the limits (10 extrudes, 6 loops, 15 rows per
 * loop, 60 rows), as DeepCAD drops such models.
 */
export const encodeCadVec = (model: CadModel, opts: Partial<EncodeCadVecOptions> = {}): CadVecResult => {
  const o = { ...DEFAULT_CAD_VEC_LIMITS, ...opts };
  let scale = o.scale;
  if (scale === undefined) {
    const bb = model.boundingBox;
    if (!bb) throw new InvalidArgumentError("encodeCadVec", "model.boundingBox", "a recorded bounding box (or pass opts.scale)", bb);
    scale = NORM_FACTOR / Math.max(...bb.min.map(Math.abs), ...bb.max.map(Math.abs));
  }
  if (!(scale > 0) || !Number.isFinite(scale)) throw new InvalidArgumentError("encodeCadVec", "scale", "a positive finite number", scale);
  const rows: number[][] = [];
  const items: { e: CadExtrude; k: number }[] = [];
  for (const e of model.extrudes) e.profiles.forEach((_, k) => items.push({ e, k }));
  if (items.length > o.maxExtrudes) return { ok: false, reason: `${items.length} extrudes (limit ${o.maxExtrudes})` };
  for (const { e, k } of items) {
    const { plane, profile } = e.profiles[k];
    const loops = reorderLoops(profile.loops.map((l) => reorderLoop(l.curves.map(fromCad))));
    if (loops.length > o.maxLoops) return { ok: false, reason: `${loops.length} loops (limit ${o.maxLoops})` };
    const start = startOf(loops[0][0]);
    const [bmin, bmax] = boxOf(loops.flat().map(curveBox));
    const size = Math.max(Math.abs(bmax[0] - start[0]), Math.abs(bmax[1] - start[1]), Math.abs(bmin[0] - start[0]), Math.abs(bmin[1] - start[1]));
    if (!(size > 0)) return { ok: false, reason: "degenerate profile (zero size)" };
    const s2 = (N / 2) * NORM_FACTOR - 1;
    for (const l of loops)
      for (const c of l) {
        transformCurve(c, [-start[0], -start[1]], s2 / size);
        transformCurve(c, [N / 2, N / 2], 1);
      }
    const pos = [0, 1, 2].map((j) => (start[0] * plane.xAxis[j] + start[1] * plane.yAxis[j] + plane.origin[j]) * scale);
    const [theta, phi, gamma] = planeAngles(plane);
    const op = e.operation === "NewBody" && k > 0 ? 1 : EXTRUDE_OPERATIONS.indexOf(e.operation);
    const e1 = e.extentOne * scale;
    const e2 = e.extentTwo * scale;
    if (Math.abs(e1) > 2 || Math.abs(e2) > 2) return { ok: false, reason: "extent outside the normalised range" };
    for (const l of loops) {
      if (l.length + 1 > o.maxLoopRows) return { ok: false, reason: `a loop of ${l.length} curves (limit ${o.maxLoopRows - 1})` };
      rows.push([SOL]);
      for (const c of l) {
        if (c.kind === LINE) rows.push([LINE, q(c.end[0]), q(c.end[1])]);
        else if (c.kind === CIRCLE) rows.push([CIRCLE, q(c.center[0]), q(c.center[1]), PAD, PAD, q(c.radius, 1)]);
        else {
          const st: P = [q(c.start[0]), q(c.start[1])];
          const md: P = [q(c.mid[0]), q(c.mid[1])];
          const en: P = [q(c.end[0]), q(c.end[1])];
          const sa = q((c.startAngle / (2 * Math.PI)) * N);
          const ea = q((c.endAngle / (2 * Math.PI)) * N);
          const clock = cross([md[0] - st[0], md[1] - st[1]], [en[0] - st[0], en[1] - st[1]]) >= 0 ? 1 : 0;
          rows.push([ARC, en[0], en[1], Math.max(Math.abs(sa - ea), 1), clock]);
        }
      }
    }
    const qa = (t: number) => q((t / Math.PI + 1) / 2 * N);
    const qp = (t: number) => q(((t + 1) / 2) * N);
    rows.push([EXT, PAD, PAD, PAD, PAD, PAD, qa(theta), qa(phi), qa(gamma), qp(pos[0]), qp(pos[1]), qp(pos[2]), q((size * scale) / 2 * N), qp(e1), qp(e2), op, EXTENT_TYPES.indexOf(e.extentType)]);
  }
  rows.push([EOS]);
  if (rows.length > o.maxRows) return { ok: false, reason: `${rows.length} rows (limit ${o.maxRows})` };
  const data = new Int16Array(rows.length * CAD_VEC_COLUMNS).fill(PAD);
  rows.forEach((r, i) => r.forEach((v, j) => (data[i * CAD_VEC_COLUMNS + j] = v)));
  return { ok: true, vec: { rows: rows.length, data } };
};

// ---------- decode ----------

const row = (v: CadVec, i: number) => Array.from(v.data.subarray(i * CAD_VEC_COLUMNS, (i + 1) * CAD_VEC_COLUMNS));

const arcFromVector = (r: number[], start: P): Curve => {
  const end: P = [r[1], r[2]];
  const sweep = (r[3] / N) * 2 * Math.PI;
  const clock = r[4];
  const s2e: P = [end[0] - start[0], end[1] - start[1]];
  const len = Math.hypot(s2e[0], s2e[1]);
  if (len === 0) return { kind: LINE, start, end }; // cadlib draws an ill-defined arc as a line
  const radius = len / 2 / Math.sin(sweep / 2);
  const midSE: P = [(start[0] + end[0]) / 2, (start[1] + end[1]) / 2];
  let vert: P = [s2e[1] / len, -s2e[0] / len];
  if (clock === 0) vert = [-vert[0], -vert[1]];
  const h = radius * Math.cos(sweep / 2);
  const center: P = [midSE[0] - vert[0] * h, midSE[1] - vert[1] * h];
  const refBase = clock === 0 ? end : start;
  const refVec = unit([refBase[0] - center[0], refBase[1] - center[1]], 0);
  const c: ArcC = { kind: ARC, start, end, center, radius, startAngle: 0, endAngle: sweep, refVec, mid: [0, 0] };
  c.mid = arcMidPoint({ type: "arc", start, end, center, radius, startAngle: 0, endAngle: sweep, refVec });
  return c;
};

const toCad = (c: Curve): CadCurve => {
  if (c.kind === LINE) return { type: "line", start: c.start, end: c.end };
  if (c.kind === CIRCLE) return { type: "circle", center: c.center, radius: Math.abs(c.radius) };
  const a: CadArc = { type: "arc", start: c.start, end: c.end, center: c.center, radius: c.radius, startAngle: c.startAngle, endAngle: c.endAngle, refVec: c.refVec };
  return a;
};

/**
 * Decode a quantised cad_vec back into a model in DeepCAD's normalised units (the shape inside
 * [−1, 1]³, about 0.75 of it), as cadlib's `CADSequence.from_vector(…, is_numerical=True)` followed by
 * its solid construction reads it. {@link buildSolid} turns the result into a mesh.
 */
export const decodeCadVec = (vec: CadVec): CadModel => {
  if (!vec || !(vec.data instanceof Int16Array) || vec.data.length !== vec.rows * CAD_VEC_COLUMNS)
    throw new InvalidArgumentError("decodeCadVec", "vec", `{ rows, data: Int16Array(rows × ${CAD_VEC_COLUMNS}) }`, vec);
  const extrudes: CadExtrude[] = [];
  let begin = 0;
  for (let i = 0; i < vec.rows; i++) {
    const cmd = vec.data[i * CAD_VEC_COLUMNS];
    if (cmd < 0 || cmd > EXT) throw new InvalidArgumentError("decodeCadVec", `vec row ${i} command`, "0..5", cmd);
    if (cmd !== EXT) continue;
    const body = [];
    for (let j = begin; j < i; j++) body.push(row(vec, j));
    begin = i + 1;
    const ext = row(vec, i).slice(CAD_VEC_COLUMNS - 11);
    // loops between SOL rows
    const loopsRows: number[][][] = [];
    for (const r of body) {
      if (r[0] === SOL) loopsRows.push([]);
      else if (r[0] === EOS) break;
      else if (loopsRows.length) loopsRows[loopsRows.length - 1].push(r);
    }
    const size = (ext[6] / N) * 2;
    const back = size / ((N / 2) * NORM_FACTOR - 1);
    const loops: CadLoop[] = [];
    for (const lr of loopsRows) {
      if (lr.length === 0) continue;
      let start: P = [lr[lr.length - 1][1], lr[lr.length - 1][2]];
      const cs: Curve[] = [];
      for (const r of lr) {
        const c: Curve = r[0] === LINE ? { kind: LINE, start, end: [r[1], r[2]] } : r[0] === CIRCLE ? { kind: CIRCLE, center: [r[1], r[2]], radius: r[5] } : arcFromVector(r, start);
        start = [r[1], r[2]];
        cs.push(c);
      }
      const ordered = reorderLoop(cs);
      for (const c of ordered) {
        transformCurve(c, [-N / 2, -N / 2], back);
        if (c.kind === ARC) c.radius = Math.abs(c.radius);
      }
      loops.push({ isOuter: loops.length === 0, curves: ordered.map(toCad) });
    }
    if (loops.length === 0) throw new InvalidArgumentError("decodeCadVec", `vec rows ${begin}..${i}`, "at least one loop before an Ext row", "none");
    const dq = (v: number) => (v / N) * 2 - 1;
    const angle = (v: number) => dq(v) * Math.PI;
    const origin: Vec3 = [dq(ext[3]), dq(ext[4]), dq(ext[5])];
    const plane = planeFromAngles(origin, angle(ext[0]), angle(ext[1]), angle(ext[2]));
    const operation = EXTRUDE_OPERATIONS[ext[9]];
    const extentType = EXTENT_TYPES[ext[10]];
    if (!operation) throw new InvalidArgumentError("decodeCadVec", `vec row ${i} operation`, "0..3", ext[9]);
    if (!extentType) throw new InvalidArgumentError("decodeCadVec", `vec row ${i} extent type`, "0..2", ext[10]);
    const id = `Extrude${extrudes.length}`;
    extrudes.push({
      id,
      name: id,
      profiles: [{ sketchId: `Sketch${extrudes.length}`, plane, profile: { id: `Profile${extrudes.length}`, loops } }],
      operation,
      extentType,
      extentOne: dq(ext[7]),
      extentTwo: dq(ext[8]),
    });
  }
  if (extrudes.length === 0) throw new InvalidArgumentError("decodeCadVec", "vec", "at least one Ext row", `${vec.rows} rows without one`);
  return { extrudes, unusedSketches: [] };
};

/** The vector as text, one row per line (arguments separated by spaces), e.g. for a language-model target. */
export const cadVecToText = (vec: CadVec): string => {
  const lines: string[] = [];
  for (let i = 0; i < vec.rows; i++) {
    const r = row(vec, i);
    const cmd = CAD_COMMANDS[r[0]];
    const args = r.slice(1).filter((v) => v !== PAD);
    lines.push(args.length ? `${cmd} ${args.join(" ")}` : cmd);
  }
  return lines.join("\n");
};

/**
 * A profile's loops in cadlib's canonical order: each loop starts at its left-most point and runs
 * mostly counter-clockwise, loops sorted by the lower-left corner of their boxes (what DeepCAD encodes
 * and OpenECAD prints).
 */
export const canonicalLoops = (loops: CadLoop[]): CadLoop[] =>
  reorderLoops(loops.map((l) => reorderLoop(l.curves.map(fromCad)))).map((cs, i) => ({ isOuter: i === 0, curves: cs.map(toCad) }));
