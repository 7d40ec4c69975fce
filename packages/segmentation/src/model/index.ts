export * from "./PartSdfDecoder.js";
export * from "./part-iou.js";
export * from "./part-slice-image.js";
