import { describe, expect, it } from "vitest";
import { decodePng as decode } from "../../../test-utils/png-decode.js";
import { encodePng, InvalidArgumentError } from "@sdfkit/sdf-core";

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

describe("encodePng with native zlib", () => {
  it("gives the same pixels as the fflate path", async () => {
    const { nodeDeflate } = await import("@sdfkit/sdf-core/node");
    const w = 64, h = 48;
    const data = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 256;
    const a = decode(encodePng({ width: w, height: h, data }));
    const b = decode(encodePng({ width: w, height: h, data }, { deflate: nodeDeflate }));
    expect(Array.from(b.out)).toEqual(Array.from(a.out));
  });
});
