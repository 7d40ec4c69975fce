export * from "./api.js";
export * from "./kmeans.js";
export * from "./adjusted-rand-index.js";
export * from "./best-permutation-accuracy.js";
export * from "./standardize.js";
export * from "./segment-instances.js";
export * from "./activation-classifier.js";
export * from "./export-parts.js";
