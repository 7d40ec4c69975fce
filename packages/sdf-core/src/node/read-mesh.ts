import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Mesh } from "../api.js";
import { parseObj } from "../parse-obj.js";
import { parseStl } from "../parse-stl.js";
import { parsePly } from "../parse-ply.js";
import { InvalidArgumentError, ParseError } from "../errors.js";
import { importCad } from "./import-cad.js";
import { importIfc } from "./import-ifc.js";

/** Mesh formats `readMesh` understands. */
export type MeshFormat = "obj" | "stl" | "ply" | "step" | "iges" | "brep" | "ifc";

const _byExt: Record<string, MeshFormat> = {
  ".obj": "obj", ".stl": "stl", ".ply": "ply", ".step": "step", ".stp": "step", ".p21": "step",
  ".iges": "iges", ".igs": "iges", ".brep": "brep", ".brp": "brep", ".ifc": "ifc",
};

/** The format of a path by its extension, or undefined. */
export const meshFormatOf = (path: string): MeshFormat | undefined => _byExt[extname(path).toLowerCase()];

/**
 * Guess a format from content: PLY magic, STEP/IFC physical-file header (IFC when the schema line
 * names IFC), binary STL size rule / `solid` keyword, OBJ `v`/`f` statements.
 */
export const sniffMeshFormat = (bytes: Uint8Array): MeshFormat | undefined => {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
  if (head.startsWith("ply")) return "ply";
  if (head.startsWith("ISO-10303-21")) return /FILE_SCHEMA\s*\(\s*\(\s*'IFC/i.test(head) ? "ifc" : "step";
  if (bytes.length >= 84 && 84 + 50 * new DataView(bytes.buffer, bytes.byteOffset).getUint32(80, true) === bytes.length) return "stl";
  if (/^solid\b/i.test(head) && /facet/i.test(head)) return "stl";
  if (/^\s*v\s+[-\d.]/m.test(head)) return "obj";
  if (/^.{72}S\s*\d+\s*$/m.test(head)) return "iges";
  return undefined;
};

/** Options of {@link readMesh}. */
export interface ReadMeshOptions {
  /** Force a format instead of taking it from the extension / content. @defaultValue undefined */
  format?: MeshFormat;
}

/** A mesh and the format it was read as. */
export interface MeshFile {
  mesh: Mesh;
  format: MeshFormat;
}

/**
 * Read a mesh file (OBJ, STL, PLY, STEP, IGES, BREP, IFC) and tell which format it was.
 * STEP/IGES/BREP keep B-rep face ids per triangle (`mesh.faceIds`).
 * @throws InvalidArgumentError for an unknown format; ParseError naming the file on unreadable or malformed content.
 */
export const readMeshFile = async (path: string, opts: ReadMeshOptions = {}): Promise<MeshFile> => {
  if (typeof path !== "string" || path.length === 0) throw new InvalidArgumentError("readMesh", "path", "a non-empty string", path);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ParseError("readMesh", `cannot read file: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  const format = opts.format ?? meshFormatOf(path) ?? sniffMeshFormat(bytes);
  if (!format)
    throw new InvalidArgumentError("readMesh", "path", `a mesh file (${Object.keys(_byExt).join(" ")}) or recognisable content`, path);
  const file = path;
  switch (format) {
    case "obj":
      return { format, mesh: parseObj(new TextDecoder().decode(bytes), { file }) };
    case "stl":
      return { format, mesh: parseStl(bytes, { file }) };
    case "ply":
      return { format, mesh: parsePly(bytes, { file }) };
    case "ifc":
      return { format, mesh: (await importIfc(bytes, { file })).mesh };
    default:
      return { format, mesh: (await importCad(bytes, format, { file })).mesh };
  }
};

/** Read a mesh file; see {@link readMeshFile}. */
export const readMesh = async (path: string, opts: ReadMeshOptions = {}): Promise<Mesh> => (await readMeshFile(path, opts)).mesh;
