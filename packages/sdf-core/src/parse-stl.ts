import type { Mesh } from "./api.js";
import { ParseError } from "./errors.js";
import { weldVertices } from "./mesh-topology.js";

/** Options of {@link parseStl}. */
export interface ParseStlOptions {
  /** File name used in error messages. @defaultValue undefined */
  file?: string;
  /** Merge exactly coincident vertices (STL stores a triangle soup). @defaultValue true */
  weld: boolean;
}
export const DEFAULT_PARSE_STL: ParseStlOptions = { file: undefined, weld: true };

const __isAscii = (b: Uint8Array): boolean => {
  // "solid" header AND the binary size rule does not hold (some binary files start with "solid" too)
  const head = String.fromCharCode(...b.subarray(0, Math.min(5, b.length)));
  if (head.toLowerCase() !== "solid") return false;
  if (b.length >= 84) {
    const n = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(80, true);
    if (84 + 50 * n === b.length) return false;
  }
  return true;
};

/**
 * Parse an STL file (ASCII or binary, detected from content). Coincident vertices are welded so the
 * result has shared vertices (set `weld: false` to keep the soup).
 * @throws ParseError naming the file (and line for ASCII) on truncated or malformed data, non-finite coordinates or no facets.
 */
export const parseStl = (bytes: Uint8Array, opts: Partial<ParseStlOptions> = {}): Mesh => {
  const o = { ...DEFAULT_PARSE_STL, ...opts };
  const file = o.file;
  if (!(bytes instanceof Uint8Array)) throw new ParseError("STL", `expected bytes (Uint8Array), got ${typeof bytes}`, { file });
  const soup = __isAscii(bytes) ? __parseAsciiStl(new TextDecoder().decode(bytes), file) : __parseBinaryStl(bytes, file);
  return o.weld ? weldVertices(soup).mesh : soup;
};

const __parseBinaryStl = (b: Uint8Array, file?: string): Mesh => {
  if (b.length < 84) throw new ParseError("STL", `binary file too short: ${b.length} bytes, a header needs 84`, { file });
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint32(80, true);
  if (84 + 50 * n > b.length)
    throw new ParseError("STL", `truncated binary file: header says ${n} triangles (${84 + 50 * n} bytes), file has ${b.length} bytes`, { file });
  if (n === 0) throw new ParseError("STL", "file has no triangles", { file });
  const positions = new Float32Array(9 * n);
  const indices = new Uint32Array(3 * n);
  for (let t = 0; t < n; t++) {
    const off = 84 + 50 * t + 12;
    for (let k = 0; k < 9; k++) {
      const v = dv.getFloat32(off + 4 * k, true);
      if (!Number.isFinite(v)) throw new ParseError("STL", `triangle ${t} has a non-finite coordinate (${v})`, { file });
      positions[9 * t + k] = v;
    }
    indices[3 * t] = 3 * t;
    indices[3 * t + 1] = 3 * t + 1;
    indices[3 * t + 2] = 3 * t + 2;
  }
  return { positions, indices };
};

const __parseAsciiStl = (text: string, file?: string): Mesh => {
  const pos: number[] = [];
  const lines = text.split(/\r?\n/);
  let inLoop = false;
  let count = 0;
  let sawEnd = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === "") continue;
    const kw = l.slice(0, l.indexOf(" ") < 0 ? l.length : l.indexOf(" ")).toLowerCase();
    if (kw === "vertex") {
      if (!inLoop) throw new ParseError("STL", "'vertex' outside 'outer loop'", { file, line: i + 1 });
      const t = l.split(/\s+/);
      const x = Number(t[1]), y = Number(t[2]), z = Number(t[3]);
      if (t.length < 4 || !Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z))
        throw new ParseError("STL", `malformed vertex '${l.slice(0, 80)}'`, { file, line: i + 1 });
      pos.push(x, y, z);
      count++;
    } else if (kw === "outer") {
      inLoop = true;
      count = 0;
    } else if (kw === "endloop") {
      if (count !== 3) throw new ParseError("STL", `facet loop has ${count} vertices, expected 3`, { file, line: i + 1 });
      inLoop = false;
    } else if (kw === "endsolid") sawEnd = true;
    else if (kw !== "solid" && kw !== "facet" && kw !== "endfacet")
      throw new ParseError("STL", `unexpected token '${l.slice(0, 40)}'`, { file, line: i + 1 });
  }
  if (inLoop) throw new ParseError("STL", "truncated file: ends inside a facet", { file, line: lines.length });
  if (!sawEnd) throw new ParseError("STL", "truncated file: no 'endsolid'", { file, line: lines.length });
  if (pos.length === 0) throw new ParseError("STL", "file has no facets", { file });
  const n = pos.length / 3;
  return { positions: Float32Array.from(pos), indices: Uint32Array.from({ length: n }, (_, i) => i) };
};

/** Serialise a mesh as binary (default) or ASCII STL with facet normals. */
export const serializeStl = (mesh: Mesh, opts: { binary?: boolean; name?: string } = {}): Uint8Array => {
  const p = mesh.positions, idx = mesh.indices;
  const nt = idx.length / 3;
  const normal = (t: number): [number, number, number] => {
    const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
    const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const l = Math.hypot(nx, ny, nz) || 1;
    return [nx / l, ny / l, nz / l];
  };
  if (opts.binary === false) {
    const name = opts.name ?? "sdfkit";
    const out: string[] = [`solid ${name}`];
    for (let t = 0; t < nt; t++) {
      const n = normal(t);
      out.push(`  facet normal ${n[0]} ${n[1]} ${n[2]}`, "    outer loop");
      for (let k = 0; k < 3; k++) {
        const v = 3 * idx[3 * t + k];
        out.push(`      vertex ${p[v]} ${p[v + 1]} ${p[v + 2]}`);
      }
      out.push("    endloop", "  endfacet");
    }
    out.push(`endsolid ${name}`, "");
    return new TextEncoder().encode(out.join("\n"));
  }
  const buf = new Uint8Array(84 + 50 * nt);
  const dv = new DataView(buf.buffer);
  const header = "binary STL written by sdfkit";
  for (let i = 0; i < header.length; i++) buf[i] = header.charCodeAt(i);
  dv.setUint32(80, nt, true);
  for (let t = 0; t < nt; t++) {
    const off = 84 + 50 * t;
    const n = normal(t);
    dv.setFloat32(off, n[0], true);
    dv.setFloat32(off + 4, n[1], true);
    dv.setFloat32(off + 8, n[2], true);
    for (let k = 0; k < 3; k++) {
      const v = 3 * idx[3 * t + k];
      dv.setFloat32(off + 12 + 12 * k, p[v], true);
      dv.setFloat32(off + 16 + 12 * k, p[v + 1], true);
      dv.setFloat32(off + 20 + 12 * k, p[v + 2], true);
    }
  }
  return buf;
};
