/** How the sign of a {@link MeshSdf} query is decided. */
export type SignMethod = "winding" | "raycast";

/** Options of {@link MeshSdf}. */
export interface MeshSdfOptions {
  /**
   * `"winding"`: generalised winding number > 0.5 is inside (robust to holes, flips, duplicates).
   * `"raycast"`: majority of parity votes over 3 rays (fast; watertight meshes only).
   * `"auto"`: raycast when the mesh is closed and manifold, else winding.
   * @defaultValue "winding"
   */
  sign: SignMethod | "auto";
  /** Far-field accuracy of the hierarchical winding number (0 = exact, O(T) per query). @defaultValue 2 */
  beta: number;
}

/** Defaults of {@link MeshSdf}. */
export const DEFAULT_MESH_SDF: MeshSdfOptions = { sign: "winding", beta: 2 };

/** How open / imperfect a mesh is, from its edge topology. */
export interface MeshOpenness {
  /** Edges used by exactly one triangle (holes, open patches). */
  boundaryEdges: number;
  /** Edges used by more than two triangles. */
  nonManifoldEdges: number;
  /** Triangles with zero area (ignored by the distance queries). */
  degenerateTriangles: number;
  /** True when there are no boundary and no non-manifold edges. */
  closed: boolean;
}
