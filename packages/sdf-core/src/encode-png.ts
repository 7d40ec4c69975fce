import { zlibSync } from "fflate";
import type { RgbaImage } from "./api.js";
import { InvalidArgumentError } from "./errors.js";

/** Options of {@link encodePng}. */
export interface EncodePngOptions {
  /** Colour type: "auto" picks grey when every pixel has r = g = b, drops alpha when all opaque. @defaultValue "auto" */
  color: "auto" | "rgba" | "rgb" | "gray";
  /** zlib level 0-9. @defaultValue 6 */
  level: number;
  /**
   * The zlib compressor (RFC 1950 stream). Defaults to fflate's (pure JS, runs anywhere); in Node
   * pass `nodeDeflate` from `@sdfkit/sdf-core/node` (native zlib, 4-15× faster here).
   */
  deflate?: (data: Uint8Array, level: number) => Uint8Array;
}
export const DEFAULT_ENCODE_PNG: EncodePngOptions = { color: "auto", level: 6 };

const _crcTable = /*@__PURE__*/ (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

const __crc32 = (buf: Uint8Array, start: number, end: number): number => {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = _crcTable[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/**
 * Encode an RGBA image as PNG (fflate's zlib; Up filter). With `color: "auto"` a grey or opaque
 * image is stored with fewer channels. Returns the file bytes.
 */
export const encodePng = (img: RgbaImage, opts: Partial<EncodePngOptions> = {}): Uint8Array => {
  const o = { ...DEFAULT_ENCODE_PNG, ...opts };
  const { width: w, height: h, data } = img ?? ({} as RgbaImage);
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0)
    throw new InvalidArgumentError("encodePng", "img", "an image with positive integer width and height", { w, h });
  if (!data || data.length !== w * h * 4) throw new InvalidArgumentError("encodePng", "img.data", `length ${w * h * 4} (w*h*4)`, data);
  let color = o.color;
  if (color === "auto") {
    // one pass over packed pixels (little- or big-endian alike: grey means r = g = b bytes)
    const px = new Uint32Array(data.buffer, data.byteOffset, w * h);
    let gray = true, opaque = true;
    let last = -1;
    for (let i = 0; i < px.length; i++) {
      const v = px[i];
      if (v === last) continue;
      last = v;
      const q = 4 * i;
      if (data[q + 3] !== 255) opaque = false;
      if (data[q] !== data[q + 1] || data[q] !== data[q + 2]) gray = false;
      if (!opaque && !gray) break;
    }
    color = !opaque ? "rgba" : gray ? "gray" : "rgb";
  }
  const ch = color === "rgba" ? 4 : color === "rgb" ? 3 : 1;
  const stride = w * ch;
  const raw = new Uint8Array((stride + 1) * h);
  let row = new Uint8Array(stride);
  let prev = new Uint8Array(stride);
  if (ch === 1) {
    // grey: one fused pass, reading the red byte of each pixel and filtering against the row above
    for (let y = 0; y < h; y++) {
      const off = y * (stride + 1);
      raw[off] = 2; // Up filter
      const s0 = y * w * 4, sp = s0 - w * 4;
      if (y === 0) for (let x = 0; x < w; x++) raw[off + 1 + x] = data[s0 + 4 * x];
      else for (let x = 0; x < w; x++) raw[off + 1 + x] = data[s0 + 4 * x] - data[sp + 4 * x];
    }
  } else {
    for (let y = 0; y < h; y++) {
      let s = y * w * 4;
      if (ch === 4) row.set(data.subarray(s, s + w * 4));
      else for (let x = 0, d = 0; x < w; x++, s += 4) { row[d++] = data[s]; row[d++] = data[s + 1]; row[d++] = data[s + 2]; }
      const off = y * (stride + 1);
      raw[off] = 2; // Up filter
      for (let i = 0; i < stride; i++) raw[off + 1 + i] = row[i] - prev[i];
      const t = prev;
      prev = row;
      row = t;
    }
  }
  return pngFromScanlines(raw, w, h, color, o);
};

/**
 * Wrap filtered scanlines into a PNG file: `raw` is PNG's filtered image stream (per row one
 * filter-type byte, then `width × channels` bytes, 8 bits per channel), compressed with
 * `opts.deflate` (fflate's zlib by default) at `opts.level` into IHDR + IDAT + IEND. For
 * renderers that produce scanlines directly; {@link encodePng} filters an RGBA image and calls it.
 */
export const pngFromScanlines = (
  raw: Uint8Array,
  width: number,
  height: number,
  color: "rgba" | "rgb" | "gray",
  opts: Partial<Pick<EncodePngOptions, "level" | "deflate">> = {},
): Uint8Array => {
  const w = width, h = height;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0)
    throw new InvalidArgumentError("pngFromScanlines", "width, height", "positive integers", { width, height });
  const ch = color === "rgba" ? 4 : color === "rgb" ? 3 : color === "gray" ? 1 : 0;
  if (ch === 0) throw new InvalidArgumentError("pngFromScanlines", "color", '"rgba", "rgb" or "gray"', color);
  if (!(raw instanceof Uint8Array) || raw.length !== (w * ch + 1) * h)
    throw new InvalidArgumentError("pngFromScanlines", "raw", `a Uint8Array of (width × ${ch} + 1) × height = ${(w * ch + 1) * h} bytes`, raw?.length);
  const level = opts.level ?? DEFAULT_ENCODE_PNG.level;
  const colorType = color === "rgba" ? 6 : color === "rgb" ? 2 : 0;
  const idat = opts.deflate ? opts.deflate(raw, level) : zlibSync(raw, { level: level as 0 });
  const out = new Uint8Array(8 + 25 + 12 + idat.length + 12);
  const dv = new DataView(out.buffer);
  out.set([137, 80, 78, 71, 13, 10, 26, 10], 0);
  let p = 8;
  const chunk = (type: string, body: Uint8Array | null, len: number, write?: (at: number) => void) => {
    dv.setUint32(p, len);
    for (let i = 0; i < 4; i++) out[p + 4 + i] = type.charCodeAt(i);
    if (body) out.set(body, p + 8);
    else write?.(p + 8);
    dv.setUint32(p + 8 + len, __crc32(out, p + 4, p + 8 + len));
    p += 12 + len;
  };
  chunk("IHDR", null, 13, (at) => {
    dv.setUint32(at, w);
    dv.setUint32(at + 4, h);
    out[at + 8] = 8;
    out[at + 9] = colorType;
    out[at + 10] = 0;
    out[at + 11] = 0;
    out[at + 12] = 0;
  });
  chunk("IDAT", idat, idat.length);
  chunk("IEND", null, 0);
  return out;
};
