export * from "./api.js";
export * from "./camera.js";
export * from "./render-mesh.js";
export * from "./render-sdf.js";
export * from "./buffer-images.js";
export * from "./tile-images.js";
export { encodePng, DEFAULT_ENCODE_PNG, type EncodePngOptions } from "@sdfkit/sdf-core";
