import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SpecError } from "@sdfkit/sdf-core";
import type { CurriculumPhase, LearningRateScheduleSpec, TrainSpecs } from "./api.js";

/** The seed system's curriculum: 50/100/200/50 epochs at 1e-4/5e-5/1e-5/1e-6. */
export const SEED_CURRICULUM: CurriculumPhase[] = [
  { Name: "coarse", Epochs: 50, DecoderLearningRate: 1e-4, CodeLearningRate: 1e-4, Mix: "COARSE" },
  { Name: "balanced", Epochs: 100, DecoderLearningRate: 5e-5, CodeLearningRate: 5e-5, Mix: "BALANCED" },
  { Name: "dense", Epochs: 200, DecoderLearningRate: 1e-5, CodeLearningRate: 1e-5, Mix: "DENSE" },
  { Name: "manufacturing", Epochs: 50, DecoderLearningRate: 1e-6, CodeLearningRate: 1e-6, Mix: "MANUFACTURING" },
];

/**
 * A curriculum for short runs: the seed's four phases (COARSE → BALANCED → DENSE → MANUFACTURING) in the
 * proportions 20/30/40/10 % of `epochs`, at learning rates that move in a short run (1e-3 → 1e-4; the
 * seed's 1e-4 → 1e-6 needs hundreds of epochs). The DENSE phase carries Curriculum-DeepSDF's tolerance and
 * hard-sample weight (0.001 / 0.1 unless given).
 */
export const fastCurriculum = (epochs: number, dense: { tolerance?: number; hardSampleWeight?: number } = {}): CurriculumPhase[] => {
  const e = (f: number) => Math.max(1, Math.round(epochs * f));
  const c = e(0.2), b = e(0.3), m = e(0.1);
  return [
    { Name: "coarse", Epochs: c, DecoderLearningRate: 1e-3, CodeLearningRate: 1e-3, Mix: "COARSE" },
    { Name: "balanced", Epochs: b, DecoderLearningRate: 5e-4, CodeLearningRate: 1e-3, Mix: "BALANCED" },
    { Name: "dense", Epochs: Math.max(1, epochs - c - b - m), DecoderLearningRate: 2e-4, CodeLearningRate: 5e-4, Mix: "DENSE", Tolerance: dense.tolerance ?? 0.001, HardSampleWeight: dense.hardSampleWeight ?? 0.1 },
    { Name: "manufacturing", Epochs: m, DecoderLearningRate: 1e-4, CodeLearningRate: 2e-4, Mix: "MANUFACTURING" },
  ];
};

/** Defaults: DeepSDF's examples/*\/specs.json values (8×512, latent 256, Step 5e-4/1e-3 halved every 500, clamp 0.1) and no curriculum. */
export const DEFAULT_SPECS: TrainSpecs = {
  Description: "sdfkit DeepSDF experiment",
  NetworkSpecs: { Preset: "deepsdf", dims: [512, 512, 512, 512, 512, 512, 512, 512], latent_in: [4], dropout_prob: 0.2, weight_norm: true },
  CodeLength: 256,
  NumEpochs: 2001,
  LearningRateSchedule: [
    { Type: "Step", Initial: 5e-4, Interval: 500, Factor: 0.5 },
    { Type: "Step", Initial: 1e-3, Interval: 500, Factor: 0.5 },
  ],
  SamplesPerScene: 16384,
  ScenesPerBatch: 64,
  ClampingDistance: 0.1,
  CodeRegularization: true,
  CodeRegularizationLambda: 1e-4,
  CodeBound: 1.0,
  SnapshotFrequency: 1000,
  AdditionalSnapshots: [100, 500],
  GradientClipNorm: 1.0,
  ValidationFrequency: 10,
  ChamferFrequency: 100,
  Seed: 1,
  Curriculum: [],
};

