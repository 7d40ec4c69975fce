/**
 * @internal Marching-cubes case tables, generated (not typed in) from one rule so they are
 * consistent by construction.
 *
 * Corner c of a cell is at (c & 1, (c >> 1) & 1, (c >> 2) & 1) (x fastest); bit c of a case is set
 * when that corner is inside (value < iso). Edges: 0–3 along x at (y,z) = (0,0),(1,0),(0,1),(1,1);
 * 4–7 along y at (x,z) = (0,0),(1,0),(0,1),(1,1); 8–11 along z at (x,y) = (0,0),(1,0),(0,1),(1,1).
 *
 * On each of the six cell faces the crossed edges are joined by segments; an ambiguous face (two
 * diagonal inside corners) always separates the inside corners. The decision depends only on the
 * face's own four corners, so the two cells sharing a face agree on it and the surface is closed.
 * Each segment is directed with the inside on its right seen from outside the cell; the segments
 * then chain into loops, each fanned into triangles whose right-hand normal points from inside
 * (low values) to outside (high values).
 */
export const MC_EDGE_CORNERS: readonly (readonly [number, number])[] = [
  [0, 1], [2, 3], [4, 5], [6, 7],
  [0, 2], [1, 3], [4, 6], [5, 7],
  [0, 4], [1, 5], [2, 6], [3, 7],
];

const FACES: readonly { corners: readonly number[]; normal: readonly number[] }[] = [
  { corners: [0, 2, 6, 4], normal: [-1, 0, 0] },
  { corners: [1, 3, 7, 5], normal: [1, 0, 0] },
  { corners: [0, 1, 5, 4], normal: [0, -1, 0] },
  { corners: [2, 3, 7, 6], normal: [0, 1, 0] },
  { corners: [0, 1, 3, 2], normal: [0, 0, -1] },
  { corners: [4, 5, 7, 6], normal: [0, 0, 1] },
];

const corner = (c: number) => [c & 1, (c >> 1) & 1, (c >> 2) & 1];
const edgeOf = (a: number, b: number) => MC_EDGE_CORNERS.findIndex(([p, q]) => (p === a && q === b) || (p === b && q === a));
const mid = (e: number) => {
  const [a, b] = MC_EDGE_CORNERS[e].map(corner);
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
};

/** Faces (0..5) each edge lies on. */
const EDGE_FACES: readonly number[][] = MC_EDGE_CORNERS.map(([a, b]) =>
  FACES.map((f, i) => (f.corners.includes(a) && f.corners.includes(b) ? i : -1)).filter((i) => i >= 0),
);
/** True when edges e and f lie on a common cell face. */
const sameFace = (e: number, f: number) => EDGE_FACES[e].some((x) => EDGE_FACES[f].includes(x));

/**
 * Triangulate a loop of edge ids (orientation kept) so that no added diagonal joins two edges of
 * one cell face: such a diagonal could be produced by the neighbouring cell too, and the shared
 * vertex pair would then carry four triangles. Returns null when no such triangulation exists.
 */
const __triangulate = (loop: number[]): number[] | null => {
  if (loop.length === 3) return [...loop];
  const n = loop.length;
  const ok = (i: number, j: number) => j - i === 1 || !sameFace(loop[i], loop[j]);
  const rec = (i: number, j: number): number[] | null => {
    // polygon loop[i..j], with (i, j) an existing side or an accepted diagonal
    if (j - i < 2) return [];
    for (let k = i + 1; k < j; k++) {
      if (!ok(i, k) || !ok(k, j)) continue;
      const a = rec(i, k), b = rec(k, j);
      if (a && b) return [loop[i], loop[k], loop[j], ...a, ...b];
    }
    return null;
  };
  return rec(0, n - 1);
};

let _tables: { triangles: Int8Array; counts: Uint8Array } | undefined;

/**
 * @internal The case tables, built on first use (≈ 10 ms, so importing sdf-core stays cheap for
 * processes that never run marching cubes): `triangles` has 16 entries per case, edge ids three per
 * triangle, −1 terminated; `counts` the number of edge ids (3 × triangles) per case.
 */
export const __mcTables = (): { triangles: Int8Array; counts: Uint8Array } => (_tables ??= __buildMcTables());

const __buildMcTables = (): { triangles: Int8Array; counts: Uint8Array } => {
  const MC_TRIANGLES = new Int8Array(256 * 16).fill(-1);
  const MC_COUNTS = new Uint8Array(256);
  for (let cfg = 0; cfg < 256; cfg++) {
    const inside = (c: number) => ((cfg >> c) & 1) === 1;
    const next = new Int8Array(12).fill(-1);
    const addSegment = (ea: number, eb: number, c: number, n: readonly number[]) => {
      // orient so the inside corner c is on the right of ea→eb seen along −n (from outside)
      const A = mid(ea), B = mid(eb), C = corner(c);
      const u = [B[0] - A[0], B[1] - A[1], B[2] - A[2]], v = [C[0] - A[0], C[1] - A[1], C[2] - A[2]];
      const cr = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
      const d = cr[0] * n[0] + cr[1] * n[1] + cr[2] * n[2];
      const wantInside = inside(c);
      // inside corner: right side (d < 0); outside corner: left side (d > 0)
      const forward = wantInside ? d < 0 : d > 0;
      if (forward) next[ea] = eb;
      else next[eb] = ea;
    };
    for (const { corners: fc, normal } of FACES) {
      const crossed: number[] = [];
      for (let i = 0; i < 4; i++) if (inside(fc[i]) !== inside(fc[(i + 1) % 4])) crossed.push(i);
      if (crossed.length === 2) {
        const ea = edgeOf(fc[crossed[0]], fc[(crossed[0] + 1) % 4]);
        const eb = edgeOf(fc[crossed[1]], fc[(crossed[1] + 1) % 4]);
        addSegment(ea, eb, fc[0], normal);
      } else if (crossed.length === 4) {
        for (let i = 0; i < 4; i++) {
          if (!inside(fc[i])) continue;
          const ea = edgeOf(fc[(i + 3) % 4], fc[i]), eb = edgeOf(fc[i], fc[(i + 1) % 4]);
          addSegment(ea, eb, fc[i], normal);
        }
      }
    }
    const seen = new Uint8Array(12);
    const tris: number[] = [];
    for (let e = 0; e < 12; e++) {
      if (next[e] < 0 || seen[e]) continue;
      const loop: number[] = [];
      for (let f = e; !seen[f]; f = next[f]) {
        if (next[f] < 0) throw new Error(`marching-cubes table: open loop in case ${cfg}`);
        seen[f] = 1;
        loop.push(f);
      }
      const t = __triangulate(loop);
      if (t === null) throw new Error(`marching-cubes table: no face-safe triangulation in case ${cfg}`);
      tris.push(...t);
    }
    if (tris.length > 15) throw new Error(`marching-cubes table: case ${cfg} has ${tris.length / 3} triangles`);
    MC_TRIANGLES.set(tris, cfg * 16);
    MC_COUNTS[cfg] = tris.length;
  }
  return { triangles: MC_TRIANGLES, counts: MC_COUNTS };
};
