/// <reference path="./occt-import-js.d.ts" />
import type occtFactory from "occt-import-js";
import type { Mesh } from "../api.js";
import { InvalidArgumentError, ParseError } from "../errors.js";
import { weldVertices } from "../mesh-topology.js";

/** CAD exchange formats read through occt-import-js (Open CASCADE compiled to wasm). */
export type CadFormat = "step" | "iges" | "brep";

/** Options of {@link importCad}. */
export interface ImportCadOptions {
  /** File name used in error messages. @defaultValue undefined */
  file?: string;
  /** Tessellation: linear deflection relative to the part size (occt's `linearDeflection` with type "bounding_box_ratio"). @defaultValue 0.001 */
  linearDeflection: number;
  /** Tessellation: angular deflection in radians. @defaultValue 0.5 */
  angularDeflection: number;
  /**
   * Merge the coincident vertices Open CASCADE repeats along B-rep face borders, so a closed solid
   * comes out watertight. Per-vertex normals are then dropped (they differ across a sharp border).
   * @defaultValue true
   */
  weld: boolean;
}
export const DEFAULT_IMPORT_CAD: ImportCadOptions = { file: undefined, linearDeflection: 0.001, angularDeflection: 0.5, weld: true };

/** What {@link importCad} returns beside the merged mesh. */
export interface CadImport {
  /** All solids / shells of the file merged, in the file's units and placement. `faceIds` numbers B-rep faces uniquely across the file. */
  mesh: Mesh;
  /** Per B-rep face: the name of the body it belongs to. */
  bodies: { name: string; firstFace: number; faceCount: number; firstTriangle: number; triangleCount: number }[];
}

let _occt: ReturnType<typeof occtFactory> | undefined;
/**
 * @internal The wasm module, loaded and started once per process on first use (a process that
 * reads no CAD file, such as a render worker, never parses occt's 300 KB of glue code); its console
 * output is discarded.
 */
const __occt = () =>
  (_occt ??= import("occt-import-js").then((m) => {
    const factory = ((m as { default?: typeof occtFactory }).default ?? m) as typeof occtFactory;
    return factory({ print: () => {}, printErr: () => {} });
  }));

/**
 * Import a STEP, IGES or BREP file through occt-import-js. Every triangle keeps the id of the B-rep
 * face it came from (`mesh.faceIds`), so feature-aware sampling can find face borders.
 * Assembly occurrences arrive already placed; their meshes are merged into one.
 * @throws ParseError naming the file when Open CASCADE cannot read it or it holds no surface.
 */
export const importCad = async (bytes: Uint8Array, format: CadFormat, opts: Partial<ImportCadOptions> = {}): Promise<CadImport> => {
  const o = { ...DEFAULT_IMPORT_CAD, ...opts };
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError("importCad", "bytes", "a Uint8Array", bytes);
  if (format !== "step" && format !== "iges" && format !== "brep")
    throw new InvalidArgumentError("importCad", "format", `"step", "iges" or "brep"`, format);
  const label = format.toUpperCase();
  if (bytes.length === 0) throw new ParseError(label, "file is empty", { file: o.file });
  const occt = await __occt();
  const params = { linearUnit: "millimeter", linearDeflectionType: "bounding_box_ratio", linearDeflection: o.linearDeflection, angularDeflection: o.angularDeflection };
  let res;
  try {
    res = format === "step" ? occt.ReadStepFile(bytes, params) : format === "iges" ? occt.ReadIgesFile(bytes, params) : occt.ReadBrepFile(bytes, params);
  } catch (e) {
    throw new ParseError(label, `Open CASCADE failed: ${(e as Error)?.message ?? String(e)}`, { file: o.file }, { cause: e });
  }
  if (!res || !res.success) throw new ParseError(label, "Open CASCADE could not read the file (malformed or truncated)", { file: o.file });
  let nv = 0, nt = 0;
  for (const m of res.meshes) {
    nv += m.attributes.position.array.length / 3;
    nt += m.index.array.length / 3;
  }
  if (nt === 0) throw new ParseError(label, "file holds no surface geometry (0 triangles)", { file: o.file });
  const positions = new Float32Array(3 * nv);
  const normals = new Float32Array(3 * nv);
  const indices = new Uint32Array(3 * nt);
  const faceIds = new Uint32Array(nt);
  const bodies: CadImport["bodies"] = [];
  let vo = 0, to = 0, fo = 0;
  let hasNormals = true;
  for (const m of res.meshes) {
    const p = m.attributes.position.array, n = m.attributes.normal?.array, idx = m.index.array;
    positions.set(p, 3 * vo);
    if (n && n.length === p.length) normals.set(n, 3 * vo);
    else hasNormals = false;
    const mt = idx.length / 3;
    for (let i = 0; i < idx.length; i++) {
      if (idx[i] >= p.length / 3) throw new ParseError(label, `body '${m.name}' has a triangle index out of range`, { file: o.file });
      indices[3 * to + i] = idx[i] + vo;
    }
    // brep_faces: triangle ranges [first, last] per B-rep face; triangles outside every range share one extra id
    const faces = m.brep_faces ?? [];
    const loose = fo + faces.length;
    faceIds.fill(loose, to, to + mt);
    faces.forEach((f, k) => faceIds.fill(fo + k, to + f.first, to + f.last + 1));
    const extra = faces.length + (faceIds.subarray(to, to + mt).includes(loose) ? 1 : 0);
    bodies.push({ name: m.name ?? "", firstFace: fo, faceCount: extra, firstTriangle: to, triangleCount: mt });
    fo += extra;
    vo += p.length / 3;
    to += mt;
  }
  const raw: Mesh = { positions, indices, faceIds };
  if (hasNormals) raw.normals = normals;
  if (!o.weld) return { mesh: raw, bodies };
  const { mesh } = weldVertices({ positions, indices, faceIds });
  return { mesh, bodies };
};
