import type { Sdf, Vec3 } from "./api.js";
import { InvalidArgumentError, ParseError, SpecError } from "./errors.js";
import { __checkPoints } from "./internal/validate.js";
import { box, cylinder, sphere, type Axis } from "./primitives.js";
import { union } from "./csg.js";
import seedShapesJson from "./seed-shapes.json";

/** A sphere part. */
export interface SpherePart { type: "sphere"; name?: string; center: Vec3; radius: number }
/** An axis-aligned box part. */
export interface BoxPart { type: "box"; name?: string; center: Vec3; halfExtents: Vec3 }
/** A capped cylinder along a coordinate axis. */
export interface CylinderPart { type: "cylinder"; name?: string; center: Vec3; radius: number; halfHeight: number; axis: Axis }
/** One primitive of an assembly. */
export type AssemblyPart = SpherePart | BoxPart | CylinderPart;

/**
 * A part assembly: the shape is the union (min) of its parts, and the ground-truth part label of a
 * point is the index of the part with the smallest SDF there (argmin), as in the activation
 * segmentation study.
 */
export interface AssemblySpec { name: string; parts: AssemblyPart[] }

const KEYS: Record<AssemblyPart["type"], string[]> = {
  sphere: ["type", "name", "center", "radius"],
  box: ["type", "name", "center", "halfExtents"],
  cylinder: ["type", "name", "center", "radius", "halfHeight", "axis"],
};

const __isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const __vec = (v: unknown, key: string, positive = false): Vec3 => {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === "number" && Number.isFinite(x) && (!positive || x > 0)))
    throw new SpecError(key, `must be an array of 3 finite numbers${positive ? " > 0" : ""}, got ${JSON.stringify(v)}`);
  return [v[0], v[1], v[2]];
};
const __pos = (v: unknown, key: string): number => {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new SpecError(key, `must be a finite number > 0, got ${JSON.stringify(v)}`);
  return v;
};

/**
 * Validate a part-assembly spec (an object or JSON text) and return a clean copy.
 * Unknown and missing keys are errors.
 * @throws SpecError whose `key` is the JSON path of the offending key, e.g. `parts[2].radius`.
 * @throws ParseError when `json` is a string that is not JSON.
 * @example parseAssemblySpec({ name: "pin", parts: [{ type: "cylinder", center: [0, 0, 0], radius: 0.1, halfHeight: 0.5, axis: "z" }] })
 */
export const parseAssemblySpec = (json: unknown): AssemblySpec => {
  let v = json;
  if (typeof json === "string") {
    try {
      v = JSON.parse(json);
    } catch (e) {
      throw new ParseError("json", `assembly spec is not valid JSON (${(e as Error).message})`, {}, { cause: e });
    }
  }
  if (!__isObj(v)) throw new SpecError("$", `must be an object { name, parts }, got ${Array.isArray(v) ? "an array" : typeof v}`);
  for (const k of Object.keys(v)) if (k !== "name" && k !== "parts") throw new SpecError(k, "unknown key (expected name, parts)");
  if (typeof v.name !== "string" || v.name.length === 0) throw new SpecError("name", `must be a non-empty string, got ${JSON.stringify(v.name)}`);
  if (!Array.isArray(v.parts) || v.parts.length === 0) throw new SpecError("parts", "must be a non-empty array of parts");
  const parts = v.parts.map((p: unknown, i: number): AssemblyPart => {
    const at = `parts[${i}]`;
    if (!__isObj(p)) throw new SpecError(at, "must be an object");
    const type = p.type;
    if (type !== "sphere" && type !== "box" && type !== "cylinder")
      throw new SpecError(`${at}.type`, `must be "sphere", "box" or "cylinder", got ${JSON.stringify(type)}`);
    for (const k of Object.keys(p)) if (!KEYS[type].includes(k)) throw new SpecError(`${at}.${k}`, `unknown key for a ${type} (expected ${KEYS[type].join(", ")})`);
    for (const k of KEYS[type]) if (k !== "name" && !(k in p)) throw new SpecError(`${at}.${k}`, `missing (a ${type} needs ${KEYS[type].filter((x) => x !== "name").join(", ")})`);
    if (p.name !== undefined && typeof p.name !== "string") throw new SpecError(`${at}.name`, `must be a string, got ${JSON.stringify(p.name)}`);
    const name = p.name as string | undefined;
    const center = __vec(p.center, `${at}.center`);
    const named = name === undefined ? {} : { name };
    if (type === "sphere") return { type, ...named, center, radius: __pos(p.radius, `${at}.radius`) };
    if (type === "box") return { type, ...named, center, halfExtents: __vec(p.halfExtents, `${at}.halfExtents`, true) };
    const axis = p.axis;
    if (axis !== "x" && axis !== "y" && axis !== "z") throw new SpecError(`${at}.axis`, `must be "x", "y" or "z", got ${JSON.stringify(axis)}`);
    return { type, ...named, center, radius: __pos(p.radius, `${at}.radius`), halfHeight: __pos(p.halfHeight, `${at}.halfHeight`), axis };
  });
  return { name: v.name, parts };
};

/** @internal The SDF of one validated part. */
const __partSdf = (p: AssemblyPart): Sdf =>
  p.type === "sphere" ? sphere(p.radius, p.center) : p.type === "box" ? box(p.halfExtents, p.center) : cylinder(p.radius, p.halfHeight, p.center, p.axis);

/** One exact SDF per part, in spec order. The spec is validated first. */
export const partSdfs = (spec: AssemblySpec): Sdf[] => parseAssemblySpec(spec).parts.map(__partSdf);

/** The SDF of the whole assembly: the union (min) of its parts. */
export const assemblySdf = (spec: AssemblySpec): Sdf => union(...partSdfs(spec));

/**
 * Ground-truth part label of each point: the index of the part whose SDF is smallest there
 * (ties go to the lower index).
 * @param points - xyz, stride 3.
 * @param out - optional Uint32Array of length ≥ points.length / 3.
 */
export const assemblyLabels = (spec: AssemblySpec, points: Float32Array, out?: Uint32Array): Uint32Array => {
  __checkPoints("assemblyLabels", points);
  const sdfs = partSdfs(spec);
  const n = points.length / 3;
  if (out !== undefined && (!(out instanceof Uint32Array) || out.length < n))
    throw new InvalidArgumentError("assemblyLabels", "out", `a Uint32Array of length >= ${n}`, out);
  const labels = out ?? new Uint32Array(n);
  const best = sdfs[0](points);
  labels.fill(0, 0, n);
  const tmp = new Float32Array(n);
  for (let k = 1; k < sdfs.length; k++) {
    const d = sdfs[k](points, tmp);
    for (let i = 0; i < n; i++)
      if (d[i] < best[i]) {
        best[i] = d[i];
        labels[i] = k;
      }
  }
  return labels;
};

/**
 * The 9 analytic seed shapes of the activation-segmentation study (BOB-THE-BUILDER-in/
 * activation-sdf-segmentation, `probe_activations.py`: same parts, same part order): snowman, lollipop, barbell,
 * mushroom, tower, table, tpipe, l_shape, chair; validated at load. Part order = label order.
 */
export const SEED_SHAPES: readonly AssemblySpec[] = (seedShapesJson as unknown[]).map(parseAssemblySpec);

/** One seed shape by name. @throws InvalidArgumentError naming the known shapes. */
export const seedShape = (name: string): AssemblySpec => {
  const s = SEED_SHAPES.find((x) => x.name === name);
  if (!s) throw new InvalidArgumentError("seedShape", "name", `one of ${SEED_SHAPES.map((x) => x.name).join(", ")}`, name);
  return s;
};
