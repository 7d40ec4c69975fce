import { ParseError } from "@sdfkit/sdf-core";
import type { Box3, CadCurve, CadExtrude, CadLoop, CadModel, CadProfile, ExtentType, ExtrudeOperation, ExtrudeProfile, SketchPlane, Vec2, Vec3 } from "./api.js";

/** Options of {@link parseDeepCad}. */
export interface ParseDeepCadOptions {
  /** File name used in error messages. */
  file?: string;
}

type Json = unknown;

const fail = (file: string | undefined, path: string, msg: string): never => {
  throw new ParseError("DeepCAD JSON", `${path}: ${msg}`, { file });
};

const describe = (v: Json): string => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60));

const obj = (v: Json, file: string | undefined, path: string): Record<string, Json> => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(file, path, `expected an object, got ${describe(v)}`);
  return v as Record<string, Json>;
};
const arr = (v: Json, file: string | undefined, path: string): Json[] => {
  if (!Array.isArray(v)) fail(file, path, `expected an array, got ${describe(v)}`);
  return v as Json[];
};
const num = (v: Json, file: string | undefined, path: string): number => {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(file, path, `expected a finite number, got ${describe(v)}`);
  return v as number;
};
const str = (v: Json, file: string | undefined, path: string): string => {
  if (typeof v !== "string") fail(file, path, `expected a string, got ${describe(v)}`);
  return v as string;
};
const bool = (v: Json, file: string | undefined, path: string): boolean => {
  if (typeof v !== "boolean") fail(file, path, `expected a boolean, got ${describe(v)}`);
  return v as boolean;
};
const vec2 = (v: Json, file: string | undefined, path: string): Vec2 => {
  const o = obj(v, file, path);
  return [num(o.x, file, `${path}.x`), num(o.y, file, `${path}.y`)];
};
const vec3 = (v: Json, file: string | undefined, path: string): Vec3 => {
  const o = obj(v, file, path);
  return [num(o.x, file, `${path}.x`), num(o.y, file, `${path}.y`), num(o.z, file, `${path}.z`)];
};

const OPERATIONS: Record<string, ExtrudeOperation> = {
  NewBodyFeatureOperation: "NewBody",
  JoinFeatureOperation: "Join",
  CutFeatureOperation: "Cut",
  IntersectFeatureOperation: "Intersect",
};
const EXTENTS: Record<string, ExtentType> = {
  OneSideFeatureExtentType: "OneSide",
  SymmetricFeatureExtentType: "Symmetric",
  TwoSidesFeatureExtentType: "TwoSides",
};

const parseCurve = (v: Json, file: string | undefined, path: string): CadCurve => {
  const c = obj(v, file, path);
  const type = str(c.type, file, `${path}.type`);
  if (type === "Line3D") return { type: "line", start: vec2(c.start_point, file, `${path}.start_point`), end: vec2(c.end_point, file, `${path}.end_point`) };
  if (type === "Circle3D") {
    const radius = num(c.radius, file, `${path}.radius`);
    if (!(radius > 0)) fail(file, `${path}.radius`, `expected a positive radius, got ${radius}`);
    return { type: "circle", center: vec2(c.center_point, file, `${path}.center_point`), radius };
  }
  if (type === "Arc3D") {
    const radius = num(c.radius, file, `${path}.radius`);
    if (!(radius > 0)) fail(file, `${path}.radius`, `expected a positive radius, got ${radius}`);
    return {
      type: "arc",
      start: vec2(c.start_point, file, `${path}.start_point`),
      end: vec2(c.end_point, file, `${path}.end_point`),
      center: vec2(c.center_point, file, `${path}.center_point`),
      radius,
      startAngle: num(c.start_angle, file, `${path}.start_angle`),
      endAngle: num(c.end_angle, file, `${path}.end_angle`),
      refVec: vec2(c.reference_vector, file, `${path}.reference_vector`),
    };
  }
  return fail(file, `${path}.type`, `expected Line3D, Arc3D or Circle3D, got ${JSON.stringify(type)}`);
};

const parseProfile = (id: string, v: Json, file: string | undefined, path: string): CadProfile => {
  const p = obj(v, file, path);
  const loops = arr(p.loops, file, `${path}.loops`).map((l, i): CadLoop => {
    const lp = `${path}.loops[${i}]`;
    const lo = obj(l, file, lp);
    const curves = arr(lo.profile_curves, file, `${lp}.profile_curves`).map((c, j) => parseCurve(c, file, `${lp}.profile_curves[${j}]`));
    if (curves.length === 0) fail(file, `${lp}.profile_curves`, "expected at least one curve");
    return { isOuter: lo.is_outer === undefined ? true : bool(lo.is_outer, file, `${lp}.is_outer`), curves };
  });
  if (loops.length === 0) fail(file, `${path}.loops`, "expected at least one loop");
  return { id, loops };
};

const parsePlane = (v: Json, file: string | undefined, path: string): SketchPlane => {
  const t = obj(v, file, path);
  const plane: SketchPlane = {
    origin: vec3(t.origin, file, `${path}.origin`),
    xAxis: vec3(t.x_axis, file, `${path}.x_axis`),
    yAxis: vec3(t.y_axis, file, `${path}.y_axis`),
    normal: vec3(t.z_axis, file, `${path}.z_axis`),
  };
  for (const k of ["xAxis", "yAxis", "normal"] as const) {
    const a = plane[k];
    const n = Math.hypot(a[0], a[1], a[2]);
    if (Math.abs(n - 1) > 1e-3) fail(file, `${path}.${k === "normal" ? "z_axis" : k === "xAxis" ? "x_axis" : "y_axis"}`, `expected a unit vector, got length ${n}`);
  }
  return plane;
};

