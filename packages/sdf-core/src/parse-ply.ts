import type { Mesh } from "./api.js";
import { ParseError } from "./errors.js";

type PlyType = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "float32" | "float64";
interface PlyProp { name: string; type: PlyType; list?: PlyType }
interface PlyElement { name: string; count: number; props: PlyProp[] }

const _typeAlias: Record<string, PlyType> = {
  char: "int8", int8: "int8", uchar: "uint8", uint8: "uint8", short: "int16", int16: "int16", ushort: "uint16", uint16: "uint16",
  int: "int32", int32: "int32", uint: "uint32", uint32: "uint32", float: "float32", float32: "float32", double: "float64", float64: "float64",
};
const _size: Record<PlyType, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8 };

const _endHeader = /*@__PURE__*/ Array.from("end_header", (c) => c.charCodeAt(0));
/** @internal Where the first "end_header" line ending (\n or \r\n) lies in the first 64 KiB: its start and its length. */
const __endHeader = (bytes: Uint8Array): { index: number; 0: { length: number } } | undefined => {
  const lim = Math.min(bytes.length, 65536), e = _endHeader, n = e.length;
  for (let i = 0; i + n < lim; i++) {
    let k = 0;
    while (k < n && bytes[i + k] === e[k]) k++;
    if (k < n) continue;
    const j = bytes[i + n] === 13 ? i + n + 1 : i + n;
    if (j < lim && bytes[j] === 10) return { index: i, 0: { length: j + 1 - i } };
  }
  return undefined;
};
/** @internal Bytes 0..end as a latin1 string (headers are short; TextDecoder's latin1 costs more than this). */
const __latin1 = (bytes: Uint8Array, end: number): string => {
  let s = "";
  for (let i = 0; i < end; i += 4096) s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 4096)));
  return s;
};

/** Options of {@link parsePly}. */
export interface ParsePlyOptions {
  /** File name used in error messages. @defaultValue undefined */
  file?: string;
}

/**
 * Parse a PLY file (ascii, binary_little_endian, binary_big_endian). Reads vertex x/y/z, optional
 * nx/ny/nz and red/green/blue (uchar 0-255 or float 0-1) and the face index lists (polygons are
 * fan-triangulated); other elements are skipped.
 * @throws ParseError naming the file (and line for the header / ascii body) on malformed or truncated data.
 */
