export * from "./api.js";
export * from "./mesh-sdf.js";
export * from "./sample-bands.js";
export * from "./split-by-sign.js";
export * from "./npz.js";
export * from "./sample-source.js";
export * from "./encode-samples.js";
