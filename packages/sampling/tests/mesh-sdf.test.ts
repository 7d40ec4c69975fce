import { describe, expect, it } from "vitest";
import { createRng, MeshError, meshReport, normalizeMesh, sampleSurface, type Mesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { MeshSdf } from "@sdfkit/sampling";
import { sharedData } from "../../../test-utils/shared-data.js";

/** UV sphere of radius r (closed, outward-oriented). */
const uvSphere = (r: number, nu: number, nv: number): Mesh => {
  const pos: number[] = [], idx: number[] = [];
  for (let j = 0; j <= nv; j++)
    for (let i = 0; i < nu; i++) {
      const th = (Math.PI * j) / nv, ph = (2 * Math.PI * i) / nu;
      pos.push(r * Math.sin(th) * Math.cos(ph), r * Math.sin(th) * Math.sin(ph), r * Math.cos(th));
    }
  const v = (i: number, j: number) => j * nu + (i % nu);
  for (let j = 0; j < nv; j++)
    for (let i = 0; i < nu; i++) {
      if (j > 0) idx.push(v(i, j), v(i, j + 1), v(i + 1, j));
      if (j < nv - 1) idx.push(v(i + 1, j), v(i, j + 1), v(i + 1, j + 1));
    }
  // weld the pole rings
  const remap = (k: number) => (k < nu ? 0 : k >= nv * nu ? nv * nu : k);
  return { positions: new Float32Array(pos), indices: new Uint32Array(idx.map(remap)) };
};

const randomPoints = (n: number, lo: number, hi: number, seed = 1): Float32Array => {
  const rng = createRng(seed);
  const p = new Float32Array(n * 3);
  for (let i = 0; i < p.length; i++) p[i] = rng.uniform(lo, hi);
  return p;
};

/** Brute-force distance: every triangle, via the same Ericson formula re-derived by projection + edges. */
const bruteDistance = (m: Mesh, x: number, y: number, z: number): number => {
  let best = Infinity;
  const P = m.positions, I = m.indices;
  const segD2 = (ax: number, ay: number, az: number, bx: number, by: number, bz: number) => {
    const ux = bx - ax, uy = by - ay, uz = bz - az;
    const l2 = ux * ux + uy * uy + uz * uz;
    let t = l2 > 0 ? ((x - ax) * ux + (y - ay) * uy + (z - az) * uz) / l2 : 0;
    t = Math.max(0, Math.min(1, t));
    const dx = ax + t * ux - x, dy = ay + t * uy - y, dz = az + t * uz - z;
    return dx * dx + dy * dy + dz * dz;
  };
  for (let t = 0; t < I.length; t += 3) {
    const a = [P[I[t] * 3], P[I[t] * 3 + 1], P[I[t] * 3 + 2]], b = [P[I[t + 1] * 3], P[I[t + 1] * 3 + 1], P[I[t + 1] * 3 + 2]], c = [P[I[t + 2] * 3], P[I[t + 2] * 3 + 1], P[I[t + 2] * 3 + 2]];
    const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]], v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
    const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const nl = Math.hypot(n[0], n[1], n[2]);
    let d2 = Math.min(segD2(a[0], a[1], a[2], b[0], b[1], b[2]), segD2(b[0], b[1], b[2], c[0], c[1], c[2]), segD2(c[0], c[1], c[2], a[0], a[1], a[2]));
    if (nl > 0) {
      const h = ((x - a[0]) * n[0] + (y - a[1]) * n[1] + (z - a[2]) * n[2]) / nl;
      const q = [x - (h * n[0]) / nl, y - (h * n[1]) / nl, z - (h * n[2]) / nl];
      const inside = [[a, b], [b, c], [c, a]].every(([p0, p1]) => {
        const e = [p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]], w = [q[0] - p0[0], q[1] - p0[1], q[2] - p0[2]];
        return (e[1] * w[2] - e[2] * w[1]) * n[0] + (e[2] * w[0] - e[0] * w[2]) * n[1] + (e[0] * w[1] - e[1] * w[0]) * n[2] >= 0;
      });
      if (inside) d2 = Math.min(d2, h * h);
    }
    best = Math.min(best, d2);
  }
  return Math.sqrt(best);
};