export const parsePly = (bytes: Uint8Array, opts: ParsePlyOptions = {}): Mesh => {
  const file = opts.file;
  if (!(bytes instanceof Uint8Array)) throw new ParseError("PLY", `expected bytes (Uint8Array), got ${typeof bytes}`, { file });
  // header
  const endMatch = __endHeader(bytes);
  const probe = __latin1(bytes, endMatch ? endMatch.index : Math.min(bytes.length, 65536));
  if (!probe.startsWith("ply")) throw new ParseError("PLY", "missing 'ply' magic at the start", { file, line: 1 });
  if (!endMatch) throw new ParseError("PLY", "no 'end_header' line in the first 64 KiB", { file });
  const headerLines = probe.slice(0, endMatch.index).split(/\r?\n/);
  let format = "";
  const elements: PlyElement[] = [];
  for (let i = 1; i < headerLines.length; i++) {
    const t = headerLines[i].trim().split(/\s+/);
    if (t[0] === "format") format = t[1];
    else if (t[0] === "element") {
      const count = Number(t[2]);
      if (!Number.isInteger(count) || count < 0) throw new ParseError("PLY", `bad element count '${t[2]}'`, { file, line: i + 1 });
      elements.push({ name: t[1], count, props: [] });
    } else if (t[0] === "property") {
      const el = elements[elements.length - 1];
      if (!el) throw new ParseError("PLY", "property before any element", { file, line: i + 1 });
      if (t[1] === "list") {
        const lt = _typeAlias[t[2]], it = _typeAlias[t[3]];
        if (!lt || !it) throw new ParseError("PLY", `unknown list types '${t[2]} ${t[3]}'`, { file, line: i + 1 });
        el.props.push({ name: t[4], type: it, list: lt });
      } else {
        const ty = _typeAlias[t[1]];
        if (!ty) throw new ParseError("PLY", `unknown property type '${t[1]}'`, { file, line: i + 1 });
        el.props.push({ name: t[2], type: ty });
      }
    } else if (t[0] !== "comment" && t[0] !== "obj_info" && t[0] !== "" ) {
      throw new ParseError("PLY", `unexpected header line '${headerLines[i].slice(0, 60)}'`, { file, line: i + 1 });
    }
  }
  if (format !== "ascii" && format !== "binary_little_endian" && format !== "binary_big_endian")
    throw new ParseError("PLY", `unsupported format '${format}'`, { file });
  const vEl = elements.find((e) => e.name === "vertex");
  const fEl = elements.find((e) => e.name === "face");
  if (!vEl) throw new ParseError("PLY", "no 'vertex' element", { file });
  const pi = (n: string) => vEl.props.findIndex((p) => p.name === n);
  const ix = pi("x"), iy = pi("y"), iz = pi("z");
  if (ix < 0 || iy < 0 || iz < 0) throw new ParseError("PLY", "vertex element lacks x, y or z", { file });
  const inx = pi("nx"), iny = pi("ny"), inz = pi("nz");
  const ir = pi("red"), ig = pi("green"), ib = pi("blue");
  const hasN = inx >= 0 && iny >= 0 && inz >= 0;
  const hasC = ir >= 0 && ig >= 0 && ib >= 0;
  const colorScale = hasC && vEl.props[ir].type.startsWith("float") ? 1 : 1 / 255;
  const nv = vEl.count;
  const positions = new Float32Array(3 * nv);
  const normals = hasN ? new Float32Array(3 * nv) : undefined;
  const colors = hasC ? new Float32Array(3 * nv) : undefined;
  const tris: number[] = [];
  const fIdx = fEl ? fEl.props.findIndex((p) => p.name === "vertex_indices" || p.name === "vertex_index") : -1;
  if (fEl && fIdx < 0) throw new ParseError("PLY", "face element has no vertex_indices list", { file });
  const row: number[] = [];
  const onVertex = (v: number, vals: number[]) => {
    const x = vals[ix], y = vals[iy], z = vals[iz];
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) throw new ParseError("PLY", `vertex ${v} has a non-finite coordinate`, { file });
    positions[3 * v] = x;
    positions[3 * v + 1] = y;
    positions[3 * v + 2] = z;
    if (normals) {
      normals[3 * v] = vals[inx];
      normals[3 * v + 1] = vals[iny];
      normals[3 * v + 2] = vals[inz];
    }
    if (colors) {
      colors[3 * v] = vals[ir] * colorScale;
      colors[3 * v + 1] = vals[ig] * colorScale;
      colors[3 * v + 2] = vals[ib] * colorScale;
    }
  };
  const onFace = (f: number, list: number[]) => {
    if (list.length < 3) throw new ParseError("PLY", `face ${f} has ${list.length} vertices, needs at least 3`, { file });
    for (const i of list)
      if (!Number.isInteger(i) || i < 0 || i >= nv) throw new ParseError("PLY", `face ${f} references vertex ${i} but there are ${nv}`, { file });
    for (let k = 1; k + 1 < list.length; k++) tris.push(list[0], list[k], list[k + 1]);
  };
  const bodyStart = endMatch.index + endMatch[0].length;
  if (format === "ascii") {
    const text = new TextDecoder().decode(bytes.subarray(bodyStart));
    const lines = text.split(/\r?\n/);
    let li = 0;
    const lineBase = headerLines.length + 1;
    const nextLine = (what: string) => {
      while (li < lines.length && lines[li].trim() === "") li++;
      if (li >= lines.length) throw new ParseError("PLY", `truncated file: expected ${what}`, { file, line: lineBase + li });
      return lines[li++].trim().split(/\s+/).map(Number);
    };
    for (const el of elements) {
      for (let r = 0; r < el.count; r++) {
        const vals = nextLine(`${el.name} ${r} of ${el.count}`);
        if (el === vEl) {
          if (vals.length < el.props.length) throw new ParseError("PLY", `vertex ${r} has ${vals.length} values, expected ${el.props.length}`, { file, line: lineBase + li - 1 });
          onVertex(r, vals);
        } else if (el === fEl) {
          // walk props to find the list
          let c = 0;
          let list: number[] | undefined;
          for (let p = 0; p < el.props.length; p++) {
            const pr = el.props[p];
            if (pr.list) {
              const n = vals[c++];
              if (!Number.isInteger(n) || c + n > vals.length) throw new ParseError("PLY", `malformed face list`, { file, line: lineBase + li - 1 });
              if (p === fIdx) list = vals.slice(c, c + n);
              c += n;
            } else c++;
          }
          try {
            onFace(r, list ?? []);
          } catch (e) {
            throw new ParseError("PLY", (e as ParseError).message.replace(/^PLY: (.*?: )?/, ""), { file, line: lineBase + li - 1 });
          }
        }
      }
    }
  } else {
    const le = format === "binary_little_endian";
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const fast = __fastBinaryBody(dv, bodyStart, le, elements, vEl, fEl, [ix, iy, iz, inx, iny, inz, ir, ig, ib], positions, normals, colors);
    if (fast) {
      const mesh: Mesh = { positions, indices: fast };
      if (normals) mesh.normals = normals;
      if (colors) mesh.colors = colors;
      return mesh;
    }
    let off = bodyStart;
    const read = (t: PlyType): number => {
      if (off + _size[t] > bytes.length) throw new ParseError("PLY", `truncated binary body at byte ${off}`, { file });
      let v: number;
      switch (t) {
        case "int8": v = dv.getInt8(off); break;
        case "uint8": v = dv.getUint8(off); break;
        case "int16": v = dv.getInt16(off, le); break;
        case "uint16": v = dv.getUint16(off, le); break;
        case "int32": v = dv.getInt32(off, le); break;
        case "uint32": v = dv.getUint32(off, le); break;
        case "float32": v = dv.getFloat32(off, le); break;
        default: v = dv.getFloat64(off, le);
      }
      off += _size[t];
      return v;
    };
    for (const el of elements) {
      for (let r = 0; r < el.count; r++) {
        row.length = 0;
        let list: number[] | undefined;
        for (let p = 0; p < el.props.length; p++) {
          const pr = el.props[p];
          if (pr.list) {
            const n = read(pr.list);
            if (n > 1 << 20) throw new ParseError("PLY", `implausible list length ${n} in ${el.name} ${r}`, { file });
            const l: number[] = new Array(n);
            for (let k = 0; k < n; k++) l[k] = read(pr.type);
            if (p === fIdx) list = l;
            row.push(NaN);
          } else row.push(read(pr.type));
        }
        if (el === vEl) onVertex(r, row);
        else if (el === fEl) onFace(r, list ?? []);
      }
    }
  }
  if (tris.length === 0) throw new ParseError("PLY", `no faces (${nv} vertices)`, { file });
  const mesh: Mesh = { positions, indices: Uint32Array.from(tris) };
  if (normals) mesh.normals = normals;
  if (colors) mesh.colors = colors;
  return mesh;
};

