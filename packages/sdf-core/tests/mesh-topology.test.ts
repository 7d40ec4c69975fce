import { describe, expect, it } from "vitest";
import { meshEdges, vertexAdjacency, weldVertices, edgeDihedralAngles, triangleAreas, createRng, type Mesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { sharedData } from "../../../test-utils/shared-data.js";

/** The obvious version: sort half-edges by the packed key min·nv + max (a stable sort), then group. */
const slowMeshEdges = (m: Mesh) => {
  const idx = m.indices, nv = m.positions.length / 3, nh = idx.length;
  const key = (h: number) => {
    const a = idx[h], b = idx[h - (h % 3) + ((h + 1) % 3)];
    return a < b ? a * nv + b : b * nv + a;
  };
  const order = Array.from({ length: nh }, (_, h) => h).sort((i, j) => key(i) - key(j));
  const edges: number[] = [], offs: number[] = [], faces: number[] = [], tri = new Array<number>(nh);
  order.forEach((h, s) => {
    if (s === 0 || key(h) !== key(order[s - 1])) {
      offs.push(s);
      edges.push(Math.floor(key(h) / nv), key(h) % nv);
    }
    tri[h] = offs.length - 1;
    faces.push(Math.floor(h / 3));
  });
  offs.push(nh);
  return { edges, offs, faces, tri };
};

// unit cube, 8 vertices, 12 outward triangles
const cube = (): Mesh => ({
  positions: new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1]),
  indices: new Uint32Array([0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 3, 7, 6, 3, 6, 2, 0, 4, 7, 0, 7, 3, 1, 2, 6, 1, 6, 5]),
});

describe("mesh topology", () => {
  it("meshEdges equals the sort-by-packed-key version on real, soup, degenerate and random meshes", async () => {
    const rng = createRng(4);
    const random: Mesh = { positions: new Float32Array(3 * 40), indices: Uint32Array.from({ length: 3 * 300 }, () => rng.int(40)) }; // repeated, degenerate and non-manifold edges
    const meshes: Mesh[] = [cube(), random, { positions: new Float32Array(9), indices: new Uint32Array(0) }];
    for (const f of ["fandisk.obj", "suzanne.obj", "stanford-bunny.obj"]) meshes.push(await readMesh(sharedData("obj", f)));
    for (const m of meshes) {
      const e = meshEdges(m), r = slowMeshEdges(m);
      expect(Array.from(e.edges)).toEqual(r.edges);
      expect(Array.from(e.edgeFaceOffsets)).toEqual(r.offs);
      expect(Array.from(e.edgeFaces)).toEqual(r.faces);
      expect(Array.from(e.triEdges)).toEqual(r.tri);
    }
  });
  it("finds 18 manifold edges on a cube, 12 sharp at 90 degrees and 6 flat diagonals", () => {
    const m = cube();
    const e = meshEdges(m);
    expect(e.edges.length / 2).toBe(18);
    for (let i = 0; i + 1 < e.edgeFaceOffsets.length; i++) expect(e.edgeFaceOffsets[i + 1] - e.edgeFaceOffsets[i]).toBe(2);
    const ang = edgeDihedralAngles(m, e);
    const sharp = Array.from(ang).filter((a) => Math.abs(a - Math.PI / 2) < 1e-6).length;
    const flat = Array.from(ang).filter((a) => Math.abs(a) < 1e-6).length;
    expect([sharp, flat]).toEqual([12, 6]);
    const adj = vertexAdjacency(m, e);
    expect(adj.items.length).toBe(36);
    expect(Array.from(triangleAreas(m)).reduce((s, a) => s + a, 0)).toBeCloseTo(6, 6);
  });
  it("welds split vertices (triangle soup) back to 8", () => {
    const m = cube();
    const soup: Mesh = { positions: new Float32Array(m.indices.length * 3), indices: new Uint32Array(m.indices.length) };
    for (let i = 0; i < m.indices.length; i++) {
      soup.positions.set(m.positions.subarray(3 * m.indices[i], 3 * m.indices[i] + 3), 3 * i);
      soup.indices[i] = i;
    }
    expect(weldVertices(soup).mesh.positions.length / 3).toBe(8);
    soup.positions[0] += 1e-7;
    expect(weldVertices(soup).mesh.positions.length / 3).toBe(9);
    expect(weldVertices(soup, { tolerance: 1e-5 }).mesh.positions.length / 3).toBe(8);
  });
});
