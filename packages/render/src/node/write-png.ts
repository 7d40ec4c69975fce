import type { RgbaImage } from "@sdfkit/sdf-core";
import { encodePng, type EncodePngOptions } from "@sdfkit/sdf-core";
import { nodeDeflateRle, writeFileAtomic } from "@sdfkit/sdf-core/node";

/** Encode an image as PNG with native zlib (run-length strategy) and write it atomically (temp file + rename). */
export const writePng = async (path: string, img: RgbaImage, opts: Partial<EncodePngOptions> = {}): Promise<void> => {
  await writeFileAtomic(path, encodePng(img, { deflate: nodeDeflateRle, ...opts }));
};

/** Encode an image as PNG with native zlib, run-length strategy (Node's fastest path for renders). */
export const encodePngNode = (img: RgbaImage, opts: Partial<EncodePngOptions> = {}): Uint8Array => encodePng(img, { deflate: nodeDeflateRle, ...opts });
