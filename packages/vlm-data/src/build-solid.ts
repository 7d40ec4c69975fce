import { MeshError, meshReport, type Mesh } from "@sdfkit/sdf-core";
import type { CrossSection, Manifold, ManifoldToplevel, Mat4 } from "manifold-3d";
import { DEFAULT_BUILD_SOLID, type BuildSolidOptions, type CadExtrude, type CadModel, type CadSolid, type SketchPlane, type Vec2 } from "./api.js";
import { extremeAngles, loopPolygon, type Segments } from "./sketch-geometry.js";

/** The largest extent of the model's sketches (sketch units), for a chord tolerance relative to the model. */
const sketchExtent = (model: CadModel): number => {
  let ext = 0;
  for (const e of model.extrudes)
    for (const { profile } of e.profiles) {
      let lo = [Infinity, Infinity];
      let hi = [-Infinity, -Infinity];
      const add = (x: number, y: number, r = 0) => {
        lo = [Math.min(lo[0], x - r), Math.min(lo[1], y - r)];
        hi = [Math.max(hi[0], x + r), Math.max(hi[1], y + r)];
      };
      for (const l of profile.loops)
        for (const c of l.curves) {
          if (c.type === "line") (add(...c.start), add(...c.end));
          else if (c.type === "circle") add(c.center[0], c.center[1], c.radius);
          else add(c.center[0], c.center[1], Math.hypot(c.start[0] - c.center[0], c.start[1] - c.center[1]));
        }
      ext = Math.max(ext, hi[0] - lo[0], hi[1] - lo[1]);
    }
  return ext;
};

/** Segments per turn for a radius: chord deviation ≤ tol (absolute), between 12 and `max`. */
export const segmentsForRadius = (radius: number, tol: number, max: number): number => {
  if (!(tol > 0) || !(radius > tol)) return tol > 0 ? Math.min(12, max) : max;
  return Math.max(Math.min(12, max), Math.min(max, Math.ceil(Math.PI / Math.acos(1 - tol / radius))));
};

let manifoldPromise: Promise<ManifoldToplevel> | undefined;

/**
 * Load manifold-3d's WebAssembly module once per process (about 15 ms). manifold is the field's fast,
 * always-manifold mesh boolean library; the result of every boolean is a closed 2-manifold.
 */
export const loadManifold = (): Promise<ManifoldToplevel> => {
  manifoldPromise ??= import("manifold-3d").then(async (m) => {
    const wasm = await m.default();
    wasm.setup();
    return wasm;
  });
  return manifoldPromise;
};

/** Column-major 4×4 matrix taking sketch coordinates (x, y, along-normal) to model space. */
const planeMatrix = (p: SketchPlane): Mat4 => [
  p.xAxis[0], p.xAxis[1], p.xAxis[2], 0,
  p.yAxis[0], p.yAxis[1], p.yAxis[2], 0,
  p.normal[0], p.normal[1], p.normal[2], 0,
  p.origin[0], p.origin[1], p.origin[2], 1,
];

/**
 * The interval along the normal an extrude sweeps, as DeepCAD's cadlib builds it: OneSide = [0, e1];
 * Symmetric = e1 to both sides; TwoSides = e1 along the normal and e2 against it (negative extents flip).
 */
export const extrudeInterval = (e: Pick<CadExtrude, "extentType" | "extentOne" | "extentTwo">): [number, number] => {
  const { extentOne: e1, extentTwo: e2 } = e;
  if (e.extentType === "OneSide") return [Math.min(0, e1), Math.max(0, e1)];
  if (e.extentType === "Symmetric") return [-Math.abs(e1), Math.abs(e1)];
  return [Math.min(0, e1, -e2), Math.max(0, e1, -e2)];
};

/** Sketch polygons of one extrude, grouped by sketch plane (profiles of one sketch share the plane). */
const groupBySketch = (e: CadExtrude, segments: Segments) => {
  const groups = new Map<string, { plane: SketchPlane; profiles: Vec2[][][] }>();
  for (const p of e.profiles) {
    let g = groups.get(p.sketchId);
    if (!g) groups.set(p.sketchId, (g = { plane: p.plane, profiles: [] }));
    const extremes = extremeAngles(p.plane);
    g.profiles.push(p.profile.loops.map((l) => loopPolygon(l, segments, extremes)));
  }
  return [...groups.values()];
};

