/** How the sign of a {@link MeshSdf} query is decided. */
export type SignMethod = "winding" | "raycast" | "pseudonormal";

/** Options of {@link MeshSdf}. */
export interface MeshSdfOptions {
  /**
   * `"winding"`: |generalised winding number| > 0.5 is inside (robust to holes, flips, duplicates).
   * `"raycast"`: majority of parity votes over 3 rays (watertight meshes only).
   * `"pseudonormal"`: the angle-weighted pseudonormal of the closest feature (Bærentzen & Aanæs
   * 2005), free once the closest point is known and exact for closed, consistently oriented
   * manifolds; on imperfect meshes it is used only where the closest triangle is two rings away from
   * any defect (hole, non-manifold or flipped edge, pinch vertex) and the point within
   * `pseudonormalRange`, the winding number everywhere else.
   * Self-intersecting meshes and inward-facing components are left wholly to the winding number.
   * `"auto"`: pseudonormal (with its winding-number fallback): the winding number's robustness at a
   * fraction of its cost (identical signs on every shared test mesh, 1.9–3.3× faster).
   * @defaultValue "auto"
   */
  sign: SignMethod | "auto";
  /**
   * Far-field accuracy of the hierarchical winding number (0 = exact, O(T) per query). A sign whose
   * winding number comes out within 0.05 of ½ (points in the mouth of a hole) is decided again with
   * 4 × `beta`. @defaultValue 2
   */
  beta: number;
  /** With `"pseudonormal"` on an imperfect mesh: the largest distance (fraction of the bounding-box diagonal) decided by pseudonormals. @defaultValue 0.05 */
  pseudonormalRange: number;
}

/** Defaults of {@link MeshSdf}. */
export const DEFAULT_MESH_SDF: MeshSdfOptions = { sign: "auto", beta: 2, pseudonormalRange: 0.05 };

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

/**
 * One band of a sample mix. `fraction`s of a mix are normalised to sum to 1.
 * - `surface`: area-weighted stratified points on the surface, sdf = 0, with normals and face ids.
 * - `near`: surface points jittered by an isotropic Gaussian of standard deviation `sigma`.
 * - `volume`: uniform in the cube [-1, 1]³ (`region: "cube"`) or the unit ball (`"sphere"`).
 * - `feature`: points on sharp edges (dihedral angle ≥ `sharpAngle`), boundary edges (holes) and
 *   B-rep face borders (`mesh.faceIds`), length-weighted, jittered by `sigma`.
 */
export type Band =
  | { kind: "surface"; fraction: number }
  | { kind: "near"; fraction: number; sigma: number }
  | { kind: "volume"; fraction: number; region: "cube" | "sphere" }
  | { kind: "feature"; fraction: number; sigma: number };

/**
 * Presets and named phase mixes (coordinates in the normalised unit sphere):
 * - `deepsdf`: DeepSDF's `SampleVisibleMeshSurface`: 47/100 jittered with variance 0.005
 *   (σ ≈ 0.0707), 47/100 with variance 0.0005 (σ ≈ 0.0224), 6/100 uniform in [-1, 1]³
 *   (i.e. 47/50 near surface, 3/50 uniform).
 * - `seed-v2`: 30 % uniform, 40 % σ 0.005, 20 % σ 0.02, 10 % σ 0.002.
 * - `COARSE` (curriculum start): 50 % uniform, 50 % wide band σ 0.05.
 * - `BALANCED`: 20 % surface, 50 % σ 0.01, 20 % σ 0.003, 10 % uniform.
 * - `DENSE` (late training): 50 % σ 0.002, 40 % σ 0.0005, 10 % uniform.
 * - `MANUFACTURING`: 40 % on sharp/boundary/face-border edges σ 0.005, 40 % σ 0.005, 20 % uniform.
 */
export const SAMPLE_MIXES: Readonly<Record<string, readonly Band[]>> = {
  deepsdf: [
    { kind: "near", fraction: 47, sigma: Math.sqrt(0.005) },
    { kind: "near", fraction: 47, sigma: Math.sqrt(0.0005) },
    { kind: "volume", fraction: 6, region: "cube" },
  ],
  "seed-v2": [
    { kind: "volume", fraction: 30, region: "cube" },
    { kind: "near", fraction: 40, sigma: 0.005 },
    { kind: "near", fraction: 20, sigma: 0.02 },
    { kind: "near", fraction: 10, sigma: 0.002 },
  ],
  COARSE: [
    { kind: "volume", fraction: 50, region: "cube" },
    { kind: "near", fraction: 50, sigma: 0.05 },
  ],
  BALANCED: [
    { kind: "surface", fraction: 20 },
    { kind: "near", fraction: 50, sigma: 0.01 },
    { kind: "near", fraction: 20, sigma: 0.003 },
    { kind: "volume", fraction: 10, region: "cube" },
  ],
  DENSE: [
    { kind: "near", fraction: 50, sigma: 0.002 },
    { kind: "near", fraction: 40, sigma: 0.0005 },
    { kind: "volume", fraction: 10, region: "cube" },
  ],
  MANUFACTURING: [
    { kind: "feature", fraction: 40, sigma: 0.005 },
    { kind: "near", fraction: 40, sigma: 0.005 },
    { kind: "volume", fraction: 20, region: "cube" },
  ],
};

/** Options of {@link sampleBands}. */
export interface SampleBandsOptions {
  /** Seeded generator; every random choice goes through it. Required. */
  rng: import("@sdfkit/sdf-core").Rng;
  /** A name in {@link SAMPLE_MIXES} or an explicit list of bands. @defaultValue "deepsdf" */
  mix: string | readonly Band[];
  /** Normalise the mesh into the unit sphere first (DeepSDF 1.03 margin). @defaultValue true */
  normalize: boolean;
  /** Clamp |sdf| to this value (DeepSDF's clamp δ, e.g. 0.1); 0 = no clamp. @defaultValue 0 */
  clamp: number;
  /** Dihedral angle (radians) above which an edge counts as sharp for `feature` bands. @defaultValue π/6 */
  sharpAngle: number;
  /** Options of the {@link MeshSdf} that computes the sdf. */
  sdf: Partial<MeshSdfOptions>;
  /** Progress callback, called with the fraction done in [0, 1]. */
  onProgress?: (done: number) => void;
}

/** Defaults of {@link sampleBands} (no default `rng`: it must be passed). */
export const DEFAULT_SAMPLE_BANDS: Omit<SampleBandsOptions, "rng"> = {
  mix: "deepsdf",
  normalize: true,
  clamp: 0,
  sharpAngle: Math.PI / 6,
  sdf: {},
};

/** Result of {@link sampleBands}. */
export interface BandSamples {
  /** points (xyz), sdf, band index per sample (into `bands`); normals/faceIds (surface band only, else 0). */
  samples: import("@sdfkit/sdf-core").SdfSamples;
  bands: readonly Band[];
  /** How the mesh was normalised: original = normalised / scale + offset. Identity when not normalised. */
  transform: import("@sdfkit/sdf-core").NormalizeTransform;
  signMethod: SignMethod;
  openness: MeshOpenness;
}
