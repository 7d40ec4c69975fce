import { __OnnxGraph, type __Attr } from "./onnx-proto.js";

/** An attribute of an ONNX node: int (`i`), float (`f`), string (`s`) or ints (`is`). */
export type OnnxAttribute = __Attr;

/**
 * A small builder of ONNX models (IR version 8, default domain, opset 17 unless given): nodes, float and
 * int64 initializers, typed inputs and outputs, serialised to ModelProto bytes that
 * `onnxruntime-node`'s `InferenceSession.create` takes. The builder behind {@link buildDecoderTrainOnnx};
 * exported so other packages can write their own forward + backward graphs (e.g. the part-wise SDF
 * decoder's training step in `@sdfkit/segmentation`).
 * @example
 * ```ts
 * const g = new OnnxGraphBuilder();
 * g.input("x", ["N", 3]);
 * g.node("Relu", ["x"], ["y"]);
 * g.output("y", ["N", 3]);
 * const bytes = g.finish("relu");
 * ```
 */
export class OnnxGraphBuilder extends __OnnxGraph {}
