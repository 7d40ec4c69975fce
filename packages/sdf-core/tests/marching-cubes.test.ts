import { describe, expect, it } from "vitest";
import {
  box, difference, marchingCubes, meshEdges, sampleGrid, sphere, torus, gridToNdarray, gridFromNdarray, cylinder, union,
  InvalidArgumentError, type Grid3, type Mesh, type Sdf,
} from "@sdfkit/sdf-core";
import ndarray from "ndarray";

const B = { min: [-1, -1, -1] as [number, number, number], max: [1, 1, 1] as [number, number, number] };

const signedVolume = (m: Mesh) => {
  const P = m.positions, I = m.indices;
  let v = 0;
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t], b = 3 * I[t + 1], c = 3 * I[t + 2];
    v += P[a] * (P[b + 1] * P[c + 2] - P[b + 2] * P[c + 1]) - P[a + 1] * (P[b] * P[c + 2] - P[b + 2] * P[c]) + P[a + 2] * (P[b] * P[c + 1] - P[b + 1] * P[c]);
  }
  return v / 6;
};

/** closed 2-manifold check by vertex index; returns the Euler characteristic */
const checkClosed = (m: Mesh) => {
  const e = meshEdges(m);
  const ne = e.edges.length / 2;
  let bad = 0;
  for (let i = 0; i < ne; i++) if (e.edgeFaceOffsets[i + 1] - e.edgeFaceOffsets[i] !== 2) bad++;
  expect(bad).toBe(0);
  // consistent orientation: each edge is used once in each direction
  const dir = new Map<string, number>();
  const I = m.indices;
  for (let t = 0; t < I.length; t += 3)
    for (let k = 0; k < 3; k++) {
      const key = `${I[t + k]},${I[t + ((k + 1) % 3)]}`;
      dir.set(key, (dir.get(key) ?? 0) + 1);
    }
  expect(Math.max(...dir.values())).toBe(1);
  return m.positions.length / 3 - ne + I.length / 3;
};

const maxAbsSdfAtVertices = (s: Sdf, m: Mesh) => Math.max(...Array.from(s(m.positions), Math.abs));

