import { unzlibSync } from "fflate";

/**
 * Minimal PNG decoder used as a test oracle: IHDR + IDAT, 8-bit grey / RGB / RGBA / palette,
 * filters None/Sub/Up/Average/Paeth. Returns raw channels (`ch` per pixel) and an RGBA expansion.
 */
export const decodePng = (png: Uint8Array) => {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let p = 8, w = 0, h = 0, ct = 0;
  const idat: Uint8Array[] = [];
  let plte: Uint8Array | undefined;
  while (p < png.length) {
    const len = dv.getUint32(p);
    const type = String.fromCharCode(...png.subarray(p + 4, p + 8));
    if (type === "IHDR") { w = dv.getUint32(p + 8); h = dv.getUint32(p + 12); ct = png[p + 17]; }
    if (type === "PLTE") plte = png.subarray(p + 8, p + 8 + len);
    if (type === "IDAT") idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const ch = ct === 6 ? 4 : ct === 2 ? 3 : 1;
  const all = new Uint8Array(idat.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of idat) { all.set(a, o); o += a.length; }
  const raw = unzlibSync(all);
  const stride = w * ch, out = new Uint8Array(stride * h);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= ch ? out[y * stride + i - ch] : 0, b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= ch && y > 0 ? out[(y - 1) * stride + i - ch] : 0;
      const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      out[y * stride + i] = (x + pred) & 0xff;
    }
  }
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    if (ch === 4) rgba.set(out.subarray(4 * i, 4 * i + 4), 4 * i);
    else if (ch === 3) { rgba.set(out.subarray(3 * i, 3 * i + 3), 4 * i); rgba[4 * i + 3] = 255; }
    else if (ct === 3 && plte) { rgba.set(plte.subarray(3 * out[i], 3 * out[i] + 3), 4 * i); rgba[4 * i + 3] = 255; }
    else { rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = out[i]; rgba[4 * i + 3] = 255; }
  }
  return { w, h, ch, out, rgba };
};
