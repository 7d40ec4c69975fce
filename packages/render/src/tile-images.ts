import type { RgbaImage } from "@sdfkit/sdf-core";
import { drawText, InvalidArgumentError } from "@sdfkit/sdf-core";
import type { Rgb } from "./api.js";

/** Options of {@link tileImages}. */
export interface TileImagesOptions {
  /** Pixels between tiles and around the grid. @defaultValue 0 */
  gap: number;
  /** Colour of the gaps and of empty cells. @defaultValue [255, 255, 255] */
  background: Rgb;
  /** One caption per image, drawn in its top-left corner (5×7 bitmap font, upper case). @defaultValue undefined */
  labels?: string[];
  /** Caption scale (pixel size of one font dot). @defaultValue 2 */
  labelScale: number;
  /** Caption colour. @defaultValue [0, 0, 0] */
  labelColor: Rgb;
}
export const DEFAULT_TILE_IMAGES: TileImagesOptions = { gap: 0, background: [255, 255, 255], labelScale: 2, labelColor: [0, 0, 0] };

/** Draw a caption into an image in place (5×7 font; unknown characters print as '?'): sdf-core's `drawText`. */
export const drawLabel = (img: RgbaImage, text: string, x: number, y: number, scale = 2, color: Rgb = [0, 0, 0]): RgbaImage => drawText(img, text, x, y, scale, color);

/**
 * Tile images into a grid of `cols` columns, row by row (OpenECAD's 2×2: iso, x, y, z). Tiles keep
 * their size; the cell size is the largest tile. Optional captions per tile.
 */
export const tileImages = (images: RgbaImage[], cols: number, opts: Partial<TileImagesOptions> = {}): RgbaImage => {
  const o = { ...DEFAULT_TILE_IMAGES, ...opts };
  if (!Array.isArray(images) || images.length === 0) throw new InvalidArgumentError("tileImages", "images", "a non-empty array of images", images);
  if (!Number.isInteger(cols) || cols < 1) throw new InvalidArgumentError("tileImages", "cols", "an integer >= 1", cols);
  if (o.labels && o.labels.length !== images.length) throw new InvalidArgumentError("tileImages", "labels", `${images.length} captions`, o.labels.length);
  const cw = Math.max(...images.map((i) => i.width)), ch = Math.max(...images.map((i) => i.height));
  const rows = Math.ceil(images.length / cols);
  const W = cols * cw + (cols + 1) * o.gap, H = rows * ch + (rows + 1) * o.gap;
  const data = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    data[4 * i] = o.background[0]; data[4 * i + 1] = o.background[1]; data[4 * i + 2] = o.background[2]; data[4 * i + 3] = 255;
  }
  const out: RgbaImage = { width: W, height: H, data };
  images.forEach((img, k) => {
    const x0 = o.gap + (k % cols) * (cw + o.gap), y0 = o.gap + Math.floor(k / cols) * (ch + o.gap);
    for (let y = 0; y < img.height; y++) data.set(img.data.subarray(4 * y * img.width, 4 * (y + 1) * img.width), 4 * ((y0 + y) * W + x0));
    if (o.labels) drawLabel(out, o.labels[k], x0 + 2 * o.labelScale, y0 + 2 * o.labelScale, o.labelScale, o.labelColor);
  });
  return out;
};
