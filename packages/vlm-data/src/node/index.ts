export * from "./safe-path.js";
export * from "./dataset-files.js";
export * from "./extract.js";
export * from "./render-dataset.js";
export * from "./convert-dataset.js";
export * from "./validate-dataset.js";
