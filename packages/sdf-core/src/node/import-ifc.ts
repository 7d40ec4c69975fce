import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Mesh } from "../api.js";
import { InvalidArgumentError, ParseError } from "../errors.js";
import { weldVertices } from "../mesh-topology.js";

/** Options of {@link importIfc}. */
export interface ImportIfcOptions {
  /** File name used in error messages. @defaultValue undefined */
  file?: string;
  /** Merge coincident vertices (web-ifc repeats them per face) and drop per-vertex normals. @defaultValue true */
  weld?: boolean;
}

/** What {@link importIfc} returns beside the merged mesh. */
export interface IfcImport {
  /**
   * Every placed geometry of the model merged into one mesh, in metres, in web-ifc's Y-up frame
   * (its placement matrices include the Z-up → Y-up rotation of IFC). `faceIds` holds the index of
   * the placed geometry each triangle came from (see `elements`).
   */
  mesh: Mesh;
  /** Per placed geometry: the IFC express id of its product. */
  elements: { expressId: number; firstTriangle: number; triangleCount: number }[];
}

// web-ifc's types come with the package; load it lazily so the wasm starts only when needed
type WebIfc = typeof import("web-ifc");
let _api: Promise<{ api: InstanceType<WebIfc["IfcAPI"]> }> | undefined;
const __ifc = () =>
  (_api ??= (async () => {
    const require = createRequire(import.meta.url);
    const mod: WebIfc = require("web-ifc");
    const api = new mod.IfcAPI();
    api.SetWasmPath(dirname(require.resolve("web-ifc/web-ifc-node.wasm")) + "/", true);
    await api.Init();
    api.SetLogLevel(mod.LogLevel.LOG_LEVEL_OFF);
    return { api };
  })());

/**
 * Import the geometry of an IFC file through web-ifc (wasm). Each placed geometry's vertices
 * (interleaved position + normal) are transformed by its `flatTransformation` (column-major 4×4).
 * @throws ParseError naming the file when web-ifc cannot open it or it holds no geometry.
 */
export const importIfc = async (bytes: Uint8Array, opts: ImportIfcOptions = {}): Promise<IfcImport> => {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError("importIfc", "bytes", "a Uint8Array", bytes);
  const file = opts.file;
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  if (!head.startsWith("ISO-10303-21")) throw new ParseError("IFC", "missing 'ISO-10303-21' header (not an IFC/STEP physical file)", { file, line: 1 });
  const { api } = await __ifc();
  let model: number;
  try {
    model = api.OpenModel(bytes);
  } catch (e) {
    throw new ParseError("IFC", `web-ifc could not open the file: ${(e as Error)?.message ?? e}`, { file }, { cause: e });
  }
  if (model < 0) throw new ParseError("IFC", "web-ifc could not open the file", { file });
  const pos: number[] = [];
  const nrm: number[] = [];
  const tris: number[] = [];
  const fids: number[] = [];
  const elements: IfcImport["elements"] = [];
  try {
    api.StreamAllMeshes(model, (flat) => {
      const placed = flat.geometries;
      for (let i = 0; i < placed.size(); i++) {
        const pg = placed.get(i);
        const geom = api.GetGeometry(model, pg.geometryExpressID);
        const v = api.GetVertexArray(geom.GetVertexData(), geom.GetVertexDataSize());
        const ix = api.GetIndexArray(geom.GetIndexData(), geom.GetIndexDataSize());
        const m = pg.flatTransformation;
        const base = pos.length / 3;
        for (let k = 0; k + 5 < v.length; k += 6) {
          const x = v[k], y = v[k + 1], z = v[k + 2];
          pos.push(m[0] * x + m[4] * y + m[8] * z + m[12], m[1] * x + m[5] * y + m[9] * z + m[13], m[2] * x + m[6] * y + m[10] * z + m[14]);
          const nx = v[k + 3], ny = v[k + 4], nz = v[k + 5];
          nrm.push(m[0] * nx + m[4] * ny + m[8] * nz, m[1] * nx + m[5] * ny + m[9] * nz, m[2] * nx + m[6] * ny + m[10] * nz);
        }
        const first = tris.length / 3;
        const id = elements.length;
        for (let k = 0; k + 2 < ix.length; k += 3) {
          tris.push(base + ix[k], base + ix[k + 1], base + ix[k + 2]);
          fids.push(id);
        }
        elements.push({ expressId: flat.expressID, firstTriangle: first, triangleCount: tris.length / 3 - first });
        geom.delete?.();
      }
    });
  } finally {
    api.CloseModel(model);
  }
  if (tris.length === 0) throw new ParseError("IFC", "file holds no geometry (0 triangles)", { file });
  for (let i = 0; i < pos.length; i++) if (!Number.isFinite(pos[i])) throw new ParseError("IFC", "geometry has non-finite coordinates", { file });
  const positions = Float32Array.from(pos), indices = Uint32Array.from(tris), faceIds = Uint32Array.from(fids);
  if (opts.weld === false) return { mesh: { positions, indices, normals: Float32Array.from(nrm), faceIds }, elements };
  return { mesh: weldVertices({ positions, indices, faceIds }).mesh, elements };
};