/**
 * Parse a DeepCAD `cad_json` model (text or an already parsed object) into plain typed data, checking
 * every field it uses; errors name the file and the JSON path. Real-data quirks are kept: inner loops
 * flagged `is_outer` (loops are classified later by containment), sketches never extruded (listed in
 * `unusedSketches`), circle normals of −z (ignored: curves live in the sketch frame), multi-profile extrudes.
 */
export const parseDeepCad = (input: string | Json, opts: ParseDeepCadOptions = {}): CadModel => {
  const { file } = opts;
  let data: Json = input;
  if (typeof input === "string") {
    try {
      data = JSON.parse(input);
    } catch (e) {
      throw new ParseError("DeepCAD JSON", `not valid JSON (${(e as Error).message})`, { file }, { cause: e });
    }
  }
  const root = obj(data, file, "$");
  const entities = obj(root.entities, file, "$.entities");
  const sequence = arr(root.sequence, file, "$.sequence");
  const usedSketches = new Set<string>();
  const extrudes: CadExtrude[] = [];
  const planes = new Map<string, SketchPlane>();
  const sketchOf = (id: string, path: string): Record<string, Json> => {
    const s = entities[id];
    if (s === undefined) fail(file, path, `sketch ${JSON.stringify(id)} is not in $.entities`);
    const so = obj(s, file, `$.entities.${id}`);
    if (so.type !== "Sketch") fail(file, `$.entities.${id}.type`, `expected "Sketch", got ${describe(so.type)}`);
    return so;
  };
  sequence.forEach((item, si) => {
    const sp = `$.sequence[${si}]`;
    const it = obj(item, file, sp);
    const type = str(it.type, file, `${sp}.type`);
    const entityId = str(it.entity, file, `${sp}.entity`);
    if (type === "Sketch") return;
    if (type !== "ExtrudeFeature") fail(file, `${sp}.type`, `expected "Sketch" or "ExtrudeFeature", got ${JSON.stringify(type)}`);
    const ep = `$.entities.${entityId}`;
    if (entities[entityId] === undefined) fail(file, `${sp}.entity`, `entity ${JSON.stringify(entityId)} is not in $.entities`);
    const e = obj(entities[entityId], file, ep);
    const opName = str(e.operation, file, `${ep}.operation`);
    const operation = OPERATIONS[opName] ?? fail(file, `${ep}.operation`, `expected one of ${Object.keys(OPERATIONS).join(", ")}, got ${JSON.stringify(opName)}`);
    const extName = str(e.extent_type, file, `${ep}.extent_type`);
    const extentType = EXTENTS[extName] ?? fail(file, `${ep}.extent_type`, `expected one of ${Object.keys(EXTENTS).join(", ")}, got ${JSON.stringify(extName)}`);
    if (e.start_extent !== undefined) {
      const se = obj(e.start_extent, file, `${ep}.start_extent`);
      if (se.type !== undefined && se.type !== "ProfilePlaneStartDefinition")
        fail(file, `${ep}.start_extent.type`, `only ProfilePlaneStartDefinition is supported, got ${describe(se.type)}`);
    }
    const dist = (k: "extent_one" | "extent_two"): number => {
      const x = obj(e[k], file, `${ep}.${k}`);
      const d = obj(x.distance, file, `${ep}.${k}.distance`);
      return num(d.value, file, `${ep}.${k}.distance.value`);
    };
    const extentOne = dist("extent_one");
    const extentTwo = extentType === "TwoSides" ? dist("extent_two") : 0;
    const profiles: ExtrudeProfile[] = arr(e.profiles, file, `${ep}.profiles`).map((pr, pi) => {
      const pp = `${ep}.profiles[${pi}]`;
      const po = obj(pr, file, pp);
      const sketchId = str(po.sketch, file, `${pp}.sketch`);
      const profileId = str(po.profile, file, `${pp}.profile`);
      const sk = sketchOf(sketchId, `${pp}.sketch`);
      usedSketches.add(sketchId);
      let plane = planes.get(sketchId);
      if (!plane) {
        plane = parsePlane(sk.transform, file, `$.entities.${sketchId}.transform`);
        planes.set(sketchId, plane);
      }
      const profs = obj(sk.profiles, file, `$.entities.${sketchId}.profiles`);
      if (profs[profileId] === undefined) fail(file, `${pp}.profile`, `profile ${JSON.stringify(profileId)} is not in sketch ${sketchId}`);
      return { sketchId, plane, profile: parseProfile(profileId, profs[profileId], file, `$.entities.${sketchId}.profiles.${profileId}`) };
    });
    if (profiles.length === 0) fail(file, `${ep}.profiles`, "expected at least one profile");
    extrudes.push({ id: entityId, name: typeof e.name === "string" ? e.name : entityId, profiles, operation, extentType, extentOne, extentTwo });
  });
  if (extrudes.length === 0) fail(file, "$.sequence", "expected at least one ExtrudeFeature");
  const unusedSketches = Object.entries(entities)
    .filter(([id, v]) => !usedSketches.has(id) && (v as { type?: unknown })?.type === "Sketch")
    .map(([id]) => id);
  let boundingBox: Box3 | undefined;
  if (root.properties !== undefined) {
    const props = obj(root.properties, file, "$.properties");
    if (props.bounding_box !== undefined) {
      const bb = obj(props.bounding_box, file, "$.properties.bounding_box");
      boundingBox = { min: vec3(bb.min_point, file, "$.properties.bounding_box.min_point"), max: vec3(bb.max_point, file, "$.properties.bounding_box.max_point") };
    }
  }
  return { extrudes, boundingBox, unusedSketches };
};
