export * from "./api.js";
export * from "./DeepSdfDecoder.js";
export * from "./backend.js";
export * from "./inference-bundle.js";
export * from "./onnx-graph.js";
export * from "./inference-engine.js";
export * from "./onnx-train-graph.js";
export * from "./train-engine.js";
