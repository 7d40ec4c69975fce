import { InvalidArgumentError } from "@sdfkit/sdf-core";
import { createTrainStepEngine, loadOnnxRuntime, type NetworkSpecs, type TrainStepEngine } from "@sdfkit/sdf-core/model";

/** Engines of the training and reconstruction steps. */
export type StepEngineName = "auto" | "tfjs" | "onnx";

/**
 * @internal The onnx step engine a trainer or reconstruction asked for, or null for TensorFlow.js:
 * `auto` (overridden by the environment variable SDFKIT_TRAIN_ENGINE) picks onnx when
 * onnxruntime-node loads; decoders without a latent code always train on TensorFlow.js.
 */
export const resolveStepEngine = async (fn: string, specs: NetworkSpecs, engine: StepEngineName, opts: { threads: number; codesOnly: boolean }): Promise<TrainStepEngine | null> => {
  const env = typeof process !== "undefined" ? process.env.SDFKIT_TRAIN_ENGINE : undefined;
  const want = engine === "auto" && env ? env : engine;
  if (!["auto", "tfjs", "onnx"].includes(want)) throw new InvalidArgumentError(fn, engine === "auto" ? "SDFKIT_TRAIN_ENGINE" : "engine", "auto, tfjs or onnx", want);
  if (want === "tfjs" || specs.latentSize === 0) return null;
  if (want === "auto" && !(await loadOnnxRuntime())) return null;
  return createTrainStepEngine(specs, opts);
};
