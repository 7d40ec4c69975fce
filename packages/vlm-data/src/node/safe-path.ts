import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { InvalidArgumentError } from "@sdfkit/sdf-core";

/** A DeepCAD model id: `XXXX/YYYYYYYY` (folder and file stem), letters, digits, `_` and `-` only. */
export const MODEL_ID = /^[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,128}$/;

/**
 * Join a relative path under a root, refusing anything that could leave it: absolute paths, `..`
 * segments, backslashes, NUL bytes, empty segments. Dataset names and model ids go through here.
 */
export const resolveInside = (root: string, rel: string, fn = "resolveInside", arg = "path"): string => {
  if (typeof rel !== "string" || rel.length === 0) throw new InvalidArgumentError(fn, arg, "a non-empty relative path", rel);
  if (isAbsolute(rel) || rel.includes("\\") || rel.includes("\0") || /^[A-Za-z]:/.test(rel))
    throw new InvalidArgumentError(fn, arg, "a relative path inside the dataset root", rel);
  const parts = rel.split("/");
  if (parts.some((p) => p === ".." || p === "." || p === "")) throw new InvalidArgumentError(fn, arg, "a relative path without '.', '..' or empty segments", rel);
  const full = resolve(root, join(...parts));
  const back = relative(resolve(root), full);
  if (back.startsWith("..") || isAbsolute(back) || back.split(sep).includes("..")) throw new InvalidArgumentError(fn, arg, "a path inside the dataset root", rel);
  return full;
};

/** Check a model id (`0000/00000007`) and return it. */
export const checkModelId = (id: unknown, fn: string, arg = "id"): string => {
  if (typeof id !== "string" || !MODEL_ID.test(id)) throw new InvalidArgumentError(fn, arg, "a model id like '0000/00000007'", id);
  return id;
};

/** The file stem of a model id (`00000007`). */
export const idStem = (id: string): string => id.slice(id.indexOf("/") + 1);
