import type { RgbaImage } from "@sdfkit/sdf-core";
import type { RenderBuffers } from "./api.js";

/** Depth buffer as a grey image: near = white, far = dark, empty = black. */
export const depthImage = (b: RenderBuffers): RgbaImage => {
  let lo = Infinity, hi = -Infinity;
  for (const d of b.depth) if (d !== Infinity) { if (d < lo) lo = d; if (d > hi) hi = d; }
  const span = hi > lo ? hi - lo : 1;
  const data = new Uint8ClampedArray(4 * b.width * b.height);
  for (let i = 0; i < b.depth.length; i++) {
    const d = b.depth[i];
    const v = d === Infinity ? 0 : 255 - Math.round((200 * (d - lo)) / span);
    data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = v;
    data[4 * i + 3] = 255;
  }
  return { width: b.width, height: b.height, data };
};

/** Normal buffer as an RGB image ((n + 1) / 2 · 255), empty = black. */
export const normalImage = (b: RenderBuffers): RgbaImage => {
  const data = new Uint8ClampedArray(4 * b.width * b.height);
  for (let i = 0; i < b.depth.length; i++) {
    if (b.depth[i] !== Infinity) for (let k = 0; k < 3; k++) data[4 * i + k] = Math.round((b.normal[3 * i + k] + 1) * 127.5);
    data[4 * i + 3] = 255;
  }
  return { width: b.width, height: b.height, data };
};
