import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
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

/** @internal Throws unless `path` is a non-empty string. */
const __checkPath = (path: unknown): void => {
  if (typeof path !== "string" || path.length === 0) throw new InvalidArgumentError("readMesh", "path", "a non-empty string", path);
};

/** @internal A read failure as the ParseError `readMesh` throws. */
const __readError = (path: string, e: unknown) => new ParseError("readMesh", `cannot read file: ${(e as Error).message}`, { file: path }, { cause: e });

/** @internal The format of a read file, or the typed error for an unknown one. */
const __formatOf = (path: string, bytes: Uint8Array, opts: ReadMeshOptions): MeshFormat => {
  const format = opts.format ?? meshFormatOf(path) ?? sniffMeshFormat(bytes);
  if (!format)
    throw new InvalidArgumentError("readMesh", "path", `a mesh file (${Object.keys(_byExt).join(" ")}) or recognisable content`, path);
  return format;
};

/** @internal Parse the formats that need no wasm importer. */
const __parsePlain = (bytes: Uint8Array, format: "obj" | "stl" | "ply", file: string): Mesh =>
  format === "obj" ? parseObj(new TextDecoder().decode(bytes), { file }) : format === "stl" ? parseStl(bytes, { file }) : parsePly(bytes, { file });

/**
 * Read a mesh file (OBJ, STL, PLY, STEP, IGES, BREP, IFC) and tell which format it was.
 * STEP/IGES/BREP keep B-rep face ids per triangle (`mesh.faceIds`).
 * @throws InvalidArgumentError for an unknown format; ParseError naming the file on unreadable or malformed content.
 */
export const readMeshFile = async (path: string, opts: ReadMeshOptions = {}): Promise<MeshFile> => {
  __checkPath(path);
  const bytes = await readFile(path).then((b) => new Uint8Array(b), (e) => Promise.reject(__readError(path, e)));
  const format = __formatOf(path, bytes, opts);
  if (format === "ifc") return { format, mesh: (await importIfc(bytes, { file: path })).mesh };
  if (format === "step" || format === "iges" || format === "brep") return { format, mesh: (await importCad(bytes, format, { file: path })).mesh };
  return { format, mesh: __parsePlain(bytes, format, path) };
};

/**
 * {@link readMeshFile} without waiting on the thread pool, for OBJ, STL and PLY files (batch
 * workers, which would only idle meanwhile). Returns undefined for STEP, IGES, BREP and IFC
 * files: their importers start asynchronously, so they need `readMeshFile`.
 * @throws as readMeshFile.
 */
export const readMeshFileSync = (path: string, opts: ReadMeshOptions = {}): MeshFile | undefined => {
  __checkPath(path);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw __readError(path, e);
  }
  const format = __formatOf(path, bytes, opts);
  return format === "obj" || format === "stl" || format === "ply" ? { format, mesh: __parsePlain(bytes, format, path) } : undefined;
};

/** Read a mesh file; see {@link readMeshFile}. */
export const readMesh = async (path: string, opts: ReadMeshOptions = {}): Promise<Mesh> => (await readMeshFile(path, opts)).mesh;
