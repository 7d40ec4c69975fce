import { extname } from "node:path";
import type { Mesh } from "../api.js";
import { serializeObj } from "../parse-obj.js";
import { serializeStl } from "../parse-stl.js";
import { serializePly } from "../parse-ply.js";
import { InvalidArgumentError } from "../errors.js";
import { assertValidMesh } from "../internal/validate.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/** Options of {@link writeMesh}. */
export interface WriteMeshOptions {
  /** Output format; from the extension when omitted. */
  format?: "obj" | "stl" | "ply";
  /** Binary STL/PLY. @defaultValue true */
  binary?: boolean;
}

/** Write a mesh as OBJ, STL or PLY, atomically (temp file + rename). */
export const writeMesh = async (path: string, mesh: Mesh, opts: WriteMeshOptions = {}): Promise<void> => {
  assertValidMesh("writeMesh", mesh);
  const fmt = opts.format ?? (extname(path).toLowerCase().slice(1) as WriteMeshOptions["format"]);
  let data: Uint8Array | string;
  if (fmt === "obj") data = serializeObj(mesh);
  else if (fmt === "stl") data = serializeStl(mesh, { binary: opts.binary !== false });
  else if (fmt === "ply") data = serializePly(mesh, { binary: opts.binary !== false });
  else throw new InvalidArgumentError("writeMesh", "path", "a path ending in .obj, .stl or .ply (or opts.format)", path);
  await writeFileAtomic(path, data);
};
