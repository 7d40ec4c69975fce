export * from "./api.js";
export * from "./mesh-sdf.js";
