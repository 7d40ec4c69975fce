import { InvalidArgumentError } from "@sdfkit/sdf-core";
import type { LearningRateScheduleSpec, TrainSpecs } from "./api.js";

/**
 * Learning rate at `epoch` (0-based) for a DeepSDF schedule:
 * Step: Initial·Factor^⌊epoch/Interval⌋; Warmup: linear Initial→Final over Length epochs, then Final; Constant: Value.
 */
export const learningRateAt = (s: LearningRateScheduleSpec, epoch: number): number => {
  if (!Number.isInteger(epoch) || epoch < 0) throw new InvalidArgumentError("learningRateAt", "epoch", "an integer >= 0", epoch);
  switch (s.Type) {
    case "Step": return s.Initial * Math.pow(s.Factor, Math.floor(epoch / s.Interval));
    case "Warmup": return epoch >= s.Length ? s.Final : s.Initial + ((s.Final - s.Initial) * epoch) / s.Length;
    case "Constant": return s.Value;
  }
};

/** The curriculum phase containing `epoch`, with its index and first epoch; `undefined` without a curriculum or past its end. */
export const phaseAt = (s: TrainSpecs, epoch: number) => {
  let start = 0;
  for (let i = 0; i < s.Curriculum.length; i++) {
    const p = s.Curriculum[i]!;
    if (epoch < start + p.Epochs) return { phase: p, index: i, start };
    start += p.Epochs;
  }
  return undefined;
};

/** Decoder and code learning rates at `epoch`: from the curriculum phase when there is one, else from `LearningRateSchedule`. */
export const learningRates = (s: TrainSpecs, epoch: number): { decoder: number; codes: number } => {
  const ph = phaseAt(s, epoch);
  if (ph) return { decoder: ph.phase.DecoderLearningRate, codes: ph.phase.CodeLearningRate };
  if (s.Curriculum.length > 0) {
    const last = s.Curriculum[s.Curriculum.length - 1]!;
    return { decoder: last.DecoderLearningRate, codes: last.CodeLearningRate };
  }
  return { decoder: learningRateAt(s.LearningRateSchedule[0], epoch), codes: learningRateAt(s.LearningRateSchedule[1], epoch) };
};
