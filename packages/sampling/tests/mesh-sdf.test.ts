import { describe, expect, it } from "vitest";
import { marchingCubes, sampleGrid, sphere, box, torus, difference, cylinder, createRng, normalizeMesh, InvalidArgumentError, MeshError, type Mesh, type Sdf } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { MeshSdf } from "@sdfkit/sampling";
import { sharedData } from "../../../test-utils/shared-data.js";

/** Brute-force point-triangle distance (Ericson, Real-Time Collision Detection 5.1.5). */
const pointTriangleDistance = (px: number, py: number, pz: number, m: Mesh, t: number): number => {
  const p = m.positions, i = m.indices;
  const A = [p[3 * i[3 * t]], p[3 * i[3 * t] + 1], p[3 * i[3 * t] + 2]];
  const B = [p[3 * i[3 * t + 1]], p[3 * i[3 * t + 1] + 1], p[3 * i[3 * t + 1] + 2]];
  const C = [p[3 * i[3 * t + 2]], p[3 * i[3 * t + 2] + 1], p[3 * i[3 * t + 2] + 2]];
  const sub = (u: number[], v: number[]) => [u[0] - v[0], u[1] - v[1], u[2] - v[2]];
  const dot = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const P = [px, py, pz];
  const ab = sub(B, A), ac = sub(C, A), ap = sub(P, A);
  const d1 = dot(ab, ap), d2 = dot(ac, ap);
  let q: number[];
  if (d1 <= 0 && d2 <= 0) q = A;
  else {
    const bp = sub(P, B), d3 = dot(ab, bp), d4 = dot(ac, bp);
    const cp = sub(P, C), d5 = dot(ab, cp), d6 = dot(ac, cp);
    const vc = d1 * d4 - d3 * d2, vb = d5 * d2 - d1 * d6, va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) q = B;
    else if (vc <= 0 && d1 >= 0 && d3 <= 0) { const v = d1 / (d1 - d3); q = [A[0] + v * ab[0], A[1] + v * ab[1], A[2] + v * ab[2]]; }
    else if (d6 >= 0 && d5 <= d6) q = C;
    else if (vb <= 0 && d2 >= 0 && d6 <= 0) { const w = d2 / (d2 - d6); q = [A[0] + w * ac[0], A[1] + w * ac[1], A[2] + w * ac[2]]; }
    else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) { const w = (d4 - d3) / (d4 - d3 + (d5 - d6)); q = [B[0] + w * (C[0] - B[0]), B[1] + w * (C[1] - B[1]), B[2] + w * (C[2] - B[2])]; }
    else { const den = 1 / (va + vb + vc), v = vb * den, w = vc * den; q = [A[0] + ab[0] * v + ac[0] * w, A[1] + ab[1] * v + ac[1] * w, A[2] + ab[2] * v + ac[2] * w]; }
  }
  return Math.hypot(px - q[0], py - q[1], pz - q[2]);
};

const randomPoints = (n: number, seed: number, lo = -1, hi = 1) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: 3 * n }, () => rng.uniform(lo, hi));
};
const meshOf = (sdf: Sdf, res = 48) => marchingCubes(sampleGrid(sdf, { res }));

describe("MeshSdf distance", () => {
  it("matches brute-force point-triangle distance", () => {
    const mesh = meshOf(sphere(0.5), 20);
    const pts = randomPoints(300, 1);
    const d = new MeshSdf(mesh).distance(pts);
    for (let i = 0; i < 300; i++) {
      let best = Infinity;
      for (let t = 0; t < mesh.indices.length / 3; t++) best = Math.min(best, pointTriangleDistance(pts[3 * i], pts[3 * i + 1], pts[3 * i + 2], mesh, t));
      expect(d[i]).toBeCloseTo(best, 5);
    }
  });
});

