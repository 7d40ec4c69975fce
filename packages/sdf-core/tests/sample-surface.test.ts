import { describe, expect, it } from "vitest";
import { createRng, sampleSurface, triangleAreaCdf, triangleAreas, InvalidArgumentError, MeshError, type Mesh } from "@sdfkit/sdf-core";

// a mesh with triangles of very different areas: a 1x1 square (2 tris), a 3x1 rectangle (2 tris),
// a small triangle and a zero-area triangle
const mixed = (): Mesh => ({
  positions: new Float32Array([
    0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, // square z=0
    0, 0, 1, 3, 0, 1, 3, 0, 2, 0, 0, 2, // rectangle y=0 plane at x..3, z 1..2
    5, 5, 5, 5.2, 5, 5, 5, 5.1, 5, // small triangle
    7, 7, 7, 8, 8, 8, 9, 9, 9, // collinear: zero area
  ]),
  indices: new Uint32Array([0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7, 8, 9, 10, 11, 12, 13]),
});

/** distance from p to the plane of triangle t and whether its barycentrics are inside */
const onTriangle = (m: Mesh, t: number, x: number, y: number, z: number): boolean => {
  const P = m.positions, I = m.indices;
  const a = [P[3 * I[3 * t]], P[3 * I[3 * t] + 1], P[3 * I[3 * t] + 2]];
  const b = [P[3 * I[3 * t + 1]], P[3 * I[3 * t + 1] + 1], P[3 * I[3 * t + 1] + 2]];
  const c = [P[3 * I[3 * t + 2]], P[3 * I[3 * t + 2] + 1], P[3 * I[3 * t + 2] + 2]];
  const v0 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]], v1 = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
  const v2 = [x - a[0], y - a[1], z - a[2]];
  const dot = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const d00 = dot(v0, v0), d01 = dot(v0, v1), d11 = dot(v1, v1), d20 = dot(v2, v0), d21 = dot(v2, v1);
  const den = d00 * d11 - d01 * d01;
  const v = (d11 * d20 - d01 * d21) / den, w = (d00 * d21 - d01 * d20) / den, u = 1 - v - w;
  const rx = u * a[0] + v * b[0] + w * c[0] - x, ry = u * a[1] + v * b[1] + w * c[1] - y, rz = u * a[2] + v * b[2] + w * c[2] - z;
  const eps = 1e-5;
  return u >= -eps && v >= -eps && w >= -eps && Math.hypot(rx, ry, rz) < 1e-5;
};

describe("sampleSurface", () => {
  it("triangleAreaCdf is the running sum of twice the triangle areas", () => {
    const m = mixed(), a = triangleAreas(m), cdf = triangleAreaCdf(m);
    let sum = 0;
    for (let t = 0; t < a.length; t++) {
      sum += 2 * a[t];
      expect(cdf[t]).toBeCloseTo(sum, 5);
    }
  });
  it("puts every point on its triangle with that triangle's unit normal", () => {
    const m = mixed();
    const s = sampleSurface(m, 5000, { rng: createRng(3) });
    for (let i = 0; i < 5000; i++) {
      expect(onTriangle(m, s.faces[i], s.points[3 * i], s.points[3 * i + 1], s.points[3 * i + 2])).toBe(true);
      expect(Math.hypot(s.normals[3 * i], s.normals[3 * i + 1], s.normals[3 * i + 2])).toBeCloseTo(1, 5);
      expect(s.faces[i]).not.toBe(5); // zero-area triangle never chosen
    }
    // triangle 0 (0,0,0),(1,0,0),(1,1,0): normal +z
    const i0 = Array.from(s.faces).indexOf(0);
    expect([s.normals[3 * i0], s.normals[3 * i0 + 1], s.normals[3 * i0 + 2]]).toEqual([0, 0, 1]);
  });

  it("draws triangles in proportion to area (chi-square within tolerance), stratified within ±1", () => {
    const m = mixed();
    const areas = triangleAreas(m);
    const total = areas.reduce((a, b) => a + b, 0);
    const n = 40000;
    for (const stratified of [false, true]) {
      const s = sampleSurface(m, n, { rng: createRng(11), stratified });
      const counts = new Array(6).fill(0);
      for (const f of s.faces) counts[f]++;
      let chi2 = 0;
      for (let t = 0; t < 6; t++) {
        const e = (n * areas[t]) / total;
        if (e > 0) chi2 += (counts[t] - e) ** 2 / e;
        else expect(counts[t]).toBe(0);
        if (stratified) expect(Math.abs(counts[t] - e)).toBeLessThanOrEqual(1.5);
      }
      // 4 degrees of freedom: P(chi2 > 18.5) < 0.001
      expect(chi2).toBeLessThan(18.5);
    }
  });

  it("is deterministic by rng and interpolates vertex normals when asked", () => {
    const m = mixed();
    const a = sampleSurface(m, 100, { rng: createRng(5) });
    const b = sampleSurface(m, 100, { rng: createRng(5) });
    expect(a.points).toEqual(b.points);
    const normals = new Float32Array(m.positions.length);
    // vertex normals of the square: vertex 0 → +x, others → +z; interpolation must mix them
    for (let v = 0; v < normals.length / 3; v++) normals[3 * v + 2] = 1;
    normals[0] = 1;
    normals[2] = 0;
    const s = sampleSurface({ ...m, normals }, 2000, { rng: createRng(5), normals: "vertex" });
    let mixedSeen = false;
    for (let i = 0; i < 2000; i++) {
      const l = Math.hypot(s.normals[3 * i], s.normals[3 * i + 1], s.normals[3 * i + 2]);
      expect(l).toBeCloseTo(1, 5);
      if (s.faces[i] <= 1 && s.normals[3 * i] > 0.01 && s.normals[3 * i + 2] > 0.01) mixedSeen = true;
    }
    expect(mixedSeen).toBe(true);
  });

  it("throws typed errors on bad input", () => {
    const m = mixed();
    expect(() => sampleSurface(m, -1, { rng: createRng(1) })).toThrow(InvalidArgumentError);
    expect(() => sampleSurface(m, 1.5, { rng: createRng(1) })).toThrow(InvalidArgumentError);
    expect(() => sampleSurface(m, 10, {} as never)).toThrow(InvalidArgumentError);
    expect(() => sampleSurface(m, 10, { rng: createRng(1), normals: "vertex" })).toThrow(/normals/);
    const flat: Mesh = { positions: new Float32Array([0, 0, 0, 1, 1, 1, 2, 2, 2]), indices: new Uint32Array([0, 1, 2]) };
    expect(() => sampleSurface(flat, 10, { rng: createRng(1) })).toThrow(MeshError);
    expect(() => sampleSurface({ positions: new Float32Array(0), indices: new Uint32Array(0) }, 10, { rng: createRng(1) })).toThrow(MeshError);
  });
});
