export * from "./api.js";
export * from "./errors.js";
export * from "./rng.js";
export * from "./validate-mesh.js";
export * from "./compute-bounds.js";
export * from "./normalize-mesh.js";
export * from "./parse-obj.js";
export * from "./mesh-topology.js";
