import type { RgbaImage } from "./api.js";
import { FONT_5X7 } from "./internal/font5x7.js";

/**
 * Draw text into an image in place with a 5×7 bitmap font (upper case, digits, common punctuation;
 * unknown characters print as '?'), each font pixel `scale`² image pixels, 6·scale pixels a character.
 * For captions, legends and axis labels of generated pictures.
 */
export const drawText = (img: RgbaImage, text: string, x: number, y: number, scale = 2, color: [number, number, number] = [0, 0, 0]): RgbaImage => {
  let cx = x;
  for (const ch of text.toUpperCase()) {
    const g = FONT_5X7[ch] ?? FONT_5X7["?"];
    for (let row = 0; row < 7; row++)
      for (let col = 0; col < 5; col++) {
        if (!(g[row] & (0x10 >> col))) continue;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const px = cx + col * scale + dx, py = y + row * scale + dy;
            if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
            const p = 4 * (py * img.width + px);
            img.data[p] = color[0]; img.data[p + 1] = color[1]; img.data[p + 2] = color[2]; img.data[p + 3] = 255;
          }
      }
    cx += 6 * scale;
  }
  return img;
};

/** Width in pixels of `text` drawn by {@link drawText} at `scale`. */
export const textWidth = (text: string, scale = 2): number => Math.max(0, 6 * scale * text.length - scale);
