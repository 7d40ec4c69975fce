import type { Mesh } from "@sdfkit/sdf-core";

/** A point or vector in a sketch plane. */
export type Vec2 = [number, number];
/** A point or vector in model space. */
export type Vec3 = [number, number, number];

/** A straight sketch curve. */
export interface CadLine {
  type: "line";
  start: Vec2;
  end: Vec2;
}

/**
 * A circular arc as DeepCAD's cadlib reads it: start, end, centre, radius, and the angles measured
 * from `refVec` (counter-clockwise); its middle point is `center + radius·R((startAngle+endAngle)/2)·refVec`.
 */
export interface CadArc {
  type: "arc";
  start: Vec2;
  end: Vec2;
  center: Vec2;
  radius: number;
  startAngle: number;
  endAngle: number;
  refVec: Vec2;
}

/** A full circle. */
export interface CadCircle {
  type: "circle";
  center: Vec2;
  radius: number;
}

export type CadCurve = CadLine | CadArc | CadCircle;

/** A closed chain of curves. `isOuter` is kept as the file says it (real files flag holes as outer too). */
export interface CadLoop {
  isOuter: boolean;
  curves: CadCurve[];
}

/** A closed region of a sketch: one or more loops (filled by containment, even–odd). */
export interface CadProfile {
  id: string;
  loops: CadLoop[];
}

/** A sketch plane: origin and orthonormal axes in model space. */
export interface SketchPlane {
  origin: Vec3;
  xAxis: Vec3;
  yAxis: Vec3;
  normal: Vec3;
}

export type ExtrudeOperation = "NewBody" | "Join" | "Cut" | "Intersect";
export type ExtentType = "OneSide" | "Symmetric" | "TwoSides";
/** Index order used by DeepCAD's cad_vec and OpenECAD's code (NewBody 0, Join 1, Cut 2, Intersect 3). */
export const EXTRUDE_OPERATIONS: readonly ExtrudeOperation[] = ["NewBody", "Join", "Cut", "Intersect"];
/** Index order used by DeepCAD's cad_vec and OpenECAD's code (OneSide 0, Symmetric 1, TwoSides 2). */
export const EXTENT_TYPES: readonly ExtentType[] = ["OneSide", "Symmetric", "TwoSides"];

/** One sketch profile of an extrude, in its plane. */
export interface ExtrudeProfile {
  sketchId: string;
  plane: SketchPlane;
  profile: CadProfile;
}

/** One extrude feature: profiles swept along the plane normal, combined with the body so far. */
export interface CadExtrude {
  id: string;
  name: string;
  profiles: ExtrudeProfile[];
  operation: ExtrudeOperation;
  extentType: ExtentType;
  /** Distance along the normal (may be negative). */
  extentOne: number;
  /** Distance against the normal (TwoSides only; 0 otherwise). */
  extentTwo: number;
}

/** Axis-aligned box. */
export interface Box3 {
  min: Vec3;
  max: Vec3;
}

/** A parsed DeepCAD model: its extrudes in sequence order, the recorded bounding box, and unused sketches. */
export interface CadModel {
  extrudes: CadExtrude[];
  /** `properties.bounding_box` of the file (metres), when present. */
  boundingBox?: Box3;
  /** Ids of sketches never used by an extrude (kept for reporting). */
  unusedSketches: string[];
}

/** A reconstructed solid. */
export interface CadSolid {
  mesh: Mesh;
  volume: number;
  surfaceArea: number;
  bbox: Box3;
  /** Every edge shared by exactly two triangles (manifold's guarantee, checked on the mesh). */
  watertight: boolean;
  /** Connected bodies. */
  bodies: number;
}

/** Options of {@link buildSolid}. */
export interface BuildSolidOptions {
  /** Most segments per full turn for arcs and circles (extreme points along the model axes are always added, so boxes are exact). @defaultValue 96 */
  segments: number;
  /**
   * Largest chord deviation, relative to the model's sketch extent: small holes get fewer segments
   * (at least 12 a turn), large arcs up to `segments`. 0 = always `segments`. @defaultValue 2e-4
   */
  chordTolerance: number;
}

export const DEFAULT_BUILD_SOLID: BuildSolidOptions = { segments: 96, chordTolerance: 2e-4 };
