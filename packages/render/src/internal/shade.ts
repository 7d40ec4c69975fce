import type { RgbaImage } from "@sdfkit/sdf-core";
import type { RenderOptions, Rgb } from "../api.js";
import type { OrthoCamera } from "../camera.js";

export const NO_LABEL = 0xffffffff;

/**
 * @internal What the shader reads. `faceId[i]` indexes `faceN` (per-face unit normals, stride 3) or
 * is −1 where the pixel is empty; a mesh has one id per triangle, a traced SDF one per pixel.
 * `pixelN` (smooth shading) overrides the normal used for lighting; labels come per face or per pixel.
 */
export interface ShadeInput {
  width: number;
  height: number;
  depth: Float32Array;
  faceId: Int32Array;
  faceN: Float32Array;
  pixelN?: Float32Array;
  faceLabel?: Uint32Array;
  pixelLabel?: Uint32Array;
  /** Per face: its flat patch (one plane, see `__flatPatches`); pixels of one patch never make an edge. */
  facePatch?: Int32Array;
  /** Pixel rectangle [x0, y0, x1, y1] (inclusive) holding every covered pixel; found by a scan when absent. */
  rect?: [number, number, number, number];
}

/** @internal Smallest rectangle holding every pixel with faceId ≥ 0 (x1 < x0 when none). */
const __coveredRect = (faceId: Int32Array, w: number, h: number): [number, number, number, number] => {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0, i = y * w; x < w; x++, i++)
      if (faceId[i] >= 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
  return [x0, y0, x1, y1];
};

/**
 * @internal Shade into a packed RGBA image (a new one, or `out` when it has the right size): the
 * background, then {@link __shadeInto}.
 */
export const __shadeRgba = (s: ShadeInput, cam: OrthoCamera, o: RenderOptions, out?: RgbaImage): RgbaImage => {
  const { width: w, height: h } = s;
  const data = out && out.width === w && out.height === h && out.data.length === w * h * 4 ? out.data : new Uint8ClampedArray(w * h * 4);
  const px32 = new Uint32Array(data.buffer, data.byteOffset, w * h);
  px32.fill(__packRgba(o.background[0], o.background[1], o.background[2]));
  __shadeInto(s, cam, o, px32, false);
  return { width: w, height: h, data };
};

/** @internal Opaque RGBA packed little-endian into one 32-bit word (r in the low byte), channels clamped and rounded. */
const __packRgba = (r: number, g: number, b: number) => ((255 << 24) | (__clamp(b) << 16) | (__clamp(g) << 8) | __clamp(r)) >>> 0;
/** @internal A grey level for colours with r = g = b (the caller's promise): the red channel, clamped and rounded. */
const __packGrey = (r: number) => __clamp(r);

/**
 * @internal Shade the covered pixels into `dst`, one element per pixel: packed RGBA words
 * (`grey` false) or grey bytes (`grey` true, for parts whose every colour has r = g = b; the bytes
 * equal the red channel of the RGBA result). Pixels not covered are left as they are (the caller
 * has put the background there); so are all outside `s.rect`. Lambert with ambient and one light fixed in view space (upper left,
 * behind the viewer) so every view is lit alike; surfaces facing away are lit as if flipped
 * (double-sided). Edges: silhouettes where coverage changes or depth jumps by more than a continuous
 * surface of that slope can, creases where neighbouring faces' normals differ by more than
 * `creaseAngle`; pixels of the same face never make an edge.
 */