describe("MeshSdf sign", () => {
  // [name, sdf, whether the analytic value is an exact distance (CSG difference only bounds it)]
  const shapes: [string, Sdf, boolean][] = [
    ["sphere", sphere(0.6), true],
    ["box", box([0.5, 0.3, 0.4]), true],
    ["torus", torus(0.5, 0.18), true],
    ["plate with hole", difference(box([0.6, 0.15, 0.5]), cylinder(0.2, 0.5)), false],
  ];
  for (const [name, sdf, exactDistance] of shapes) {
    it(`agrees with the analytic sign of a meshed ${name} on ≥ 99.9 % of points away from the surface (winding and parity)`, () => {
      const mesh = meshOf(sdf, 64);
      const pts = randomPoints(4000, 2);
      const truth = sdf(pts);
      for (const sign of ["winding", "parity"] as const) {
        const ms = new MeshSdf(mesh, { sign });
        const got = ms.evaluate(pts);
        let n = 0, ok = 0, maxErr = 0;
        for (let i = 0; i < truth.length; i++) {
          if (Math.abs(truth[i]) < 0.05) continue; // two grid cells from the surface
          n++;
          if (Math.sign(got[i]) === Math.sign(truth[i])) ok++;
          maxErr = Math.max(maxErr, Math.abs(Math.abs(got[i]) - Math.abs(truth[i])));
        }
        expect(ok / n).toBeGreaterThanOrEqual(0.999);
        // distance error below the discretisation error of a 64³ mesh (cell 2/63)
        if (exactDistance) expect(maxErr).toBeLessThan(2 / 63);
        expect(ms.report.signMethod).toBe(sign);
      }
    });
  }
  it("the fast winding number stays within 0.1 of the exact one and never changes the side", () => {
    const mesh = meshOf(torus(0.5, 0.2), 40);
    const ms = new MeshSdf(mesh);
    const pts = randomPoints(300, 3);
    const fast = ms.windingNumber(pts), exact = ms.windingNumber(pts, undefined, true);
    for (let i = 0; i < 300; i++) {
      expect(Math.abs(fast[i] - exact[i])).toBeLessThan(0.1);
      expect(fast[i] > 0.5).toBe(exact[i] > 0.5);
    }
  });
  const real: [string, number][] = [
    ["stanford-bunny.obj", 0.99], // 5 holes
    ["teapot.obj", 0.97], // open patches, separate lid
    ["suzanne.obj", 0.97], // non-manifold edge, open eyes
    ["cow.obj", 0.98], // pinch vertex; thin ears and tail: a ±0.01 step can cross them
  ];
  for (const [file, minAgree] of real) {
    it(`${file}: points pushed off the surface along the normal get the right sign (winding number)`, async () => {
      const { mesh } = normalizeMesh(await readMesh(sharedData("obj", file)));
      const ms = new MeshSdf(mesh);
      // sample triangle centroids, move ±0.01 along the face normal
      const rng = createRng(4);
      const nt = mesh.indices.length / 3, n = 1500;
      const inside = new Float32Array(3 * n), outside = new Float32Array(3 * n);
      const p = mesh.positions, idx = mesh.indices;
      for (let k = 0; k < n; k++) {
        const t = rng.int(nt);
        const a = 3 * idx[3 * t], b = 3 * idx[3 * t + 1], c = 3 * idx[3 * t + 2];
        const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
        const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
        let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        const l = Math.hypot(nx, ny, nz) || 1;
        nx /= l; ny /= l; nz /= l;
        for (let j = 0; j < 3; j++) {
          const cj = (p[a + j] + p[b + j] + p[c + j]) / 3;
          const nj = [nx, ny, nz][j];
          inside[3 * k + j] = cj - 0.01 * nj;
          outside[3 * k + j] = cj + 0.01 * nj;
        }
      }
      const ins = ms.inside(inside), outs = ms.inside(outside);
      const agree = (Array.from(ins).filter((v) => v === 1).length + Array.from(outs).filter((v) => v === 0).length) / (2 * n);
      expect(agree).toBeGreaterThanOrEqual(minAgree);
      expect(ms.report.watertight).toBe(file === "cow.obj");
      if (file !== "cow.obj") expect(ms.report.openness).toBeGreaterThan(0);
      // far outside is outside
      expect(Array.from(ms.inside(new Float32Array([3, 3, 3, -3, 0, 0])))).toEqual([0, 0]);
    }, 30_000);
  }
});

describe("MeshSdf bad input", () => {
  it("throws typed errors", () => {
    expect(() => new MeshSdf({ positions: new Float32Array(0), indices: new Uint32Array(0) })).toThrow(MeshError);
    expect(() => new MeshSdf({ positions: new Float32Array(9), indices: new Uint32Array([0, 1, 2]) })).toThrow(/zero surface area/);
    const ms = new MeshSdf(meshOf(sphere(0.5), 12));
    expect(() => ms.evaluate(new Float32Array([0, 0, NaN]))).toThrow(InvalidArgumentError);
    expect(() => ms.evaluate(new Float32Array(4))).toThrow(/xyz triples/);
    expect(() => new MeshSdf(meshOf(sphere(0.5), 12), { sign: "vote" as never })).toThrow(/opts.sign/);
  });
});

describe("MeshSdf on an inward-oriented mesh", () => {
  it("keeps the sign right when every triangle is flipped (|winding| > 0.5)", () => {
    const mesh = meshOf(sphere(0.5), 24);
    const flipped = { positions: mesh.positions, indices: mesh.indices.slice() };
    for (let t = 0; t < flipped.indices.length; t += 3) [flipped.indices[t + 1], flipped.indices[t + 2]] = [flipped.indices[t + 2], flipped.indices[t + 1]];
    const pts = new Float32Array([0, 0, 0, 0.2, 0.1, 0, 0.9, 0, 0]);
    expect(Array.from(new MeshSdf(flipped).inside(pts))).toEqual([1, 1, 0]);
    expect(new MeshSdf(flipped).windingNumber(pts, undefined, true)[0]).toBeCloseTo(-1, 4);
  });
});
