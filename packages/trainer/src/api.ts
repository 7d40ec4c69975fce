/** One learning-rate schedule, DeepSDF's `LearningRateSchedule` entry. */
export type LearningRateScheduleSpec =
  | { Type: "Step"; Initial: number; Interval: number; Factor: number }
  | { Type: "Warmup"; Initial: number; Final: number; Length: number }
  | { Type: "Constant"; Value: number };

/** A sampling mix the injected sample source understands. */
export type SamplingMix = "COARSE" | "BALANCED" | "DENSE" | "MANUFACTURING";

/** One curriculum phase: epochs, learning rates, sampling mix, optional Curriculum-DeepSDF ε and hard-sample weight. */
export interface CurriculumPhase {
  Name: string;
  Epochs: number;
  DecoderLearningRate: number;
  CodeLearningRate: number;
  Mix: SamplingMix;
  /** Curriculum-DeepSDF tolerance ε: loss max(|pred−gt| − ε, 0). @defaultValue 0 */
  Tolerance?: number;
  /** Curriculum-DeepSDF hard-sample weight λ. @defaultValue 0 */
  HardSampleWeight?: number;
}

/** Network part of the specs (DeepSDF's `NetworkSpecs`). */
export interface NetworkSpecs {
  /** Decoder preset name understood by `@sdfkit/sdf-core/model`. */
  Preset: string;
  dims: number[];
  latent_in: number[];
  dropout_prob: number;
  weight_norm: boolean;
}

/** Contents of an experiment directory's `specs.json`: DeepSDF's keys plus the curriculum. */
export interface TrainSpecs {
  Description: string;
  NetworkSpecs: NetworkSpecs;
  CodeLength: number;
  NumEpochs: number;
  LearningRateSchedule: [LearningRateScheduleSpec, LearningRateScheduleSpec];
  SamplesPerScene: number;
  ScenesPerBatch: number;
  ClampingDistance: number;
  CodeRegularization: boolean;
  CodeRegularizationLambda: number;
  /** Max norm of a latent code (DeepSDF `CodeBound`); `null` for none. */
  CodeBound: number | null;
  SnapshotFrequency: number;
  AdditionalSnapshots: number[];
  /** Global-norm gradient clipping threshold. @defaultValue 1.0 */
  GradientClipNorm: number;
  /** Epochs between validations (sign accuracy, L1). */
  ValidationFrequency: number;
  /** Epochs between Chamfer validations on an extracted mesh. */
  ChamferFrequency: number;
  Seed: number;
  /** Ordered curriculum; when non-empty it overrides `NumEpochs` and `LearningRateSchedule`. */
  Curriculum: CurriculumPhase[];
}
