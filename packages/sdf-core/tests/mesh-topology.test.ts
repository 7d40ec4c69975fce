import { describe, expect, it } from "vitest";
import { meshEdges, vertexAdjacency, weldVertices, edgeDihedralAngles, triangleAreas, type Mesh } from "@sdfkit/sdf-core";

// unit cube, 8 vertices, 12 outward triangles
const cube = (): Mesh => ({
  positions: new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1]),
  indices: new Uint32Array([0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 3, 7, 6, 3, 6, 2, 0, 4, 7, 0, 7, 3, 1, 2, 6, 1, 6, 5]),
});

describe("mesh topology", () => {
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
