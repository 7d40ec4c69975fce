export * from "./api.js";
export * from "./parse-deepcad.js";
export * from "./sketch-geometry.js";
export * from "./build-solid.js";
export * from "./cad-vec.js";
export * from "./openecad-code.js";
export * from "./prompts.js";