const fail = (key: string, expected: string, got: unknown): never => {
  throw new SpecError(key, `expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
};
const posNum = (k: string, v: unknown): void => {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) fail(k, "a finite number > 0", v);
};
const nonNegNum = (k: string, v: unknown): void => {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(k, "a finite number >= 0", v);
};
const posInt = (k: string, v: unknown): void => {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) fail(k, "an integer > 0", v);
};

const validateSchedule = (key: string, s: unknown): void => {
  if (typeof s !== "object" || s === null) fail(key, "an object with Type Step|Warmup|Constant", s);
  const o = s as Record<string, unknown>;
  switch (o.Type) {
    case "Step": posNum(`${key}.Initial`, o.Initial); posInt(`${key}.Interval`, o.Interval); posNum(`${key}.Factor`, o.Factor); break;
    case "Warmup": posNum(`${key}.Initial`, o.Initial); posNum(`${key}.Final`, o.Final); posInt(`${key}.Length`, o.Length); break;
    case "Constant": posNum(`${key}.Value`, o.Value); break;
    default: fail(`${key}.Type`, '"Step", "Warmup" or "Constant"', o.Type);
  }
};

const MIXES = ["COARSE", "BALANCED", "DENSE", "MANUFACTURING"];

/**
 * Merge `raw` over {@link DEFAULT_SPECS} and validate every key once.
 * @throws SpecError naming the bad key and what it expected.
 */
export const validateSpecs = (raw: unknown): TrainSpecs => {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail("<root>", "a JSON object", raw);
  const r = raw as Record<string, unknown>;
  const known = new Set(Object.keys(DEFAULT_SPECS));
  for (const k of Object.keys(r)) if (!known.has(k)) throw new SpecError(k, `unknown key; expected one of ${[...known].join(", ")}`);
  const s = { ...DEFAULT_SPECS, ...r, NetworkSpecs: { ...DEFAULT_SPECS.NetworkSpecs, ...(r.NetworkSpecs as object | undefined) } } as TrainSpecs;
  if (typeof s.Description !== "string") fail("Description", "a string", s.Description);
  const n = s.NetworkSpecs;
  if (typeof n.Preset !== "string" || n.Preset === "") fail("NetworkSpecs.Preset", "a non-empty string", n.Preset);
  if (!Array.isArray(n.dims) || n.dims.length === 0) fail("NetworkSpecs.dims", "a non-empty array of integers > 0", n.dims);
  n.dims.forEach((d, i) => posInt(`NetworkSpecs.dims[${i}]`, d));
  if (!Array.isArray(n.latent_in)) fail("NetworkSpecs.latent_in", "an array of layer indices", n.latent_in);
  n.latent_in.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0 || d >= n.dims.length) fail(`NetworkSpecs.latent_in[${i}]`, `an integer in [0, ${n.dims.length})`, d);
  });
  if (typeof n.dropout_prob !== "number" || !(n.dropout_prob >= 0 && n.dropout_prob < 1)) fail("NetworkSpecs.dropout_prob", "a number in [0, 1)", n.dropout_prob);
  if (typeof n.weight_norm !== "boolean") fail("NetworkSpecs.weight_norm", "a boolean", n.weight_norm);
  posInt("CodeLength", s.CodeLength);
  posInt("NumEpochs", s.NumEpochs);
  if (!Array.isArray(s.LearningRateSchedule) || s.LearningRateSchedule.length !== 2)
    fail("LearningRateSchedule", "an array of two schedules [decoder, codes]", s.LearningRateSchedule);
  s.LearningRateSchedule.forEach((x: LearningRateScheduleSpec, i: number) => validateSchedule(`LearningRateSchedule[${i}]`, x));
  posInt("SamplesPerScene", s.SamplesPerScene);
  if (s.SamplesPerScene % 2 !== 0) fail("SamplesPerScene", "an even integer (half sdf >= 0, half sdf < 0)", s.SamplesPerScene);
  posInt("ScenesPerBatch", s.ScenesPerBatch);
  posNum("ClampingDistance", s.ClampingDistance);
  if (typeof s.CodeRegularization !== "boolean") fail("CodeRegularization", "a boolean", s.CodeRegularization);
  nonNegNum("CodeRegularizationLambda", s.CodeRegularizationLambda);
  if (s.CodeBound !== null) posNum("CodeBound", s.CodeBound);
  posInt("SnapshotFrequency", s.SnapshotFrequency);
  if (!Array.isArray(s.AdditionalSnapshots)) fail("AdditionalSnapshots", "an array of epochs", s.AdditionalSnapshots);
  s.AdditionalSnapshots.forEach((e, i) => posInt(`AdditionalSnapshots[${i}]`, e));
  posNum("GradientClipNorm", s.GradientClipNorm);
  posInt("ValidationFrequency", s.ValidationFrequency);
  posInt("ChamferFrequency", s.ChamferFrequency);
  if (!Number.isInteger(s.Seed)) fail("Seed", "an integer", s.Seed);
  if (!Array.isArray(s.Curriculum)) fail("Curriculum", "an array of phases", s.Curriculum);
  s.Curriculum.forEach((p: CurriculumPhase, i: number) => {
    const k = `Curriculum[${i}]`;
    if (typeof p !== "object" || p === null) fail(k, "a phase object", p);
    if (typeof p.Name !== "string") fail(`${k}.Name`, "a string", p.Name);
    posInt(`${k}.Epochs`, p.Epochs);
    posNum(`${k}.DecoderLearningRate`, p.DecoderLearningRate);
    posNum(`${k}.CodeLearningRate`, p.CodeLearningRate);
    if (!MIXES.includes(p.Mix)) fail(`${k}.Mix`, MIXES.map((m) => `"${m}"`).join(" | "), p.Mix);
    if (p.Tolerance !== undefined) nonNegNum(`${k}.Tolerance`, p.Tolerance);
    if (p.HardSampleWeight !== undefined) nonNegNum(`${k}.HardSampleWeight`, p.HardSampleWeight);
  });
  return s;
};

/** Total epochs of a specs: the curriculum's sum when it has phases, else `NumEpochs`. */
export const totalEpochs = (s: TrainSpecs): number =>
  s.Curriculum.length > 0 ? s.Curriculum.reduce((a, p) => a + p.Epochs, 0) : s.NumEpochs;

/**
 * Read and validate `<dir>/specs.json`.
 * @throws SpecError on a bad key; ParseError-like SpecError("<file>") on invalid JSON.
 */
export const loadSpecs = async (dir: string): Promise<TrainSpecs> => {
  const file = join(dir, "specs.json");
  const text = await readFile(file, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SpecError("<file>", `${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return validateSpecs(raw);
};
