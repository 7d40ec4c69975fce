import { strToU8, unzipSync, zipSync } from "fflate";
import { InvalidArgumentError, ParseError } from "@sdfkit/sdf-core";
import type { PosNeg } from "./split-by-sign.js";

/** Encode one float32 C-order array as .npy (format 1.0). */
const npy = (data: Float32Array, shape: number[]): Uint8Array => {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += " ".repeat(pad % 64) + "\n";
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(strToU8(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
};

/**
 * Encode `{ pos, neg }` (N×4 float32) as a DeepSDF `.npz` (zip of `pos.npy`, `neg.npy`; numpy's
 * `np.load` reads it). Extra float32 arrays (e.g. the normalisation `transform` as [ox, oy, oz, scale])
 * go in as 1-D entries.
 */
export const encodeNpz = (data: PosNeg, extra: Record<string, Float32Array> = {}): Uint8Array => {
  const fn = "encodeNpz";
  for (const k of ["pos", "neg"] as const)
    if (!(data?.[k] instanceof Float32Array) || data[k].length % 4) throw new InvalidArgumentError(fn, `data.${k}`, "a Float32Array of N×4 rows", data?.[k]);
  const files: Record<string, Uint8Array> = { "pos.npy": npy(data.pos, [data.pos.length / 4, 4]), "neg.npy": npy(data.neg, [data.neg.length / 4, 4]) };
  for (const [k, v] of Object.entries(extra)) {
    if (!(v instanceof Float32Array)) throw new InvalidArgumentError(fn, `extra.${k}`, "a Float32Array", v);
    files[`${k}.npy`] = npy(v, [v.length]);
  }
  return zipSync(files, { level: 0 });
};

const parseNpy = (name: string, b: Uint8Array): { data: Float32Array; shape: number[] } => {
  if (b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== "NUMPY") throw new ParseError("npz", `${name} is not a .npy file`);
  const major = b[6];
  const hl = major === 1 ? b[8] | (b[9] << 8) : new DataView(b.buffer, b.byteOffset).getUint32(8, true);
  const off = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(b.subarray(off, off + hl));
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header)) throw new ParseError("npz", `${name}: only little-endian C-order float32 is supported (${header.trim()})`);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "").split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  const start = off + hl;
  const bytes = b.slice(start);
  const count = shape.reduce((a, c) => a * c, 1);
  if (bytes.byteLength < count * 4) throw new ParseError("npz", `${name}: truncated data (${bytes.byteLength} bytes for ${count} floats)`);
  return { data: new Float32Array(bytes.buffer, 0, count), shape };
};

/** Decode a DeepSDF `.npz` into `{ pos, neg }` plus any other float32 arrays it holds. */
export const decodeNpz = (bytes: Uint8Array): PosNeg & { extra: Record<string, Float32Array> } => {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError("decodeNpz", "bytes", "a Uint8Array", bytes);
  let files: Record<string, Uint8Array>;
  try { files = unzipSync(bytes); } catch (e) { throw new ParseError("npz", `not a zip archive: ${(e as Error).message}`); }
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(files)) out[k.replace(/\.npy$/, "")] = parseNpy(k, v).data;
  for (const k of ["pos", "neg"]) {
    if (!out[k]) throw new ParseError("npz", `missing array '${k}'`);
    if (out[k].length % 4) throw new ParseError("npz", `'${k}' is not N×4`);
  }
  const { pos, neg, ...extra } = out;
  return { pos, neg, extra };
};