/**
 * @internal The common binary layout in one tight pass: only a vertex element of float32 scalars
 * and a face element of triangles (uchar count, int/uint indices). Returns the indices, or
 * undefined (having maybe written some of the arrays) where the file is anything else, short,
 * non-finite or out of range, so the general reader parses it and reports the error.
 */
const __fastBinaryBody = (
  dv: DataView, off: number, le: boolean, elements: PlyElement[], vEl: PlyElement, fEl: PlyElement | undefined,
  at: number[], positions: Float32Array, normals?: Float32Array, colors?: Float32Array,
): Uint32Array | undefined => {
  if (!fEl || fEl.count === 0 || elements.length !== 2 || elements[0] !== vEl || elements[1] !== fEl) return undefined;
  if (vEl.props.some((p) => p.list || p.type !== "float32")) return undefined;
  const fp = fEl.props[0];
  if (fEl.props.length !== 1 || fp.list !== "uint8" || (fp.type !== "int32" && fp.type !== "uint32")) return undefined;
  const nv = vEl.count, nf = fEl.count, stride = 4 * vEl.props.length;
  if (off + nv * stride + 13 * nf > dv.byteLength) return undefined;
  const [ix, iy, iz, inx, iny, inz, ir, ig, ib] = at;
  for (let v = 0; v < nv; v++, off += stride) {
    const x = dv.getFloat32(off + 4 * ix, le), y = dv.getFloat32(off + 4 * iy, le), z = dv.getFloat32(off + 4 * iz, le);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) return undefined;
    positions[3 * v] = x; positions[3 * v + 1] = y; positions[3 * v + 2] = z;
    if (normals) { normals[3 * v] = dv.getFloat32(off + 4 * inx, le); normals[3 * v + 1] = dv.getFloat32(off + 4 * iny, le); normals[3 * v + 2] = dv.getFloat32(off + 4 * inz, le); }
    if (colors) { colors[3 * v] = dv.getFloat32(off + 4 * ir, le); colors[3 * v + 1] = dv.getFloat32(off + 4 * ig, le); colors[3 * v + 2] = dv.getFloat32(off + 4 * ib, le); }
  }
  const indices = new Uint32Array(3 * nf);
  for (let f = 0; f < nf; f++, off += 13) {
    if (dv.getUint8(off) !== 3) return undefined;
    const a = dv.getUint32(off + 1, le), b = dv.getUint32(off + 5, le), c = dv.getUint32(off + 9, le);
    if (a >= nv || b >= nv || c >= nv) return undefined;
    indices[3 * f] = a; indices[3 * f + 1] = b; indices[3 * f + 2] = c;
  }
  return indices;
};

