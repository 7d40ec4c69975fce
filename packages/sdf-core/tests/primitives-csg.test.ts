import { describe, expect, it } from "vitest";
import {
  box, capsule, cylinder, difference, intersection, plane, rotate, rotationMatrix, scale, smoothUnion, sphere, subtract, torus, translate, union,
  createRng, InvalidArgumentError, type Sdf,
} from "@sdfkit/sdf-core";

const at = (s: Sdf, ...p: number[][]) => Array.from(s(new Float32Array(p.flat())));
const randomPoints = (n: number, seed: number) => {
  const rng = createRng(seed);
  const p = new Float32Array(3 * n);
  for (let i = 0; i < p.length; i++) p[i] = rng.uniform(-1.5, 1.5);
  return p;
};

/** brute-force distance to a surface given as dense samples, as an oracle for exact SDFs */
const nearest = (surf: number[][], x: number, y: number, z: number) => {
  let best = Infinity;
  for (const q of surf) best = Math.min(best, Math.hypot(q[0] - x, q[1] - y, q[2] - z));
  return best;
};

describe("primitives", () => {
  it("sphere, box, cylinder, capsule, torus, plane match hand-computed values", () => {
    expect(at(sphere(0.5, [1, 0, 0]), [1, 0, 0], [3, 0, 0])).toEqual([-0.5, 1.5]);
    const b = at(box([1, 2, 3]), [0, 0, 0], [2, 0, 0], [2, 3, 0], [2, 3, 4], [0.5, 0, 0]);
    expect(b[0]).toBeCloseTo(-1);
    expect(b[1]).toBeCloseTo(1);
    expect(b[2]).toBeCloseTo(Math.SQRT2, 6);
    expect(b[3]).toBeCloseTo(Math.sqrt(3), 6);
    expect(b[4]).toBeCloseTo(-0.5);
    const c = at(cylinder(0.5, 1, [0, 0, 0], "z"), [0, 0, 0], [1, 0, 0], [0, 0, 2], [1.5, 0, 2], [0.3, 0, 0.9]);
    expect(c).toEqual([-0.5, 0.5, 1, expect.closeTo(Math.SQRT2, 6), expect.closeTo(-0.1, 6)]);
    expect(at(cylinder(0.5, 1, [0, 0, 0], "x"), [2, 0, 0])[0]).toBeCloseTo(1);
    expect(at(capsule([0, 0, 0], [0, 1, 0], 0.25), [0, 0.5, 1], [0, -1, 0], [0, 2, 0])).toEqual([0.75, 0.75, 0.75]);
    expect(at(torus(1, 0.25), [1, 0, 0], [0, 0, 0], [0, 1, 1])).toEqual([-0.25, 0.75, expect.closeTo(0.75, 6)]);
    expect(at(torus(1, 0.25, [0, 0, 0], "z"), [0, 1, 0], [0, 0, 1])).toEqual([-0.25, expect.closeTo(Math.SQRT2 - 0.25, 6)]);
    expect(at(plane([0, 0, 2], 1), [5, 5, 3], [0, 0, 0])).toEqual([2, -1]);
  });

  it("box and cylinder are exact outside (brute-force nearest surface sample)", () => {
    // dense surface samples of box half (0.5, 0.3, 0.2)
    const h = [0.5, 0.3, 0.2];
    const surf: number[][] = [];
    const N = 40;
    for (let a = 0; a < 3; a++) {
      const u = (a + 1) % 3, v = (a + 2) % 3;
      for (const sgn of [-1, 1])
        for (let i = 0; i <= N; i++)
          for (let j = 0; j <= N; j++) {
            const p = [0, 0, 0];
            p[a] = sgn * h[a];
            p[u] = -h[u] + (2 * h[u] * i) / N;
            p[v] = -h[v] + (2 * h[v] * j) / N;
            surf.push(p);
          }
    }
    const pts = randomPoints(60, 7);
    const d = box(h as [number, number, number])(pts);
    for (let i = 0; i < 60; i++) {
      const [x, y, z] = [pts[3 * i], pts[3 * i + 1], pts[3 * i + 2]];
      const inside = Math.abs(x) < h[0] && Math.abs(y) < h[1] && Math.abs(z) < h[2];
      expect(Math.sign(d[i])).toBe(inside ? -1 : 1);
      expect(Math.abs(Math.abs(d[i]) - nearest(surf, x, y, z))).toBeLessThan(0.02);
    }
  });

  it("rejects bad parameters and bad point buffers with InvalidArgumentError", () => {
    expect(() => sphere(-1)).toThrow(InvalidArgumentError);
    expect(() => box([1, 0, 1])).toThrow(InvalidArgumentError);
    expect(() => cylinder(1, 1, [0, 0, 0], "w" as never)).toThrow(/axis/);
    expect(() => plane([0, 0, 0])).toThrow(InvalidArgumentError);
    expect(() => sphere(1)(new Float32Array(4))).toThrow(/multiple of 3/);
    expect(() => sphere(1)(new Float32Array(6), new Float32Array(1))).toThrow(/out/);
    expect(() => sphere(1, [NaN, 0, 0])).toThrow(InvalidArgumentError);
  });
});

