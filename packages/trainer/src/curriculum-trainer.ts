import * as tf from "@tensorflow/tfjs";
import type { Mesh, Rng, SampleSource, SdfSamples } from "@sdfkit/sdf-core";
import { chamferDistance, createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { extractMeshAsync } from "./extract-mesh.js";
import { sampleMetrics } from "./validate-decoder.js";
import { writeTrainingLog, type LogRow } from "./training-log.js";
import { DECODER_PRESETS, DeepSdfDecoder, type NetworkSpecs as DecoderSpecs, type TrainStepEngine } from "@sdfkit/sdf-core/model";
import { resolveStepEngine } from "./internal/step-engine.js";
import type { TrainSpecs } from "./api.js";
import { learningRates, phaseAt } from "./learning-rate-schedule.js";
import { totalEpochs } from "./specs.js";
import { ExactAdam } from "./internal/adam.js";
import type { TrainingCheckpoint } from "./checkpoint.js";

/** The decoder architecture a `specs.json` asks for (its preset, overridden by the DeepSDF keys). */
export const decoderSpecsFrom = (s: TrainSpecs): DecoderSpecs => {
  const preset = DECODER_PRESETS[s.NetworkSpecs.Preset as keyof typeof DECODER_PRESETS];
  if (!preset) throw new InvalidArgumentError("decoderSpecsFrom", "NetworkSpecs.Preset", Object.keys(DECODER_PRESETS).join(", "), s.NetworkSpecs.Preset);
  const dims = s.NetworkSpecs.dims;
  return {
    latentSize: s.CodeLength,
    dims,
    latentIn: s.NetworkSpecs.latent_in,
    dropout: s.NetworkSpecs.dropout_prob > 0 ? dims.map((_, i) => i) : [],
    dropoutProb: s.NetworkSpecs.dropout_prob,
    weightNorm: s.NetworkSpecs.weight_norm,
    peFrequencies: preset.peFrequencies,
  };
};

/** What every epoch reports. */
export interface EpochLog {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Mean clamped L1 part of the loss. */
  l1: number;
  decoderLearningRate: number;
  codeLearningRate: number;
  /** Curriculum phase name ("" without a curriculum). */
  phase: string;
  seconds: number;
  /** Mean sign accuracy on the held-out samples (validation epochs only). */
  valSignAccuracy?: number;
  /** Mean clamped L1 on the held-out samples (validation epochs only). */
  valL1?: number;
  /** Mean Chamfer distance (DeepSDF definition, unscaled) of extracted meshes to the reference meshes (Chamfer epochs only). */
  chamfer?: number;
}

/** Held-out data for the validation inside {@link CurriculumTrainer.train}. */
export interface TrainerValidation {
  /** Held-out samples of a shape (sign accuracy and L1 every `ValidationFrequency` epochs). */
  samples: (shape: string) => SdfSamples | Promise<SdfSamples>;
  /** Reference mesh of a shape, in the samples' frame (Chamfer every `ChamferFrequency` epochs); omit to skip Chamfer. */
  mesh?: (shape: string) => Mesh | Promise<Mesh>;
  /** Grid resolution of the extracted meshes. @defaultValue 129 */
  meshRes?: number;
  /** Surface points per mesh for Chamfer. @defaultValue 30000 */
  chamferSamples?: number;
}

/** Options of {@link CurriculumTrainer}. */
export interface TrainerOptions {
  /** Stop after the current batch when aborted (the epoch counter keeps the last finished epoch). */
  signal?: AbortSignal;
  onEpoch?: (e: EpochLog) => void;
  onStep?: (e: { epoch: number; step: number; loss: number }) => void;
  /** Called after every epoch with a checkpoint of the finished state (e.g. `saveCheckpoint`). */
  onCheckpoint?: (c: TrainingCheckpoint) => Promise<void> | void;
  /** Validation data: sign accuracy / L1 and Chamfer at the specs' frequencies. */
  validation?: TrainerValidation;
  /** Experiment folder: `log.csv` and `log.png` (loss and validation curves) are rewritten after validation epochs, at most every `logEverySeconds` otherwise, and when `train` returns. */
  logDir?: string;
  /** Least wall time between two log rewrites outside validation epochs (a PNG per epoch costs ~30 % of a small run). @defaultValue 10 */
  logEverySeconds?: number;
  /**
   * What computes each step's forward and backward pass: `onnx` = the decoder's training graph on
   * onnxruntime-node (optional peer; MLAS on all cores, 4–6× TensorFlow.js-wasm), `tfjs` = the current
   * TensorFlow.js backend, `auto` = `onnx` when onnxruntime-node loads. The environment variable
   * SDFKIT_TRAIN_ENGINE overrides `auto`. Both compute the same loss and gradients (float32 rounding
   * apart); a run resumes on the engine it started with. @defaultValue "auto"
   */
  engine?: "auto" | "tfjs" | "onnx";
  /** onnxruntime intra-op threads for the `onnx` engine; 0 = all cores. @defaultValue 0 */
  threads?: number;
}

/**
 * Auto-decoder training over many shapes (DeepSDF): one latent code per shape (init N(0, 1/√L),
 * max norm `CodeBound`), batches of `ScenesPerBatch` shapes × `SamplesPerScene` samples, half with
 * sdf ≥ 0 and half < 0, drawn through an injected {@link SampleSource} with the phase's mix; loss =
 * mean of the clamped L1 error (Curriculum-DeepSDF tolerance ε and hard-sample weight λ per phase)
 * + `CodeRegularizationLambda` · min(1, epoch/100) · mean ‖z‖ (DeepSDF's code, not the paper's ‖z‖²);
 * Adam with separate decoder and code learning rates; gradients clipped by global norm. Same seed and
 * samples give the same weights, and {@link CurriculumTrainer.restore} resumes exactly.
 */
export class CurriculumTrainer {
  readonly decoder: DeepSdfDecoder;
  readonly shapes: string[];
  readonly specs: TrainSpecs;
  readonly codes: tf.Variable;
  /** Finished epochs. */
  epoch = 0;
  /** Every finished epoch's log row (kept across `train` calls; restored checkpoints continue it). */
  readonly history: LogRow[] = [];
  private step = 0;
  private __lastLog = -Infinity;
  private __loggedEpoch = -1;
  private readonly rng: Rng;
  private readonly optDecoder: ExactAdam;
  private readonly optCodes: ExactAdam;
  private __engine?: Promise<TrainStepEngine | null>;

  constructor(decoder: DeepSdfDecoder, shapes: string[], private readonly source: SampleSource, specs: TrainSpecs, private readonly opts: TrainerOptions = {}) {
    if (!Array.isArray(shapes) || shapes.length === 0) throw new InvalidArgumentError("CurriculumTrainer", "shapes", "a non-empty array of shape names", shapes);
    if (decoder.specs.latentSize !== specs.CodeLength)
      throw new InvalidArgumentError("CurriculumTrainer", "decoder", `a decoder with latent size CodeLength = ${specs.CodeLength}`, decoder.specs.latentSize);
    this.decoder = decoder;
    this.shapes = shapes;
    this.specs = specs;
    this.rng = createRng(specs.Seed);
    const L = specs.CodeLength, sd = 1 / Math.sqrt(L);
    const init = Float32Array.from({ length: shapes.length * L }, () => sd * this.rng.normal());
    this.codes = tf.tidy(() => tf.variable(tf.tensor2d(init, [shapes.length, L]), true));
    this.optDecoder = new ExactAdam(decoder.variables);
    this.optCodes = new ExactAdam([this.codes]);
    const e = opts.engine ?? "auto";
    if (!["auto", "tfjs", "onnx"].includes(e)) throw new InvalidArgumentError("CurriculumTrainer", "opts.engine", "auto, tfjs or onnx", e);
  }

  /** The engine that computes the steps: `onnx` or `tfjs` (resolved on first use). */
  async engine(): Promise<"onnx" | "tfjs"> {
    return (await this.__stepEngine()) ? "onnx" : "tfjs";
  }

  /** @internal The onnx training step, or null for TensorFlow.js. */
  private __stepEngine(): Promise<TrainStepEngine | null> {
    return (this.__engine ??= resolveStepEngine("CurriculumTrainer", this.decoder.specs, this.opts.engine ?? "auto", { threads: this.opts.threads ?? 0, codesOnly: false }));
  }

  /** @internal Draw one batch: per chosen shape, half non-negative and half negative samples. */
  private async __batch(scenes: number[], mix: string) {
    const per = this.specs.SamplesPerScene, half = per >> 1;
    const n = scenes.length * per;
    const xyz = new Float32Array(3 * n), sdf = new Float32Array(n), idx = new Int32Array(n);
    let at = 0;
    for (const s of scenes) {
      const smp = await this.source.sample(this.shapes[s], per, mix, this.rng);
      const pos: number[] = [], neg: number[] = [];
      for (let i = 0; i < smp.sdf.length; i++) (smp.sdf[i] >= 0 ? pos : neg).push(i);
      if (pos.length === 0 || neg.length === 0)
        throw new InvalidArgumentError("CurriculumTrainer", "source", "samples with both signs for every shape", `${this.shapes[s]}: ${pos.length} ≥ 0, ${neg.length} < 0`);
      for (let k = 0; k < per; k++) {
        const from = k < half ? pos : neg;
        const j = from[this.rng.int(from.length)];
        xyz[3 * at] = smp.points[3 * j];
        xyz[3 * at + 1] = smp.points[3 * j + 1];
        xyz[3 * at + 2] = smp.points[3 * j + 2];
        sdf[at] = smp.sdf[j];
        idx[at++] = s;
      }
    }
    return { xyz, sdf, idx, n };
  }

  /** Train until `untilEpoch` (default: the curriculum's or NumEpochs' end). Resolves with the epoch logs. */
  async train(untilEpoch = totalEpochs(this.specs)): Promise<EpochLog[]> {
    const logs: EpochLog[] = [];
    const S = this.specs, nS = this.shapes.length;
    const vars = this.decoder.variables;
    while (this.epoch < untilEpoch) {
      if (this.opts.signal?.aborted) break;
      const t0 = performance.now();
      const ph = phaseAt(S, this.epoch);
      const lr = learningRates(S, this.epoch);
      const eps = ph?.phase.Tolerance ?? 0, hard = ph?.phase.HardSampleWeight ?? 0;
      const mix = ph?.phase.Mix ?? "BALANCED";
      const order = Array.from({ length: nS }, (_, i) => i);
      for (let i = nS - 1; i > 0; i--) {
        const j = this.rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      let sumLoss = 0, sumL1 = 0, batches = 0;
      for (let b = 0; b < nS; b += S.ScenesPerBatch) {
        if (this.opts.signal?.aborted) break;
        const { xyz, sdf, idx, n } = await this.__batch(order.slice(b, b + S.ScenesPerBatch), mix);
        const regScale = S.CodeRegularization ? S.CodeRegularizationLambda * Math.min(1, this.epoch / 100) : 0;
        const seed = this.step;
        const lossOpts = { clamp: S.ClampingDistance, tolerance: eps, hardSampleWeight: hard, codeRegularization: regScale, dropoutSeed: seed };
        const eng = await this.__stepEngine();
        let loss: number, l1: number;
        if (eng) {
          const r = await eng.step(this.decoder.getWeights(), { xyz, sdf, shape: idx, codes: this.codes.dataSync() as Float32Array }, lossOpts);
          [loss, l1] = [r.loss, r.l1];
          tf.tidy(() => this.__apply(vars.map((v, i) => tf.tensor(r.grads[i], v.shape)), tf.tensor(r.codeGrads, this.codes.shape), lr));
        } else
          [loss, l1] = tf.tidy(() => {
            // gather-free lookup (wasm has no gather gradient); tf.oneHot needs depth >= 2, one shape is a column of ones
            const oneHot = (nS === 1 ? tf.ones([n, 1]) : tf.oneHot(tf.tensor1d(idx, "int32"), nS).toFloat()) as tf.Tensor2D;
            const pts = tf.tensor2d(xyz, [n, 3]);
            const gt = tf.clipByValue(tf.tensor2d(sdf, [n, 1]), -S.ClampingDistance, S.ClampingDistance);
            let l1Value = 0;
            const { value, grads } = tf.variableGrads(() => {
              const z = tf.matMul(oneHot, this.codes);
              const pred = tf.clipByValue(this.decoder.forward(tf.concat([z, pts], 1) as tf.Tensor2D, { training: true, seed }).out, -S.ClampingDistance, S.ClampingDistance);
              let err = tf.abs(tf.sub(pred, gt));
              if (eps > 0) err = tf.relu(tf.sub(err, eps));
              if (hard > 0) err = tf.mul(err, tf.add(1, tf.mul(hard, tf.mul(tf.sign(gt), tf.sign(tf.sub(gt, pred))))));
              const l1t = tf.mean(err);
              l1Value = l1t.dataSync()[0];
              return regScale > 0 ? (tf.add(l1t, tf.mul(regScale, tf.mean(tf.norm(z, "euclidean", 1)))) as tf.Scalar) : (l1t as tf.Scalar);
            }, [...vars, this.codes]);
            this.__apply(vars.map((v) => grads[v.name]), grads[this.codes.name], lr);
            return [value.dataSync()[0], l1Value];
          });
        this.step++;
        sumLoss += loss;
        sumL1 += l1;
        batches++;
        this.opts.onStep?.({ epoch: this.epoch, step: this.step, loss });
      }
      if (this.opts.signal?.aborted && batches * S.ScenesPerBatch < nS) break;
      this.epoch++;
      const log: EpochLog = { epoch: this.epoch, loss: sumLoss / batches, l1: sumL1 / batches, decoderLearningRate: lr.decoder, codeLearningRate: lr.codes, phase: ph?.phase.Name ?? "", seconds: (performance.now() - t0) / 1000 };
      await this.__validate(log);
      logs.push(log);
      this.history.push({ epoch: log.epoch, values: { loss: log.loss, l1: log.l1, val_l1: log.valL1, val_sign_error: log.valSignAccuracy === undefined ? undefined : 1 - log.valSignAccuracy, chamfer: log.chamfer } });
      if (this.opts.logDir && (log.valL1 !== undefined || log.chamfer !== undefined || performance.now() - this.__lastLog >= 1000 * (this.opts.logEverySeconds ?? 10))) await this.__writeLog();
      this.opts.onEpoch?.(log);
      if (this.opts.onCheckpoint) await this.opts.onCheckpoint(await this.checkpoint());
    }
    if (this.opts.logDir && this.__loggedEpoch !== this.epoch) await this.__writeLog();
    return logs;
  }

  /** @internal Rewrite log.csv and log.png from the history. */
  private async __writeLog(): Promise<void> {
    await writeTrainingLog(this.opts.logDir!, this.history);
    this.__lastLog = performance.now();
    this.__loggedEpoch = this.epoch;
  }

  /** @internal Clip the gradients by global norm, take one Adam step on decoder and codes, bound the codes. Call inside tf.tidy. */
  private __apply(decoderGrads: tf.Tensor[], codeGrads: tf.Tensor, lr: { decoder: number; codes: number }): void {
    const S = this.specs;
    const all = [...decoderGrads, codeGrads];
    const gnorm = Math.sqrt(all.reduce((a, g) => a + tf.sum(tf.square(g)).dataSync()[0], 0));
    const k = gnorm > S.GradientClipNorm ? S.GradientClipNorm / gnorm : 1;
    const scaled = (g: tf.Tensor) => (k === 1 ? g : tf.mul(g, k));
    this.optDecoder.apply(decoderGrads.map(scaled), lr.decoder);
    this.optCodes.apply([scaled(codeGrads)], lr.codes);
    if (S.CodeBound !== null) {
      const norms = tf.norm(this.codes, "euclidean", 1, true);
      this.codes.assign(tf.mul(this.codes, tf.minimum(1, tf.div(S.CodeBound, tf.maximum(norms, 1e-12)))));
    }
  }

  /** The latent code of shape `i` (`all`: the code table already read, to avoid a copy per shape). */
  latent(i: number, all = this.codes.dataSync() as Float32Array): Float32Array {
    if (!Number.isInteger(i) || i < 0 || i >= this.shapes.length) throw new InvalidArgumentError("CurriculumTrainer.latent", "i", `a shape index in 0..${this.shapes.length - 1}`, i);
    const L = this.specs.CodeLength;
    return all.slice(i * L, (i + 1) * L);
  }

  /** @internal Validation at the specs' frequencies (and always after the last epoch). */
  private async __validate(log: EpochLog): Promise<void> {
    const v = this.opts.validation;
    if (!v) return;
    const S = this.specs;
    const last = this.epoch === totalEpochs(S);
    const codes = this.codes.dataSync() as Float32Array; // read the table once for every shape
    if (this.epoch % S.ValidationFrequency === 0 || last) {
      let acc = 0, l1 = 0;
      for (let i = 0; i < this.shapes.length; i++) {
        const m = sampleMetrics(this.decoder, this.latent(i, codes), await v.samples(this.shapes[i]), { clamp: S.ClampingDistance });
        acc += m.signAccuracy;
        l1 += m.l1;
      }
      log.valSignAccuracy = acc / this.shapes.length;
      log.valL1 = l1 / this.shapes.length;
    }
    if (v.mesh && (this.epoch % S.ChamferFrequency === 0 || last)) {
      let cd = 0;
      for (let i = 0; i < this.shapes.length; i++) {
        const { mesh } = await extractMeshAsync(this.decoder, this.latent(i, codes), { res: v.meshRes ?? 129, engine: this.opts.engine === "tfjs" ? "tfjs" : "auto" });
        if (mesh.indices.length === 0) return void (log.chamfer = Infinity);
        cd += chamferDistance(mesh, await v.mesh(this.shapes[i]), { samples: v.chamferSamples ?? 30000 }).chamfer;
      }
      log.chamfer = cd / this.shapes.length;
    }
  }

  /** The whole training state after the last finished epoch. */
  async checkpoint(): Promise<TrainingCheckpoint> {
    const decoder: Record<string, Float32Array> = {};
    this.decoder.getWeights().forEach((w, i) => (decoder[`w${String(i).padStart(4, "0")}`] = w));
    const optimizer: Record<string, Float32Array> = {};
    for (const [tag, opt] of [["dec", this.optDecoder], ["code", this.optCodes]] as const)
      opt.getState().forEach((a, i) => (optimizer[`${tag}/${String(i).padStart(5, "0")}`] = a));
    return { epoch: this.epoch, decoder, codes: this.codes.dataSync() as Float32Array, optimizer, rngState: this.rng.getState(), meta: { step: this.step, shapes: this.shapes, history: this.history } };
  }

  /** Continue from a checkpoint of a trainer with the same specs, shapes and decoder architecture. */
  async restore(c: TrainingCheckpoint): Promise<void> {
    const keys = Object.keys(c.decoder).sort();
    this.decoder.setWeights(keys.map((k) => c.decoder[k]));
    if (c.codes.length !== this.codes.size) throw new InvalidArgumentError("CurriculumTrainer.restore", "checkpoint.codes", `${this.codes.size} values`, c.codes.length);
    this.codes.assign(tf.tensor2d(c.codes, this.codes.shape as [number, number]));
    for (const [tag, opt] of [["dec", this.optDecoder], ["code", this.optCodes]] as const) {
      const ks = Object.keys(c.optimizer).filter((k) => k.startsWith(`${tag}/`)).sort();
      if (ks.length !== 1 + 2 * opt.vars.length)
        throw new InvalidArgumentError("CurriculumTrainer.restore", "checkpoint.optimizer", `${1 + 2 * opt.vars.length} '${tag}/' arrays`, ks.length);
      opt.setState(ks.map((k) => c.optimizer[k]));
    }
    this.rng.setState(c.rngState);
    this.epoch = c.epoch;
    this.step = Number((c.meta as { step?: number })?.step ?? 0);
    const h = (c.meta as { history?: LogRow[] })?.history;
    this.history.length = 0;
    if (Array.isArray(h)) this.history.push(...h.filter((r) => r.epoch <= c.epoch));
  }

  /** Free the codes and optimizer state (the decoder belongs to the caller). */
  dispose(): void {
    void this.__engine?.then((e) => e?.dispose());
    this.codes.dispose();
    this.optDecoder.dispose();
    this.optCodes.dispose();
  }
}
