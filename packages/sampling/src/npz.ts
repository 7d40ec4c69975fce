import { strToU8, unzipSync, zipSync } from "fflate";
import type { SdfSamples } from "@sdfkit/sdf-core";
import { ParseError } from "@sdfkit/sdf-core";
import { splitBySign } from "./sample-bands.js";

/** A float32 array with its shape, as stored in a .npy entry. */
export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

const __npy = (a: NpyArray): Uint8Array => {
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(", ")})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const h = strToU8(header);
  const out = new Uint8Array(10 + h.length + a.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, h.length, true);
  out.set(h, 10);
  out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), 10 + h.length);
  return out;
};

/** Write float32 arrays as an .npz archive (numpy's `np.savez` layout: one `<name>.npy` per array, stored). */
export const encodeNpz = (arrays: Record<string, NpyArray>): Uint8Array => {
  const files: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(arrays)) files[`${k}.npy`] = __npy(v);
  return zipSync(files, { level: 0 });
};

/** Read the float32 arrays of an .npz archive (little-endian `<f4`, C order). */
export const decodeNpz = (bytes: Uint8Array, file?: string): Record<string, NpyArray> => {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new ParseError("NPZ", `not a zip archive: ${(e as Error).message}`, { file }, { cause: e });
  }
  const out: Record<string, NpyArray> = {};
  for (const [name, b] of Object.entries(entries)) {
    if (!name.endsWith(".npy")) continue;
    if (b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== "NUMPY") throw new ParseError("NPZ", `${name}: not a .npy entry`, { file });
    const major = b[6];
    const hl = major === 1 ? new DataView(b.buffer, b.byteOffset).getUint16(8, true) : new DataView(b.buffer, b.byteOffset).getUint32(8, true);
    const start = major === 1 ? 10 : 12;
    const header = new TextDecoder().decode(b.subarray(start, start + hl));
    if (!/'descr':\s*'<f4'/.test(header)) throw new ParseError("NPZ", `${name}: only little-endian float32 ('<f4') is supported, header ${header.trim()}`, { file });
    if (/'fortran_order':\s*True/.test(header)) throw new ParseError("NPZ", `${name}: Fortran order is not supported`, { file });
    const m = /'shape':\s*\(([^)]*)\)/.exec(header);
    if (!m) throw new ParseError("NPZ", `${name}: no shape in header`, { file });
    const shape = m[1].split(",").map((x) => x.trim()).filter(Boolean).map(Number);
    const n = shape.reduce((a, c) => a * c, 1);
    const body = b.subarray(start + hl);
    if (body.byteLength < 4 * n) throw new ParseError("NPZ", `${name}: truncated (${body.byteLength} bytes for ${n} floats)`, { file });
    out[name.slice(0, -4)] = { data: new Float32Array(body.slice(0, 4 * n).buffer), shape };
  }
  return out;
};

/** DeepSDF's sample file: `pos` (sdf ≥ 0) and `neg` (sdf < 0), each N×4 float32 rows (x, y, z, sdf). */
export const toDeepSdfNpz = (s: SdfSamples): Uint8Array => {
  const { pos, neg } = splitBySign(s);
  const rows = (t: SdfSamples) => {
    const n = t.sdf.length, d = new Float32Array(4 * n);
    for (let i = 0; i < n; i++) {
      d[4 * i] = t.points[3 * i];
      d[4 * i + 1] = t.points[3 * i + 1];
      d[4 * i + 2] = t.points[3 * i + 2];
      d[4 * i + 3] = t.sdf[i];
    }
    return { data: d, shape: [n, 4] };
  };
  return encodeNpz({ pos: rows(pos), neg: rows(neg) });
};

/** Read a DeepSDF sample file back into samples (pos rows first, then neg). */
export const fromDeepSdfNpz = (bytes: Uint8Array, file?: string): SdfSamples => {
  const a = decodeNpz(bytes, file);
  if (!a.pos || !a.neg) throw new ParseError("NPZ", `expected arrays 'pos' and 'neg', found ${Object.keys(a).join(", ") || "none"}`, { file });
  for (const k of ["pos", "neg"] as const)
    if (a[k].shape.length !== 2 || a[k].shape[1] !== 4) throw new ParseError("NPZ", `'${k}' must be N×4, got ${a[k].shape.join("×")}`, { file });
  const n = a.pos.shape[0] + a.neg.shape[0];
  const points = new Float32Array(3 * n), sdf = new Float32Array(n);
  let i = 0;
  for (const t of [a.pos, a.neg])
    for (let r = 0; r < t.shape[0]; r++, i++) {
      points[3 * i] = t.data[4 * r];
      points[3 * i + 1] = t.data[4 * r + 1];
      points[3 * i + 2] = t.data[4 * r + 2];
      sdf[i] = t.data[4 * r + 3];
    }
  return { points, sdf };
};
