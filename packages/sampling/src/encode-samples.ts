import { InvalidArgumentError, ParseError } from "@sdfkit/sdf-core";
import type { BandSamples, Band, MeshOpenness, SignMethod } from "./api.js";

const MAGIC = 0x53444653; // "SFDS"
const VERSION = 1;

/**
 * Compact binary form of {@link BandSamples} for caching: a little-endian header (magic, version,
 * count, JSON length), a JSON block (bands, transform, sign method, openness), then the raw arrays
 * points (f32×3), sdf (f32), band (u8), normals (f32×3), faceIds (u32), 4-byte aligned.
 */
export const encodeSamples = (r: BandSamples): Uint8Array => {
  const s = r?.samples;
  if (!s || !(s.points instanceof Float32Array) || !(s.sdf instanceof Float32Array) || s.points.length !== 3 * s.sdf.length)
    throw new InvalidArgumentError("encodeSamples", "r", "BandSamples", r);
  const n = s.sdf.length;
  const json = new TextEncoder().encode(JSON.stringify({ bands: r.bands, transform: r.transform, signMethod: r.signMethod, openness: r.openness }));
  const jl = (json.length + 3) & ~3;
  const band = s.band ?? new Uint8Array(n), normals = s.normals ?? new Float32Array(n * 3), faceIds = s.faceIds ?? new Uint32Array(n);
  const bl = (n + 3) & ~3;
  const size = 16 + jl + n * 12 + n * 4 + bl + n * 12 + n * 4;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true); dv.setUint32(4, VERSION, true); dv.setUint32(8, n, true); dv.setUint32(12, json.length, true);
  out.set(json, 16);
  let o = 16 + jl;
  const put = (a: ArrayBufferView, len: number) => { out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o); o += len; };
  put(s.points, n * 12); put(s.sdf, n * 4); put(band, bl); put(normals, n * 12); put(faceIds, n * 4);
  return out;
};

/** Inverse of {@link encodeSamples}. @throws ParseError on a wrong magic/version or truncated data. */
export const decodeSamples = (bytes: Uint8Array): BandSamples => {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError("decodeSamples", "bytes", "a Uint8Array", bytes);
  const b = bytes.slice(); // aligned copy
  if (b.length < 16) throw new ParseError("sdfkit-samples", "truncated header");
  const dv = new DataView(b.buffer);
  if (dv.getUint32(0, true) !== MAGIC || dv.getUint32(4, true) !== VERSION) throw new ParseError("sdfkit-samples", "not an sdfkit samples file (magic/version)");
  const n = dv.getUint32(8, true), jlen = dv.getUint32(12, true);
  const jl = (jlen + 3) & ~3, bl = (n + 3) & ~3;
  if (b.length < 16 + jl + n * 32 + bl) throw new ParseError("sdfkit-samples", `truncated data (${b.length} bytes for ${n} samples)`);
  const meta = JSON.parse(new TextDecoder().decode(b.subarray(16, 16 + jlen))) as { bands: Band[]; transform: BandSamples["transform"]; signMethod: SignMethod; openness: MeshOpenness };
  let o = 16 + jl;
  const points = new Float32Array(b.buffer, o, n * 3); o += n * 12;
  const sdf = new Float32Array(b.buffer, o, n); o += n * 4;
  const band = new Uint8Array(b.buffer, o, n); o += bl;
  const normals = new Float32Array(b.buffer, o, n * 3); o += n * 12;
  const faceIds = new Uint32Array(b.buffer, o, n);
  return { samples: { points, sdf, band, normals, faceIds }, ...meta };
};
