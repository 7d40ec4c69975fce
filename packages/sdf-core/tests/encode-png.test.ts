import { describe, expect, it } from "vitest";
import { unzlibSync } from "fflate";
import { encodePng, InvalidArgumentError } from "@sdfkit/sdf-core";

/** Minimal PNG decoder for the oracle: IHDR + IDAT, filters None/Sub/Up/Average/Paeth, 8-bit. */
const decode = (png: Uint8Array) => {
  const dv = new DataView(png.buffer, png.byteOffset);
  let p = 8, w = 0, h = 0, ct = 0;
  const idat: Uint8Array[] = [];
  while (p < png.length) {
    const len = dv.getUint32(p);
    const type = String.fromCharCode(...png.subarray(p + 4, p + 8));
    if (type === "IHDR") { w = dv.getUint32(p + 8); h = dv.getUint32(p + 12); ct = png[p + 17]; }
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
  return { w, h, ch, out };
};

describe("encodePng", () => {
  it("round-trips RGBA, RGB and grey images exactly", () => {
    const w = 7, h = 5;
    const data = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
    const d = decode(encodePng({ width: w, height: h, data }));
    expect([d.w, d.h, d.ch]).toEqual([w, h, 4]);
    expect(Array.from(d.out)).toEqual(Array.from(data));
    for (let i = 3; i < data.length; i += 4) data[i] = 255;
    const rgb = decode(encodePng({ width: w, height: h, data }));
    expect(rgb.ch).toBe(3);
    for (let i = 0; i < w * h; i++) expect(Array.from(rgb.out.subarray(3 * i, 3 * i + 3))).toEqual(Array.from(data.subarray(4 * i, 4 * i + 3)));
    for (let i = 0; i < data.length; i += 4) data[i + 1] = data[i + 2] = data[i];
    const g = decode(encodePng({ width: w, height: h, data }));
    expect(g.ch).toBe(1);
    for (let i = 0; i < w * h; i++) expect(g.out[i]).toBe(data[4 * i]);
  });
  it("rejects a data array of the wrong size", () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(15) })).toThrow(InvalidArgumentError);
  });
});