describe("MeshSdf", () => {
  const sphere = uvSphere(0.5, 48, 24);

  it("matches brute-force distance", () => {
    const sdf = new MeshSdf(sphere);
    const pts = randomPoints(400, -1, 1);
    const d = sdf.distance(pts);
    for (let i = 0; i < 400; i++) expect(d[i]).toBeCloseTo(bruteDistance(sphere, pts[i * 3], pts[i * 3 + 1], pts[i * 3 + 2]), 5);
  });

  it("hierarchical winding number is close to the exact one", () => {
    const sdf = new MeshSdf(sphere);
    const pts = randomPoints(500, -1, 1, 2);
    const fast = sdf.winding(pts), exact = sdf.winding(pts, true);
    let maxErr = 0;
    for (let i = 0; i < 500; i++) maxErr = Math.max(maxErr, Math.abs(fast[i] - exact[i]));
    expect(maxErr).toBeLessThan(0.05); // first-order far field at beta = 2
    for (let i = 0; i < 500; i++) {
      const r = Math.hypot(pts[i * 3], pts[i * 3 + 1], pts[i * 3 + 2]);
      if (Math.abs(r - 0.5) > 0.02) expect(exact[i]).toBeCloseTo(r < 0.5 ? 1 : 0, 3);
    }
  });

  for (const sign of ["winding", "raycast", "pseudonormal"] as const) {
    it(`analytic sphere: sign agreement >= 99.9 % and distance within discretisation error (${sign})`, () => {
      const sdf = new MeshSdf(sphere, { sign });
      expect(sdf.signMethod).toBe(sign);
      expect(sdf.openness.closed).toBe(true);
      const pts = randomPoints(4000, -1, 1, 3);
      const s = sdf.signedDistance(pts);
      // chord sagitta of the UV sphere: r (1 - cos(π / 48)) on the longest edges
      const discr = 0.5 * (1 - Math.cos(Math.PI / 24)) + 1e-6;
      let agree = 0, total = 0;
      for (let i = 0; i < 4000; i++) {
        const exact = Math.hypot(pts[i * 3], pts[i * 3 + 1], pts[i * 3 + 2]) - 0.5;
        expect(Math.abs(Math.abs(s[i]) - Math.abs(exact))).toBeLessThan(discr);
        if (Math.abs(exact) > 0.02) { total++; if (Math.sign(exact) === Math.sign(s[i])) agree++; }
      }
      expect(agree / total).toBeGreaterThanOrEqual(0.999);
    });
  }

  it("open mesh (sphere with a cap removed) is reported; the pseudonormal sign falls back to the winding number near the hole", () => {
    const idx = Array.from(sphere.indices);
    const P = sphere.positions;
    const kept: number[] = [];
    for (let t = 0; t < idx.length; t += 3) if (P[idx[t] * 3 + 2] < 0.45 || P[idx[t + 1] * 3 + 2] < 0.45 || P[idx[t + 2] * 3 + 2] < 0.45) kept.push(idx[t], idx[t + 1], idx[t + 2]);
    const holed = { positions: P, indices: new Uint32Array(kept.slice(0, -3 * 4)) };
    const sdf = new MeshSdf(holed, { sign: "auto" });
    expect(sdf.signMethod).toBe("pseudonormal");
    expect(sdf.pseudonormalCoverage).toBeGreaterThan(0.5);
    expect(sdf.pseudonormalCoverage).toBeLessThan(1);
    expect(sdf.openness.closed).toBe(false);
    expect(sdf.openness.boundaryEdges).toBeGreaterThan(0);
    const s = sdf.signedDistance(new Float32Array([0, 0, 0, 0.1, 0.1, -0.2, 0.9, 0, 0, 0, 0, -0.8]));
    expect(Array.from(s).map(Math.sign)).toEqual([-1, -1, 1, 1]);
  });

  it("pseudonormal sign: identical to the winding number on every shared OBJ; self-intersecting meshes fall back entirely", async () => {
    const coverage: Record<string, number> = {};
    for (const file of ["fandisk.obj", "stanford-bunny.obj", "teapot.obj", "suzanne.obj", "cow.obj", "spot.obj", "rocker-arm.obj"]) {
      const mesh = normalizeMesh(await readMesh(sharedData("obj", file))).mesh;
      const pn = new MeshSdf(mesh, { sign: "pseudonormal" });
      const wind = new MeshSdf(mesh, { sign: "winding" });
      coverage[file] = pn.pseudonormalCoverage;
      // near-surface bands and uniform points, as the sampler makes them
      const rng = createRng(5);
      const pts = new Float32Array(3 * 12_000);
      const surf = sampleSurface(mesh, 8_000, { rng });
      for (let i = 0; i < 8_000; i++) for (let k = 0; k < 3; k++) pts[3 * i + k] = surf.points[3 * i + k] + rng.normal() * (i % 2 ? 0.005 : 0.03);
      for (let i = 8_000; i < 12_000; i++) for (let k = 0; k < 3; k++) pts[3 * i + k] = rng.uniform(-1, 1);
      const a = pn.signedDistance(pts), b = wind.signedDistance(pts);
      let same = 0, total = 0;
      for (let i = 0; i < a.length; i++) {
        expect(Math.abs(a[i])).toBe(Math.abs(b[i]));
        if (Math.abs(b[i]) > 1e-3) { total++; if (Math.sign(a[i]) === Math.sign(b[i])) same++; }
      }
      expect(same / total, file).toBeGreaterThanOrEqual(0.999);
    }
    expect(coverage["fandisk.obj"]).toBe(1);
    expect(coverage["spot.obj"]).toBe(1);
    expect(coverage["stanford-bunny.obj"]).toBeGreaterThan(0.9); // 5 holes: their 2-ring falls back
    for (const f of ["teapot.obj", "suzanne.obj", "cow.obj"]) expect(coverage[f], f).toBe(0); // self-intersecting
  }, 60_000);

  it("inward-oriented (flipped) mesh keeps the right sign with the winding number", () => {
    const idx = sphere.indices.slice();
    for (let t = 0; t < idx.length; t += 3) { const a = idx[t + 1]; idx[t + 1] = idx[t + 2]; idx[t + 2] = a; }
    const s = new MeshSdf({ positions: sphere.positions, indices: idx }).signedDistance(new Float32Array([0, 0, 0, 0.8, 0, 0]));
    expect(s[0]).toBeLessThan(0);
    expect(s[1]).toBeGreaterThan(0);
  });

  it("worker threads over shared buffers give the same result as one thread", async () => {
    const sdf = new MeshSdf(sphere);
    const pts = randomPoints(6000, -1, 1, 9);
    const par = await sdf.signedDistanceParallel(pts, { threads: 2, minPoints: 1000 });
    expect(par).toEqual(sdf.signedDistance(pts));
    // once the pool is up, the worker takes part (chunks of 2048 points go to whichever thread is free)
    await MeshSdf.startWorkers(2);
    const many = randomPoints(100_000, -1, 1, 10), out = new Float32Array(100_000);
    let byWorkers = 0;
    for (let k = 0; k < 5 && byWorkers === 0; k++) byWorkers = sdf.signedRangeParallel(many, out, undefined, 2);
    expect(byWorkers).toBeGreaterThan(0);
    expect(out).toEqual(sdf.signedDistance(many));
  });

  it("typed errors on bad input", () => {
    expect(() => new MeshSdf({ positions: new Float32Array(0), indices: new Uint32Array(0) })).toThrow(MeshError);
    expect(() => new MeshSdf({ positions: new Float32Array([0, 0, NaN, 1, 0, 0, 0, 1, 0]), indices: new Uint32Array([0, 1, 2]) })).toThrow(MeshError);
    expect(() => new MeshSdf({ positions: new Float32Array([0, 0, 0, 1, 0, 0, 2, 0, 0]), indices: new Uint32Array([0, 1, 2]) })).toThrow(MeshError);
    expect(() => new MeshSdf({ positions: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]), indices: new Uint32Array([0, 1, 2, 1, 3, 2]) })).toThrow(/zero volume/);
  });

  it("openness equals sdf-core's meshReport on every shared OBJ mesh", async () => {
    for (const f of ["cow", "fandisk", "rocker-arm", "spot", "stanford-bunny", "suzanne", "teapot"]) {
      const mesh = await readMesh(sharedData("obj", `${f}.obj`));
      const r = meshReport(mesh), o = new MeshSdf(mesh).openness;
      expect([o.boundaryEdges, o.nonManifoldEdges, o.degenerateTriangles], f).toEqual([r.boundaryEdges, r.nonManifoldEdges, r.degenerateTriangles]);
    }
  });

  const real = ["stanford-bunny.obj", "teapot.obj", "suzanne.obj", "cow.obj"];
  for (const file of real) {
    it(`real mesh ${file}: points far outside are positive, the sign field is mostly consistent`, async () => {
      const mesh = await readMesh(sharedData("obj", file));
      const sdf = new MeshSdf(mesh);
      const b = { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] };
      for (let i = 0; i < mesh.positions.length; i++) { const k = i % 3; b.min[k] = Math.min(b.min[k], mesh.positions[i]); b.max[k] = Math.max(b.max[k], mesh.positions[i]); }
      const ext = b.max.map((m, k) => m - b.min[k]);
      const far = new Float32Array(8 * 3);
      for (let c = 0; c < 8; c++) for (let k = 0; k < 3; k++) far[c * 3 + k] = (c >> k) & 1 ? b.max[k] + ext[k] * 0.3 : b.min[k] - ext[k] * 0.3;
      expect(Array.from(sdf.signedDistance(far)).every((d) => d > 0)).toBe(true);
      // points inside: a sample near the surface, moved inward along the winding-number gradient is hard to
      // define on an open mesh; instead check that the winding number of the centroid region has a clear
      // inside somewhere (max winding near 1) and hierarchical == exact within 0.05 on a grid.
      const g = 6, grid = new Float32Array(g * g * g * 3);
      let o = 0;
      for (let i = 0; i < g; i++) for (let j = 0; j < g; j++) for (let k = 0; k < g; k++) {
        grid[o++] = b.min[0] + ((i + 0.5) / g) * ext[0]; grid[o++] = b.min[1] + ((j + 0.5) / g) * ext[1]; grid[o++] = b.min[2] + ((k + 0.5) / g) * ext[2];
      }
      const fast = sdf.winding(grid), exact = sdf.winding(grid, true);
      let maxW = 0, mismatch = 0;
      for (let i = 0; i < fast.length; i++) { maxW = Math.max(maxW, Math.abs(exact[i])); if (fast[i] > 0.5 !== exact[i] > 0.5 && Math.abs(exact[i] - 0.5) > 0.1) mismatch++; }
      expect(maxW).toBeGreaterThan(0.8);
      expect(mismatch).toBe(0);
      if (sdf.openness.closed) {
        // cow: closed (pinch vertex) — ray parity and winding must agree on points clearly off the surface
        const rc = new MeshSdf(mesh, { sign: "raycast" });
        const a = sdf.signedDistance(grid), c = rc.signedDistance(grid);
        let agree = 0, total = 0;
        for (let i = 0; i < a.length; i++) if (Math.abs(a[i]) > 0.01 * Math.max(...ext)) { total++; if (Math.sign(a[i]) === Math.sign(c[i])) agree++; }
        expect(agree / total).toBeGreaterThanOrEqual(0.999);
      }
    });
  }
});
