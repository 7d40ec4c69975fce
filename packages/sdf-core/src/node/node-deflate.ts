import { constants, deflateSync } from "node:zlib";

/** Native zlib compression for `encodePng({ deflate: nodeDeflate })`. */
export const nodeDeflate = (data: Uint8Array, level: number): Uint8Array => {
  const b = deflateSync(data, { level });
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

/**
 * Native zlib with the run-length strategy (`Z_RLE`): for rendered images (flat background, shaded
 * faces, Up-filtered rows full of zeros) it is about 2× faster than the default strategy at level 6
 * and gives smaller files (measured on DeepCAD renders: 0.8 vs 1.5 ms a 512² view, 1.8 vs 2.0 KB).
 */
export const nodeDeflateRle = (data: Uint8Array, level: number): Uint8Array => {
  const b = deflateSync(data, { level, strategy: constants.Z_RLE });
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};
