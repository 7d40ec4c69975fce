import type { Mesh } from "./api.js";
import { ParseError } from "./errors.js";

/** Options of {@link parseObj}. */
export interface ParseObjOptions {
  /** File name used in error messages. @defaultValue undefined */
  file?: string;
}

/**
 * Parse Wavefront OBJ text into a triangle mesh. Reads `v` and `f` (polygons are fan-triangulated;
 * `v/vt/vn` and negative indices are accepted); other statements are skipped.
 * @throws ParseError naming the file and line on a malformed vertex or face, a non-finite coordinate,
 * an out-of-range index, or a file without faces.
 */
export const parseObj = (text: string, opts: ParseObjOptions = {}): Mesh => {
  const file = opts.file;
  if (typeof text !== "string") throw new ParseError("OBJ", `expected text, got ${typeof text}`, { file });
  let pos = new Float32Array(3 * 1024);
  let np = 0;
  let idx = new Uint32Array(3 * 2048);
  let ni = 0;
  const face: number[] = [];
  const len = text.length;
  let lineNo = 0;
  let start = 0;
  while (start < len) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = len;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    // line continuation
    while (line.endsWith("\\") && start < len) {
      let e2 = text.indexOf("\n", start);
      if (e2 < 0) e2 = len;
      line = line.slice(0, -1) + " " + text.slice(start, e2);
      start = e2 + 1;
      lineNo++;
    }
    const c0 = line.charCodeAt(0);
    if (c0 !== 118 /* v */ && c0 !== 102 /* f */) {
      // skip comments, groups, materials, vt/vn etc. (fast path; leading whitespace handled below)
      if (c0 !== 32 && c0 !== 9) continue;
    }
    const tok = line.trim().split(/\s+/);
    const kw = tok[0];
    if (kw === "v") {
      if (tok.length < 4) throw new ParseError("OBJ", `vertex needs 3 coordinates, got ${tok.length - 1}`, { file, line: lineNo });
      const x = Number(tok[1]), y = Number(tok[2]), z = Number(tok[3]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z))
        throw new ParseError("OBJ", `vertex has a non-finite or malformed coordinate: '${line.trim().slice(0, 80)}'`, { file, line: lineNo });
      if (np + 3 > pos.length) {
        const g = new Float32Array(pos.length * 2);
        g.set(pos);
        pos = g;
      }
      pos[np++] = x;
      pos[np++] = y;
      pos[np++] = z;
    } else if (kw === "f" || kw === "fo") {
      if (tok.length < 4) throw new ParseError("OBJ", `face needs at least 3 vertices, got ${tok.length - 1}`, { file, line: lineNo });
      face.length = 0;
      const nv = np / 3;
      for (let k = 1; k < tok.length; k++) {
        const s = tok[k];
        const slash = s.indexOf("/");
        const v = parseInt(slash < 0 ? s : s.slice(0, slash), 10);
        if (!Number.isInteger(v) || v === 0) throw new ParseError("OBJ", `malformed face vertex '${s}'`, { file, line: lineNo });
        const i = v > 0 ? v - 1 : nv + v;
        if (i < 0 || i >= nv)
          throw new ParseError("OBJ", `face references vertex ${v} but only ${nv} vertices are defined so far`, { file, line: lineNo });
        face.push(i);
      }
      const nt = face.length - 2;
      while (ni + 3 * nt > idx.length) {
        const g = new Uint32Array(idx.length * 2);
        g.set(idx);
        idx = g;
      }
      for (let k = 1; k + 1 < face.length; k++) {
        idx[ni++] = face[0];
        idx[ni++] = face[k];
        idx[ni++] = face[k + 1];
      }
    }
  }
  if (ni === 0) throw new ParseError("OBJ", `no faces found (${np / 3} vertices)`, { file });
  return { positions: pos.slice(0, np), indices: idx.slice(0, ni) };
};

/** Serialise a mesh as OBJ text (`v` and 1-based `f` lines; vertex normals as `vn` when present). */
export const serializeObj = (mesh: Mesh, opts: { precision?: number } = {}): string => {
  const prec = opts.precision ?? 6;
  const p = mesh.positions, idx = mesh.indices, n = mesh.normals;
  const parts: string[] = ["# sdfkit OBJ"];
  const fmt = (x: number) => {
    const s = x.toPrecision(prec);
    return s.includes("e") ? String(Number(s)) : String(Number(s));
  };
  for (let i = 0; i < p.length; i += 3) parts.push(`v ${fmt(p[i])} ${fmt(p[i + 1])} ${fmt(p[i + 2])}`);
  if (n) for (let i = 0; i < n.length; i += 3) parts.push(`vn ${fmt(n[i])} ${fmt(n[i + 1])} ${fmt(n[i + 2])}`);
  for (let i = 0; i < idx.length; i += 3) {
    const a = idx[i] + 1, b = idx[i + 1] + 1, c = idx[i + 2] + 1;
    parts.push(n ? `f ${a}//${a} ${b}//${b} ${c}//${c}` : `f ${a} ${b} ${c}`);
  }
  parts.push("");
  return parts.join("\n");
};
