export * from "./api.js";
export * from "./MeshSdf.js";
export * from "./sample-bands.js";
export * from "./npz.js";