/** Build one extrude's tool body (union of its profiles' prisms). Objects to free go into `live`. */
const extrudeTool = (wasm: ManifoldToplevel, e: CadExtrude, segments: Segments, live: { delete(): void }[]): Manifold | undefined => {
  const [lo, hi] = extrudeInterval(e);
  if (!(hi - lo > 0)) throw new MeshError("buildSolid", `extrude ${JSON.stringify(e.name)} has zero depth`);
  let tool: Manifold | undefined;
  for (const g of groupBySketch(e, segments)) {
    // each profile is filled even–odd (loops classified by containment), profiles of a sketch are unioned
    let cs: CrossSection | undefined;
    for (const loops of g.profiles) {
      const c = new wasm.CrossSection(loops, "EvenOdd");
      live.push(c);
      cs = cs ? cs.add(c) : c;
      live.push(cs);
    }
    if (!cs || cs.isEmpty()) continue;
    const prism = cs.extrude(hi - lo);
    live.push(prism);
    const placed = prism.translate([0, 0, lo]).transform(planeMatrix(g.plane));
    live.push(placed);
    tool = tool ? tool.add(placed) : placed;
    live.push(tool);
  }
  return tool;
};

/** Triangle mesh of a manifold (vertices shared, outward orientation). */
const toMesh = (m: Manifold): Mesh => {
  const mm = m.getMesh();
  const np = mm.numProp;
  const nv = mm.vertProperties.length / np;
  const positions = new Float32Array(nv * 3);
  for (let i = 0; i < nv; i++) {
    positions[3 * i] = mm.vertProperties[np * i];
    positions[3 * i + 1] = mm.vertProperties[np * i + 1];
    positions[3 * i + 2] = mm.vertProperties[np * i + 2];
  }
  return { positions, indices: new Uint32Array(mm.triVerts) };
};

/**
 * Reconstruct the solid of a parsed DeepCAD model: each profile is polygonised in its sketch frame
 * (arcs and circles with `segments` per turn plus their extreme points along the model axes), filled
 * by containment, extruded as DeepCAD's cadlib does, placed, and combined in sequence order with
 * manifold-3d booleans (NewBody/Join = union, Cut = difference, Intersect = intersection with the union
 * of the extrude's profiles). The mesh is closed and consistently oriented by construction.
 */
export const buildSolidWith = (wasm: ManifoldToplevel, model: CadModel, opts: Partial<BuildSolidOptions> = {}): CadSolid => {
  const o = { ...DEFAULT_BUILD_SOLID, ...opts };
  if (!Number.isInteger(o.segments) || o.segments < 8) throw new MeshError("buildSolid", `segments must be an integer >= 8, got ${o.segments}`);
  if (!(o.chordTolerance >= 0)) throw new MeshError("buildSolid", `chordTolerance must be >= 0, got ${o.chordTolerance}`);
  const tol = o.chordTolerance * sketchExtent(model);
  const segments: Segments = tol > 0 ? (r: number) => segmentsForRadius(r, tol, o.segments) : o.segments;
  const live: { delete(): void }[] = [];
  try {
    let body: Manifold | undefined;
    for (const e of model.extrudes) {
      const tool = extrudeTool(wasm, e, segments, live);
      if (!tool) continue;
      if (!body) body = e.operation === "Cut" || e.operation === "Intersect" ? undefined : tool;
      else if (e.operation === "NewBody" || e.operation === "Join") body = body.add(tool);
      else if (e.operation === "Cut") body = body.subtract(tool);
      else body = body.intersect(tool);
      if (body) live.push(body);
    }
    if (!body || body.isEmpty()) throw new MeshError("buildSolid", "the model reconstructs to an empty solid");
    const status = body.status();
    if (status !== "NoError") throw new MeshError("buildSolid", `manifold reports ${status}`);
    const mesh = toMesh(body);
    const bb = body.boundingBox();
    const report = meshReport(mesh);
    return {
      mesh,
      volume: body.volume(),
      surfaceArea: body.surfaceArea(),
      bbox: { min: [bb.min[0], bb.min[1], bb.min[2]], max: [bb.max[0], bb.max[1], bb.max[2]] },
      watertight: report.watertight,
      bodies: report.components,
    };
  } finally {
    for (const x of new Set(live)) x.delete();
  }
};

/** {@link buildSolidWith} after loading manifold-3d (cached). */
export const buildSolid = async (model: CadModel, opts: Partial<BuildSolidOptions> = {}): Promise<CadSolid> => buildSolidWith(await loadManifold(), model, opts);
