import type { Mesh } from "@sdfkit/sdf-core";

/** How {@link MeshSdf} decides inside from outside. */
export type SignMethod = "winding" | "parity";

/** Options of {@link MeshSdf}. */
export interface MeshSdfOptions {
  /**
   * "winding": generalised winding number, fast hierarchical approximation (Barill et al. 2018) —
   * robust to holes, flipped and duplicated faces (default). "parity": majority vote of ray
   * parities along 3 axes — faster, for watertight meshes. "auto": parity when the mesh is watertight,
   * winding otherwise. @defaultValue "winding"
   */
  sign: SignMethod | "auto";
  /** Fast winding number accuracy: expand nodes closer than beta × radius (0 = exact, O(T) per query). @defaultValue 2 */
  beta: number;
}

export const DEFAULT_MESH_SDF: MeshSdfOptions = { sign: "winding", beta: 2 };

/** What {@link MeshSdf} reports about the mesh and its sign. */
export interface MeshSdfReport {
  triangles: number;
  /** Zero-area triangles (ignored by the queries). */
  degenerateTriangles: number;
  signMethod: SignMethod;
  /** Edges used by one triangle: 0 for a closed mesh. */
  boundaryEdges: number;
  /** Edges used by three or more triangles. */
  nonManifoldEdges: number;
  /** Total length of boundary edges divided by the square root of the area: 0 closed, larger = more open. */
  openness: number;
  watertight: boolean;
}

export type { Mesh };