describe("sampleGrid", () => {
  it("samples x fastest, both bounds inclusive, in batches, into out", () => {
    const s: Sdf = (p, out) => {
      const o = out ?? new Float32Array(p.length / 3);
      for (let i = 0; i < o.length && 3 * i < p.length; i++) o[i] = p[3 * i] + 10 * p[3 * i + 1] + 100 * p[3 * i + 2];
      return o;
    };
    const out = new Float32Array(3 * 4 * 5 + 7);
    const g = sampleGrid(s, { res: [3, 4, 5], bounds: { min: [0, 0, 0], max: [2, 3, 4] }, batchSize: 7 }, out);
    expect(g.data.buffer).toBe(out.buffer);
    for (let k = 0; k < 5; k++) for (let j = 0; j < 4; j++) for (let i = 0; i < 3; i++) expect(g.data[i + 3 * (j + 4 * k)]).toBeCloseTo(i + 10 * j + 100 * k, 4);
    // an SDF that ignores out still works
    const g2 = sampleGrid((p) => new Float32Array(p.length / 3).fill(2), { res: 2, bounds: B, batchSize: 3 });
    expect(Array.from(g2.data)).toEqual(new Array(8).fill(2));
  });
  it("rejects bad res, bounds, batch size and SDF output", () => {
    expect(() => sampleGrid(sphere(1), { res: 1, bounds: B })).toThrow(InvalidArgumentError);
    expect(() => sampleGrid(sphere(1), { res: [4, 4, 2.5] as never, bounds: B })).toThrow(/res/);
    expect(() => sampleGrid(sphere(1), { res: 4, bounds: { min: [0, 0, 0], max: [1, 0, 1] } })).toThrow(/bounds/);
    expect(() => sampleGrid(sphere(1), { res: 4, bounds: B, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => sampleGrid(() => new Float32Array(1), { res: 4, bounds: B })).toThrow(/sdf/);
  });
  it("shares memory with ndarray [nz, ny, nx] both ways", () => {
    const g = sampleGrid(sphere(0.5), { res: [4, 5, 6], bounds: B });
    const a = gridToNdarray(g);
    expect(a.shape).toEqual([6, 5, 4]);
    expect(a.data).toBe(g.data);
    expect(a.get(2, 3, 1)).toBe(g.data[1 + 4 * (3 + 5 * 2)]);
    const back = gridFromNdarray(a, B);
    expect(back.data).toBe(g.data);
    expect(back.res).toEqual([4, 5, 6]);
    // a transposed view is copied into x-fastest order
    const t = gridFromNdarray(a.transpose(2, 1, 0), B);
    expect(t.res).toEqual([6, 5, 4]);
    expect(t.data[3 + 6 * (1 + 5 * 2)]).toBe(a.get(3, 1, 2));
    expect(() => gridFromNdarray(ndarray(new Float32Array(4), [2, 2]), B)).toThrow(InvalidArgumentError);
  });
});

describe("marchingCubes", () => {
  it("sphere: closed, oriented outward, vertices on the level set, volume within 1 %", () => {
    const s = sphere(0.5);
    const res = 64;
    const h = 2 / (res - 1);
    const m = marchingCubes(sampleGrid(s, { res, bounds: B }));
    expect(checkClosed(m)).toBe(2);
    expect(maxAbsSdfAtVertices(s, m)).toBeLessThan(h);
    const v = signedVolume(m), exact = (4 / 3) * Math.PI * 0.125;
    expect(v).toBeGreaterThan(0);
    expect(Math.abs(v - exact) / exact).toBeLessThan(0.01);
  });
  it("box and a CSG part: closed, volume close to analytic", () => {
    const s = box([0.4, 0.3, 0.5]);
    const m = marchingCubes(sampleGrid(s, { res: 80, bounds: B }));
    expect(checkClosed(m)).toBe(2);
    expect(Math.abs(signedVolume(m) - 0.48) / 0.48).toBeLessThan(0.01);
    // plate with a through hole: genus 1
    const part = difference(box([0.6, 0.15, 0.45]), cylinder(0.2, 0.5, [0, 0, 0], "y"));
    const mp = marchingCubes(sampleGrid(part, { res: 80, bounds: B }));
    expect(checkClosed(mp)).toBe(0);
    const exact = 1.2 * 0.3 * 0.9 - Math.PI * 0.04 * 0.3;
    expect(Math.abs(signedVolume(mp) - exact) / exact).toBeLessThan(0.02);
  });
  it("torus: genus 1 (Euler characteristic 0), volume within 2 %, normals match the analytic gradient", () => {
    const s = torus(0.5, 0.2);
    const m = marchingCubes(sampleGrid(s, { res: 72, bounds: B }), { computeNormals: true });
    expect(checkClosed(m)).toBe(0);
    const exact = 2 * Math.PI * Math.PI * 0.5 * 0.04;
    expect(Math.abs(signedVolume(m) - exact) / exact).toBeLessThan(0.02);
    const n = m.normals!;
    let worst = 1;
    for (let v = 0; v < n.length / 3; v++) {
      const [x, y, z] = [m.positions[3 * v], m.positions[3 * v + 1], m.positions[3 * v + 2]];
      const r = Math.hypot(x, z);
      const cx = (x / r) * 0.5, cz = (z / r) * 0.5;
      const g = [x - cx, y, z - cz], gl = Math.hypot(g[0], g[1], g[2]);
      worst = Math.min(worst, (g[0] * n[3 * v] + g[1] * n[3 * v + 1] + g[2] * n[3 * v + 2]) / gl);
    }
    expect(worst).toBeGreaterThan(0.98);
  });
  it("anisotropic res and bounds; a single cell (res 2)", () => {
    const s = sphere(0.4, [0.1, -0.05, 0.2]);
    const m = marchingCubes(sampleGrid(s, { res: [41, 57, 73], bounds: { min: [-0.5, -0.6, -0.4], max: [0.7, 0.5, 0.9] } }));
    expect(checkClosed(m)).toBe(2);
    const exact = (4 / 3) * Math.PI * 0.064;
    expect(Math.abs(signedVolume(m) - exact) / exact).toBeLessThan(0.02);
    expect(maxAbsSdfAtVertices(s, m)).toBeLessThan(1.2 / 40);
    const one = marchingCubes({ data: new Float32Array([-1, 1, 1, 1, 1, 1, 1, 1]), res: [2, 2, 2], bounds: { min: [0, 0, 0], max: [1, 1, 1] } });
    expect(Array.from(one.indices)).toEqual([0, 1, 2]); // normal (1, 1, 1): away from the inside corner
    expect(Array.from(one.positions)).toEqual([0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5]);
  });
  it("two separate spheres and a non-zero iso; nothing crosses → empty mesh", () => {
    const s = union(sphere(0.3, [-0.5, 0, 0]), sphere(0.3, [0.5, 0, 0]));
    const m = marchingCubes(sampleGrid(s, { res: 48, bounds: B }), { iso: 0.05 });
    expect(checkClosed(m)).toBe(4);
    expect(maxAbsSdfAtVertices(s, m) - 0.05).toBeLessThan(2 / 47);
    const empty = marchingCubes(sampleGrid(sphere(5), { res: 8, bounds: B }));
    expect([empty.positions.length, empty.indices.length]).toEqual([0, 0]);
  });
  it("is closed and consistently oriented on random noise fields (many ambiguous faces)", () => {
    for (const s0 of [12345, 7, 99, 2024]) {
      let seed = s0;
      const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const n = 14;
      const data = new Float32Array(n * n * n);
      for (let k = 0; k < n; k++)
        for (let j = 0; j < n; j++)
          for (let i = 0; i < n; i++) {
            const border = i === 0 || j === 0 || k === 0 || i === n - 1 || j === n - 1 || k === n - 1;
            data[i + n * (j + n * k)] = border ? 1 : rand() - 0.5;
          }
      const m = marchingCubes({ data, res: [n, n, n], bounds: B });
      expect(m.indices.length).toBeGreaterThan(0);
      checkClosed(m);
      expect(signedVolume(m)).toBeGreaterThan(0);
    }
  });
  it("throws typed errors on malformed grids and NaN samples", () => {
    const g = sampleGrid(sphere(0.5), { res: 8, bounds: B });
    expect(() => marchingCubes({ ...g, res: [8, 8, 7] })).toThrow(InvalidArgumentError);
    expect(() => marchingCubes({ ...g, res: [1, 8, 8] } as Grid3)).toThrow(/res/);
    expect(() => marchingCubes({ ...g, bounds: { min: [0, 0, 0], max: [0, 1, 1] } })).toThrow(/bounds/);
    expect(() => marchingCubes(g, { iso: NaN })).toThrow(/iso/);
    const bad = g.data.slice();
    bad[3 + 8 * (2 + 8 * 5)] = NaN;
    expect(() => marchingCubes({ ...g, data: bad })).toThrow(/NaN at sample 339 \(i 3, j 2, k 5\)/);
    bad[3 + 8 * (2 + 8 * 5)] = Infinity;
    expect(() => marchingCubes({ ...g, data: bad })).toThrow(InvalidArgumentError);
  });
});