describe("csg", () => {
  const a = sphere(0.5), b = sphere(0.5, [0.6, 0, 0]);
  const pts = randomPoints(500, 3);
  const da = a(pts), db = b(pts);
  it("union/intersection/difference are min/max/max(a,-b)", () => {
    const u = union(a, b)(pts), i = intersection(a, b)(pts), d = difference(a, b)(pts);
    for (let k = 0; k < 500; k++) {
      expect(u[k]).toBe(Math.min(da[k], db[k]));
      expect(i[k]).toBe(Math.max(da[k], db[k]));
      expect(d[k]).toBe(Math.max(da[k], -db[k]));
    }
    expect(subtract).toBe(difference);
  });
  it("smoothUnion is ≤ union, equal where |a-b| ≥ k, and lowers by k/4 where a = b", () => {
    const k = 0.2;
    const s = smoothUnion(k, a, b)(pts);
    for (let i = 0; i < 500; i++) {
      const m = Math.min(da[i], db[i]);
      expect(s[i]).toBeLessThanOrEqual(m + 1e-7);
      if (Math.abs(da[i] - db[i]) >= k) expect(s[i]).toBeCloseTo(m, 6);
    }
    expect(at(smoothUnion(k, a, b), [0.3, 0, 0])[0]).toBeCloseTo(-0.2 - k / 4, 6);
  });
  it("translate, rotate (matrix or axis-angle), scale move the shape and keep exact distances", () => {
    const t = translate(box([0.1, 0.2, 0.3]), [1, 0, 0]);
    expect(at(t, [1, 0, 0], [1.5, 0, 0])).toEqual([expect.closeTo(-0.1, 6), expect.closeTo(0.4, 6)]);
    // box long along x, rotated 90° about z: long along y
    const r = rotate(box([1, 0.1, 0.1]), { axis: [0, 0, 1], angle: Math.PI / 2 });
    expect(at(r, [0, 0.95, 0], [0.95, 0, 0])).toEqual([expect.closeTo(-0.05, 5), expect.closeTo(0.85, 5)]);
    const m = rotationMatrix([0, 0, 1], Math.PI / 2);
    expect(at(rotate(box([1, 0.1, 0.1]), m), [0, 0.95, 0])[0]).toBeCloseTo(-0.05, 5);
    expect(() => rotate(a, [1, 0, 0, 0, 1, 0, 0, 0, 2])).toThrow(/orthonormal/);
    expect(() => rotate(a, [1, 0, 0, 0, 1, 0, 0, 0, -1])).toThrow(/det/);
    expect(at(scale(sphere(0.5), 2), [2, 0, 0])[0]).toBeCloseTo(1, 6);
    expect(() => scale(a, 0)).toThrow(InvalidArgumentError);
  });
  it("writes into out and rejects non-functions", () => {
    const out = new Float32Array(500);
    expect(union(a, b)(pts, out)).toBe(out);
    expect(() => union()).toThrow(InvalidArgumentError);
    expect(() => union(a, 3 as never)).toThrow(/sdfs\[1\]/);
  });
});

describe("sdfGradient", () => {
  it("is the analytic gradient of a sphere and a box face, from one batch call", async () => {
    const { sdfGradient, sphere, box, InvalidArgumentError: IAE } = await import("@sdfkit/sdf-core");
    const pts = new Float32Array([0.5, 0, 0, 0, -0.3, 0.4, 0.2, 0.3, -0.1]);
    let calls = 0;
    const s = sphere(0.5);
    const g = sdfGradient((p, o) => (calls++, s(p, o)), pts);
    expect(calls).toBe(1);
    for (let i = 0; i < 3; i++) {
      const r = Math.hypot(pts[3 * i], pts[3 * i + 1], pts[3 * i + 2]);
      for (let a = 0; a < 3; a++) expect(g[3 * i + a]).toBeCloseTo(pts[3 * i + a] / r, 4);
    }
    const b = sdfGradient(box([0.5, 0.2, 0.3]), new Float32Array([0.1, 0.05, 0.31]), { step: 5e-3 });
    expect(Array.from(b)).toEqual([expect.closeTo(0, 5), expect.closeTo(0, 5), expect.closeTo(1, 4)]);
    const out = new Float32Array(9);
    expect(sdfGradient(s, pts, {}, out)).toBe(out);
    expect(() => sdfGradient(s, new Float32Array(4))).toThrow(IAE);
    expect(() => sdfGradient(s, pts, { step: 0 })).toThrow(/step/);
    expect(() => sdfGradient(() => new Float32Array(1), pts)).toThrow(/sdf/);
  });
});
