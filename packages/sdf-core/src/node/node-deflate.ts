import { deflateSync } from "node:zlib";

/** Native zlib compression for `encodePng({ deflate: nodeDeflate })`. */
export const nodeDeflate = (data: Uint8Array, level: number): Uint8Array => {
  const b = deflateSync(data, { level });
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};
