import { readFile } from "node:fs/promises";
import type { Mesh } from "../api.js";
import { parseObj } from "../parse-obj.js";
import { InvalidArgumentError, ParseError } from "../errors.js";
import { extname } from "node:path";

/** Formats `readMesh` understands, by extension. */
export type MeshFormat = "obj";

/**
 * Read a mesh file from disk. The format comes from the extension.
 * @throws ParseError naming the file on malformed content; InvalidArgumentError for an unknown extension.
 */
export const readMesh = async (path: string): Promise<Mesh> => {
  if (typeof path !== "string" || path.length === 0) throw new InvalidArgumentError("readMesh", "path", "a non-empty string", path);
  const ext = extname(path).toLowerCase();
  if (ext === ".obj") {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (e) {
      throw new ParseError("OBJ", `cannot read file: ${(e as Error).message}`, { file: path }, { cause: e });
    }
    return parseObj(text, { file: path });
  }
  throw new InvalidArgumentError("readMesh", "path", "a file ending in .obj", path);
};
