export * from "./write-png.js";
export * from "./render-model.js";
export * from "./render-batch.js";
