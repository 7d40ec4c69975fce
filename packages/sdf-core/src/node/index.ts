export * from "./read-mesh.js";
