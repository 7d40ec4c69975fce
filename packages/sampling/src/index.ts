export * from "./api.js";
export * from "./MeshSdf.js";
