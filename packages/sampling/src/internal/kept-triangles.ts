import { triangleAreas, type Mesh } from "@sdfkit/sdf-core";

/** @internal 1 for each triangle of positive area (the BVH's triangles), 0 for degenerate ones. */
export const keptTriangles = (mesh: Mesh): Uint8Array => {
  const areas = triangleAreas(mesh);
  const keep = new Uint8Array(areas.length);
  for (let t = 0; t < areas.length; t++) if (areas[t] > 0) keep[t] = 1;
  return keep;
};
