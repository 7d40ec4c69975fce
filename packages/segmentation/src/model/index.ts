export * from "./PartSdfDecoder.js";
export * from "./part-iou.js";
export * from "./part-slice-image.js";
export * from "./part-sdf-train-engine.js";
