import type { Mesh } from "@sdfkit/sdf-core";
import type { RenderOptions } from "../api.js";
import { __rasterize, type MeshPrep } from "./rasterize.js";
import { __shadeInto } from "./shade.js";

// Per-thread scratch: the grey frame (background outside `_greyRect`) and its PNG scanlines
// (zero outside row 0 and `_rawRect`), so each view rewrites only the part's rectangle.
let _grey = new Uint8Array(0);
let _greyW = 0;
let _greyBg = -1;
const _greyRect: [number, number, number, number] = [0, 0, -1, -1];
let _raw = new Uint8Array(0);
let _rawW = 0;
let _row32 = new Uint32Array(0);
const _rawRect: [number, number, number, number] = [0, 0, -1, -1];

/** @internal Set rows y0..y1, columns x0..x1 of a `stride`-wide buffer starting at `off` to v. */
const __fillRect = (a: Uint8Array, stride: number, off: number, r: [number, number, number, number], v: number) => {
  for (let y = r[1]; y <= r[3] && r[0] <= r[2]; y++) a.fill(v, off + y * stride + r[0], off + y * stride + r[2] + 1);
};

/**
 * @internal Up-filter rows ys..ye, words k0..k1 (4 pixels each) of a grey frame w wide (w % 4 = 0)
 * into the scanlines `raw` (w + 1 bytes a row). Bytewise a − b mod 256 without borrows between
 * bytes is ((a | H) − (b & ~H)) ^ ((a ^ ~b) & H), H = 0x80808080; each row of differences goes
 * to the unaligned scanline by one copy. Kept apart from its caller (as is {@link __upDiffBytes})
 * so the optimiser compiles the loop as a whole function instead of entering it mid-loop.
 */
const __upDiffWords = (grey: Uint8Array, raw: Uint8Array, w: number, h: number, k0: number, k1: number, ys: number, ye: number) => {
  const s = w + 1, q = w >> 2;
  const g32 = new Uint32Array(grey.buffer, grey.byteOffset, (w * h) >> 2);
  _row32 = _row32.length >= q ? _row32 : new Uint32Array(q);
  const row32 = _row32, row8 = new Uint8Array(row32.buffer, 0, w);
  for (let y = ys; y <= ye; y++) {
    for (let k = k0, c = y * q + k0; k <= k1; k++, c++) {
      const a = g32[c], b = g32[c - q];
      row32[k] = ((a | 0x80808080) - (b & 0x7f7f7f7f)) ^ ((a ^ ~b) & 0x80808080);
    }
    raw.set(row8.subarray(4 * k0, 4 * k1 + 4), y * s + 1 + 4 * k0);
  }
};

/** @internal {@link __upDiffWords} a byte at a time, for widths that are not a multiple of 4. */
const __upDiffBytes = (grey: Uint8Array, raw: Uint8Array, w: number, x0: number, x1: number, ys: number, ye: number) => {
  const s = w + 1;
  for (let y = ys; y <= ye && x0 <= x1; y++) {
    const d = y * s + 1, c = y * w, p = c - w;
    for (let x = x0; x <= x1; x++) raw[d + x] = grey[c + x] - grey[p + x];
  }
};

/**
 * @internal One view of a mesh whose colours are all grey (r = g = b for `color`, `background`
 * and `edgeColor`, no labels) as PNG scanlines: 1 byte a pixel, every row Up-filtered (filter
 * type 2), ready for `pngFromScanlines(raw, size, size, "gray")`. The bytes equal those
 * `encodePng(renderMesh(mesh, o), { color: "gray" })` compresses, but only the part's rectangle is
 * shaded and filtered: outside it the background's Up difference is 0. `prep` is shared by all
 * views of the (validated) mesh.
 * Returns per-thread scratch, valid until the next call.
 */
export const __greyScanlines = (mesh: Mesh, o: RenderOptions, prep: MeshPrep): { raw: Uint8Array; width: number; height: number } => {
  const { shade, camera } = __rasterize(mesh, o, prep);
  const w = shade.width, h = shade.height;
  const bg = Math.min(255, Math.max(0, Math.round(o.background[0])));
  if (_greyW !== w || _grey.length !== w * h) {
    _grey = new Uint8Array(w * h).fill(bg);
    _greyW = w;
  } else if (bg !== _greyBg) _grey.fill(bg);
  else __fillRect(_grey, w, 0, _greyRect, bg);
  _greyBg = bg;
  // until the rectangle is known, the whole frame is dirty (a throw leaves the next call a full clear)
  _greyRect[0] = 0; _greyRect[1] = 0; _greyRect[2] = w - 1; _greyRect[3] = h - 1;
  __shadeInto(shade, camera, o, _grey, true);
  const [x0, y0, x1, y1] = shade.rect ?? [0, 0, w - 1, h - 1];
  _greyRect[0] = x0; _greyRect[1] = y0; _greyRect[2] = x1; _greyRect[3] = y1;
  const grey = _grey, s = w + 1;
  if (_rawW !== w || _raw.length !== s * h) {
    _raw = new Uint8Array(s * h);
    for (let y = 0; y < h; y++) _raw[y * s] = 2;
    _rawW = w;
  } else __fillRect(_raw, s, 1, _rawRect, 0);
  const raw = _raw;
  _rawRect[0] = 0; _rawRect[1] = 0; _rawRect[2] = w - 1; _rawRect[3] = h - 1;
  // row 0 (Up against an all-zero row): the pixels themselves
  raw.set(grey.subarray(0, w), 1);
  // rows whose pixel or the one above lies in the rectangle; elsewhere both are background
  const ys = Math.max(1, y0), ye = Math.min(h - 1, y1 + 1);
  if (w % 4 === 0 && x0 <= x1) {
    __upDiffWords(grey, raw, w, h, x0 >> 2, x1 >> 2, ys, ye);
    _rawRect[0] = 4 * (x0 >> 2); _rawRect[2] = 4 * (x1 >> 2) + 3;
  } else {
    __upDiffBytes(grey, raw, w, x0, x1, ys, ye);
    _rawRect[0] = x0; _rawRect[2] = x1;
  }
  _rawRect[1] = ys; _rawRect[3] = ye;
  return { raw, width: w, height: h };
};
