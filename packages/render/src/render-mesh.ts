import type { Mesh, RgbaImage } from "@sdfkit/sdf-core";
import { DEFAULT_RENDER, type RenderBuffers, type RenderOptions } from "./api.js";
import type { OrthoCamera } from "./camera.js";
import { __rasterize } from "./internal/rasterize.js";
import { __shadeRgba, NO_LABEL } from "./internal/shade.js";

/**
 * Rasterise a mesh into depth / normal / label buffers (the same pass {@link renderMesh} shades):
 * for depth and normal images, picking and tests. Depth is along the view direction (Infinity where
 * empty); normals are the shading normals (face or interpolated); labels follow `opts.labels`.
 */
export const rasterizeMesh = (mesh: Mesh, opts: Partial<RenderOptions> = {}): { buffers: RenderBuffers; faceId: Int32Array; camera: OrthoCamera } => {
  const { shade: s, camera } = __rasterize(mesh, { ...DEFAULT_RENDER, ...opts });
  const n = s.width * s.height;
  const normal = s.pixelN ?? new Float32Array(3 * n);
  const label = s.pixelLabel ?? new Uint32Array(n).fill(NO_LABEL);
  for (let i = 0; i < n; i++) {
    const t = s.faceId[i];
    if (t < 0) continue;
    if (!s.pixelN) { normal[3 * i] = s.faceN[3 * t]; normal[3 * i + 1] = s.faceN[3 * t + 1]; normal[3 * i + 2] = s.faceN[3 * t + 2]; }
    if (s.faceLabel) label[i] = s.faceLabel[t];
  }
  return { buffers: { width: s.width, height: s.height, depth: s.depth.slice(), normal, label }, faceId: s.faceId.slice(), camera };
};

/**
 * Render an orthographic view of a mesh: z-buffer rasterisation, flat or smooth Lambert shading
 * with a light fixed in view space, silhouette and crease edges as dark lines, optional part colours.
 * `out`, an image of the same size, is drawn into instead of a new one (batch renderers reuse one
 * buffer per view and save the allocation).
 * @example const img = renderMesh(mesh, { view: "front", size: 512 }); writeFileSync("front.png", encodePng(img));
 */
export const renderMesh = (mesh: Mesh, opts: Partial<RenderOptions> = {}, out?: RgbaImage): RgbaImage => {
  const o = { ...DEFAULT_RENDER, ...opts };
  const { shade, camera } = __rasterize(mesh, o);
  return __shadeRgba(shade, camera, o, out);
};
