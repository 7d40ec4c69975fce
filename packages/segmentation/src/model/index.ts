export * from "./PartSdfDecoder.js";
export * from "./part-iou.js";