/** Serialise a mesh as PLY: binary little-endian (default) or ASCII; writes normals and uchar colours when present. */
export const serializePly = (mesh: Mesh, opts: { binary?: boolean } = {}): Uint8Array => {
  const binary = opts.binary !== false;
  const p = mesh.positions, idx = mesh.indices, n = mesh.normals, c = mesh.colors;
  const nv = p.length / 3, nt = idx.length / 3;
  const head = [
    "ply",
    `format ${binary ? "binary_little_endian" : "ascii"} 1.0`,
    "comment written by sdfkit",
    `element vertex ${nv}`,
    "property float x", "property float y", "property float z",
    ...(n ? ["property float nx", "property float ny", "property float nz"] : []),
    ...(c ? ["property uchar red", "property uchar green", "property uchar blue"] : []),
    `element face ${nt}`,
    "property list uchar int vertex_indices",
    "end_header",
    "",
  ].join("\n");
  const toByte = (x: number) => Math.max(0, Math.min(255, Math.round(x * 255)));
  if (!binary) {
    const out: string[] = [head];
    for (let v = 0; v < nv; v++) {
      const parts = [p[3 * v], p[3 * v + 1], p[3 * v + 2]];
      if (n) parts.push(n[3 * v], n[3 * v + 1], n[3 * v + 2]);
      if (c) parts.push(toByte(c[3 * v]), toByte(c[3 * v + 1]), toByte(c[3 * v + 2]));
      out.push(parts.join(" ") + "\n");
    }
    for (let t = 0; t < nt; t++) out.push(`3 ${idx[3 * t]} ${idx[3 * t + 1]} ${idx[3 * t + 2]}\n`);
    return new TextEncoder().encode(out.join(""));
  }
  const hb = new TextEncoder().encode(head);
  const vsize = 12 + (n ? 12 : 0) + (c ? 3 : 0);
  const buf = new Uint8Array(hb.length + nv * vsize + nt * 13);
  buf.set(hb);
  const dv = new DataView(buf.buffer);
  let off = hb.length;
  for (let v = 0; v < nv; v++) {
    dv.setFloat32(off, p[3 * v], true); dv.setFloat32(off + 4, p[3 * v + 1], true); dv.setFloat32(off + 8, p[3 * v + 2], true);
    off += 12;
    if (n) { dv.setFloat32(off, n[3 * v], true); dv.setFloat32(off + 4, n[3 * v + 1], true); dv.setFloat32(off + 8, n[3 * v + 2], true); off += 12; }
    if (c) { buf[off] = toByte(c[3 * v]); buf[off + 1] = toByte(c[3 * v + 1]); buf[off + 2] = toByte(c[3 * v + 2]); off += 3; }
  }
  for (let t = 0; t < nt; t++) {
    buf[off] = 3;
    dv.setInt32(off + 1, idx[3 * t], true); dv.setInt32(off + 5, idx[3 * t + 1], true); dv.setInt32(off + 9, idx[3 * t + 2], true);
    off += 13;
  }
  return buf;
};