export const __shadeInto = (s: ShadeInput, cam: OrthoCamera, o: RenderOptions, dst: Uint32Array | Uint8Array, grey: boolean): void => {
  const { width: w, height: h, depth, faceId, faceN, pixelN, faceLabel, pixelLabel, facePatch } = s;
  const f = cam.forward, r = cam.right, u = cam.up;
  let lx = -f[0] * 0.75 + u[0] * 0.55 - r[0] * 0.35, ly = -f[1] * 0.75 + u[1] * 0.55 - r[1] * 0.35, lz = -f[2] * 0.75 + u[2] * 0.55 - r[2] * 0.35;
  const ll = Math.hypot(lx, ly, lz);
  lx /= ll; ly /= ll; lz /= ll;
  const nf = faceN.length / 3;
  // per face: light intensity (flat shading) and tan of the angle to the view direction (depth slope)
  const faceK = new Float32Array(nf);
  const faceTan = new Float32Array(nf);
  // per face: its edge class; two faces of one class never make an edge (see the patch test below)
  const faceEdge = new Int32Array(nf);
  for (let k = 0; k < nf; k++) {
    let nx = faceN[3 * k], ny = faceN[3 * k + 1], nz = faceN[3 * k + 2];
    const c = nx * f[0] + ny * f[1] + nz * f[2];
    if (c > 0) { nx = -nx; ny = -ny; nz = -nz; }
    const d = nx * lx + ny * ly + nz * lz;
    faceK[k] = 0.35 + 0.65 * (d > 0 ? d : 0);
    const ac = Math.abs(c);
    faceTan[k] = ac > 0.05 ? Math.sqrt(1 - ac * ac) / ac : 20;
  }
  // Faces of one flat patch share a class when neither is seen at a grazing angle (tan clamped at 20):
  // then a depth step of one pixel on their common plane stays under the jump threshold, and their
  // normals (within ≈ 1e-4 rad) are under any crease angle above 0.01°. Every other face is its own class.
  const patchOk = facePatch !== undefined && facePatch.length === nf && o.creaseAngle >= 0.01;
  for (let k = 0; k < nf; k++) faceEdge[k] = patchOk && faceTan[k] < 20 ? facePatch[k] : -1 - k;
  const px32 = dst;
  const pack = grey ? __packGrey : __packRgba;
  const pal = o.palette, np = pal.length;
  const [cr, cg, cb] = o.color;
  const [rx0, ry0, rx1, ry1] = s.rect ?? __coveredRect(faceId, w, h);
  if (rx1 < rx0) return;
  // flat shading: one packed colour per face, filled below (with the edges when there are edges)
  const faceC = !pixelN && !pixelLabel ? (grey ? new Uint8Array(nf) : new Uint32Array(nf)) : undefined;
  if (faceC) {
    for (let k = 0; k < nf; k++) {
      const lab = faceLabel ? faceLabel[k] : NO_LABEL;
      const c = lab === NO_LABEL ? o.color : pal[lab % np];
      faceC[k] = pack(c[0] * faceK[k], c[1] * faceK[k], c[2] * faceK[k]);
    }
    if (!o.edges)
      for (let y = ry0; y <= ry1; y++)
        for (let i = y * w + rx0, e = y * w + rx1; i <= e; i++) {
          const id = faceId[i];
          if (id >= 0) px32[i] = faceC[id];
        }
  } else {
    for (let y = ry0; y <= ry1; y++)
      for (let i = y * w + rx0, e = y * w + rx1; i <= e; i++) {
        const id = faceId[i];
        if (id < 0) continue;
        let k: number;
        if (pixelN) {
          let nx = pixelN[3 * i], ny = pixelN[3 * i + 1], nz = pixelN[3 * i + 2];
          if (nx * f[0] + ny * f[1] + nz * f[2] > 0) { nx = -nx; ny = -ny; nz = -nz; }
          const d = nx * lx + ny * ly + nz * lz;
          k = 0.35 + 0.65 * (d > 0 ? d : 0);
        } else k = faceK[id];
        const lab = pixelLabel ? pixelLabel[i] : faceLabel ? faceLabel[id] : NO_LABEL;
        if (lab === NO_LABEL) px32[i] = pack(cr * k, cg * k, cb * k);
        else { const c = pal[lab % np]; px32[i] = pack(c[0] * k, c[1] * k, c[2] * k); }
      }
  }
  if (!o.edges) return;
  const cosT = Math.cos((o.creaseAngle * Math.PI) / 180);
  const px = 1 / cam.scale;
  const edge32 = pack(o.edgeColor[0], o.edgeColor[1], o.edgeColor[2]);
  // a pair of neighbours (a left of / above b) on different faces: silhouette, depth jump or crease
  const mark = (a: number, b: number, fa: number, fb: number) => {
    if (fa < 0) { px32[b] = edge32; return; }
    if (fb < 0) { px32[a] = edge32; return; }
    const da = depth[a], db = depth[b];
    const dz = da > db ? da - db : db - da;
    const ta = faceTan[fa], tb = faceTan[fb];
    if (dz > 1.5 * px && dz > (2 + 1.5 * (ta > tb ? ta : tb)) * px) { px32[da < db ? a : b] = edge32; return; }
    const dot = faceN[3 * fa] * faceN[3 * fb] + faceN[3 * fa + 1] * faceN[3 * fb + 1] + faceN[3 * fa + 2] * faceN[3 * fb + 2];
    if ((dot < 0 ? -dot : dot) < cosT) px32[a] = edge32;
  };
  // Only pairs touching the covered rectangle can differ. Marks depend only on faceId and depth,
  // never on colours, and no mark is ever filled over, so the order of the pairs does not matter.
  const xs = Math.max(0, rx0 - 1), ys = Math.max(0, ry0 - 1);
  if (faceC) {
    // one sweep: fill each pixel, then pair it with its left and upper neighbours; a mark lands on
    // this pixel (just filled) or on one swept before (never filled again)
    const xe = Math.min(w - 1, rx1 + 1), ye = Math.min(h - 1, ry1 + 1);
    for (let y = ys; y <= ye; y++) {
      const up = y > 0 ? w : 0; // 0: no upper neighbour, compare the pixel with itself
      let a = y * w + xs, fl = faceId[a]; // the row's first pixel has no pair on its left inside the sweep
      for (const e = y * w + xe; a <= e; a++) {
        const fa = faceId[a], fu = faceId[a - up];
        if (fa >= 0) px32[a] = faceC[fa];
        if (fa !== fl && (fa < 0 || fl < 0 || faceEdge[fa] !== faceEdge[fl])) mark(a - 1, a, fl, fa);
        if (fa !== fu && (fa < 0 || fu < 0 || faceEdge[fa] !== faceEdge[fu])) mark(a - w, a, fu, fa);
        fl = fa;
      }
    }
    return;
  }
  // each pixel against its right and lower neighbour
  const xe = Math.min(w - 1, rx1), ye = Math.min(h - 1, ry1);
  const xr = Math.min(xe, w - 2); // the last column has no right neighbour
  for (let y = ys; y <= ye; y++) {
    const down = y < h - 1 ? w : 0; // 0: no lower neighbour, compare the pixel with itself
    for (let a = y * w + xs, e = y * w + xr; a <= e; a++) {
      const fa = faceId[a], fr = faceId[a + 1], fd = faceId[a + down];
      if (fa === fr && fa === fd) continue;
      if (fa !== fr && (fa < 0 || fr < 0 || faceEdge[fa] !== faceEdge[fr])) mark(a, a + 1, fa, fr);
      if (fa !== fd && (fa < 0 || fd < 0 || faceEdge[fa] !== faceEdge[fd])) mark(a, a + w, fa, fd);
    }
    if (xr < xe) {
      const a = y * w + xe, fa = faceId[a], fd = faceId[a + down];
      if (fa !== fd && (fa < 0 || fd < 0 || faceEdge[fa] !== faceEdge[fd])) mark(a, a + w, fa, fd);
    }
  }
};

/** @internal Clamp and round to 0..255. */
const __clamp = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));
