import type { Vec3 } from "@sdfkit/sdf-core";

/** Named orthographic views. front looks along −z (from +z), right along −x (from +x), top along −y (from +y); iso from (1, 1, 1). */
export type ViewName = "front" | "back" | "left" | "right" | "top" | "bottom" | "iso";

/** A view: a name, or any direction the camera looks along plus an up vector. */
export type View = ViewName | { dir: Vec3; up: Vec3 };

/** An RGB colour with components in 0–255. */
export type Rgb = [number, number, number];

/** Options shared by {@link renderMesh} and {@link renderSdf}. */
export interface RenderOptions {
  /** View direction. @defaultValue "iso" */
  view: View;
  /** Image width and height in pixels. @defaultValue 512 */
  size: number;
  /** Fraction of the image left empty on each side of the fitted part. @defaultValue 0.05 */
  margin: number;
  /** Background colour. @defaultValue [255, 255, 255] */
  background: Rgb;
  /** Base colour of the part (when no labels are given). @defaultValue [200, 200, 200] */
  color: Rgb;
  /** "flat" uses face normals, "smooth" interpolates vertex normals. @defaultValue "flat" */
  shading: "flat" | "smooth";
  /** Draw silhouette and crease edges as dark CAD-style lines. @defaultValue true */
  edges: boolean;
  /** Crease threshold: neighbouring surfaces meeting at more than this angle (degrees) get a line. @defaultValue 30 */
  creaseAngle: number;
  /**
   * Back-face culling. "auto": when every edge of the mesh joins exactly two triangles that run
   * along it in opposite directions (a closed, consistently oriented surface, checked once per
   * call), triangles facing away from the camera are skipped: they lie behind front faces, so
   * only outline pixels where a back and a front face meet at equal depth can change (4 of 11.5 M
   * part pixels over 5 views of the shared STEP, OBJ and DeepCAD parts) and rasterising takes
   * about half the time. "none": every triangle is rasterised (open or inconsistent meshes always are).
   * @defaultValue "auto"
   */
  cull: "auto" | "none";
  /** Edge line colour. @defaultValue [30, 30, 30] */
  edgeColor: Rgb;
  /** Per-vertex or per-triangle part labels (length = vertices or triangles); colours come from `palette`. @defaultValue undefined */
  labels?: Uint32Array;
  /** Part colours, indexed by label (cycled). @defaultValue DEFAULT_PALETTE */
  palette: Rgb[];
  /**
   * The centre and radius the camera frames. Defaults to the part's bounding sphere, so every view
   * of one model has the same scale; pass the same value to frame several parts alike.
   */
  frame?: { center: Vec3; radius: number };
}

/** Tableau-10 style part colours. */
export const DEFAULT_PALETTE: Rgb[] = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
];

export const DEFAULT_RENDER: RenderOptions = {
  view: "iso",
  size: 512,
  margin: 0.05,
  background: [255, 255, 255],
  color: [200, 200, 200],
  shading: "flat",
  edges: true,
  cull: "auto",
  creaseAngle: 30,
  edgeColor: [30, 30, 30],
  palette: DEFAULT_PALETTE,
};

/**
 * The buffers behind an image: per pixel the view-space depth (Infinity where empty), the unit
 * normal (stride 3, world frame) and the part label (or 0xffffffff where empty / unlabelled).
 */
export interface RenderBuffers {
  width: number;
  height: number;
  depth: Float32Array;
  normal: Float32Array;
  label: Uint32Array;
}
