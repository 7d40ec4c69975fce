import { describe, expect, it, beforeAll } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { sphere, box } from "@sdfkit/sdf-core";
import { analyticSource } from "./analytic-source.js";
import { DeepSdfDecoder, loadOnnxRuntime, selectBackend } from "@sdfkit/sdf-core/model";
import { CurriculumTrainer, decoderSpecsFrom, validateSpecs, type TrainSpecs } from "@sdfkit/trainer";

const shapes = { small: sphere(0.3), big: sphere(0.55), cube: box([0.35, 0.35, 0.35]) };
const specs = (): TrainSpecs =>
  validateSpecs({
    NetworkSpecs: { Preset: "seed-v1", dims: [32, 32, 32], latent_in: [], dropout_prob: 0, weight_norm: false },
    CodeLength: 4,
    SamplesPerScene: 256,
    ScenesPerBatch: 2,
    Seed: 7,
    Curriculum: [
      { Name: "COARSE", Epochs: 8, DecoderLearningRate: 5e-3, CodeLearningRate: 5e-3, Mix: "COARSE" },
      { Name: "DENSE", Epochs: 8, DecoderLearningRate: 2e-3, CodeLearningRate: 2e-3, Mix: "DENSE", Tolerance: 0.002, HardSampleWeight: 0.1 },
    ],
  });
const ort = await loadOnnxRuntime();
const engines = ort ? (["tfjs", "onnx"] as const) : (["tfjs"] as const);

for (const engine of engines)
describe(`CurriculumTrainer (${engine} engine)`, () => {
  const make = (s: TrainSpecs, opts: { signal?: AbortSignal; onEpoch?: (e: { epoch: number }) => void } = {}) => {
    const d = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(s), { seed: 1 });
    return { d, t: new CurriculumTrainer(d, Object.keys(shapes), analyticSource(shapes), s, { engine, ...opts }) };
  };
  beforeAll(async () => {
    await selectBackend({ prefer: "wasm", log: false });
  });
  it("learns several shapes through the curriculum: loss falls, the codes separate the shapes", async () => {
    const { d, t } = make(specs());
    const logs = await t.train();
    expect(logs.map((l) => l.phase)).toEqual([...Array(8).fill("COARSE"), ...Array(8).fill("DENSE")]);
    expect(logs[logs.length - 1].l1).toBeLessThan(logs[0].l1 / 2);
    // the decoder with each shape's code gets the sign of clearly inside / outside points right
    const codes = t.codes.arraySync() as number[][];
    const probe = new Float32Array([0, 0, 0, 0.45, 0, 0, 0.9, 0, 0]);
    const small = d.toSdf(Float32Array.from(codes[0]))(probe), big = d.toSdf(Float32Array.from(codes[1]))(probe);
    expect(small[0]).toBeLessThan(0); // centre inside both
    expect(big[0]).toBeLessThan(0);
    expect(small[1]).toBeGreaterThan(0); // 0.45 is outside the small sphere, inside the big one
    expect(big[1]).toBeLessThan(0);
    expect(small[2]).toBeGreaterThan(0);
    t.dispose();
    d.dispose();
  }, 120_000);
  it("resumes from a checkpoint to exactly the weights of an uninterrupted run", async () => {
    const s = validateSpecs({ ...specs(), Curriculum: [{ ...specs().Curriculum[0], Epochs: 3 }, { ...specs().Curriculum[1], Epochs: 3 }] });
    const a = make(s);
    await a.t.train();
    const b = make(s);
    await b.t.train(3);
    const ckpt = await b.t.checkpoint();
    b.t.dispose();
    b.d.dispose();
    const c = make(s);
    await c.t.restore(ckpt);
    await c.t.train();
    expect(c.t.epoch).toBe(6);
    const wa = a.d.getWeights(), wc = c.d.getWeights();
    wa.forEach((w, i) => expect(Array.from(wc[i])).toEqual(Array.from(w)));
    expect(Array.from(c.t.codes.dataSync())).toEqual(Array.from(a.t.codes.dataSync()));
    for (const x of [a, c]) {
      x.t.dispose();
      x.d.dispose();
    }
  }, 120_000);
  it("keeps the tfjs tensor count flat across epochs and stops on abort", async () => {
    const { d, t } = make(specs());
    await t.train(2);
    const before = tf.memory().numTensors;
    await t.train(6);
    expect(tf.memory().numTensors).toBe(before);
    const ac = new AbortController();
    const { d: d2, t: t3 } = make(specs(), { signal: ac.signal, onEpoch: (e) => void (e.epoch === 2 && ac.abort()) });
    await t3.train();
    expect(t3.epoch).toBe(2);
    expect(await t3.engine()).toBe(engine);
    for (const x of [t, t3]) x.dispose();
    d.dispose();
    d2.dispose();
  }, 120_000);

  it("memory stays flat over 1,000 steps: tfjs tensor count and RSS", async () => {
    const s = validateSpecs({
      NetworkSpecs: { Preset: "seed-v1", dims: [128, 128], latent_in: [], dropout_prob: 0, weight_norm: false },
      CodeLength: 8,
      SamplesPerScene: 128,
      ScenesPerBatch: 3,
      Seed: 1,
      NumEpochs: 1000,
      LearningRateSchedule: [{ Type: "Constant", Value: 1e-3 }, { Type: "Constant", Value: 1e-3 }],
    });
    const d = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(s), { seed: 1 });
    const rss: number[] = [], tensors: number[] = [];
    const t = new CurriculumTrainer(d, Object.keys(shapes), analyticSource(shapes), s, {
      engine,
      onEpoch: (e) => {
        if (e.epoch % 100 === 0) {
          rss.push(process.memoryUsage().rss);
          tensors.push(tf.memory().numTensors);
        }
      },
    });
    await t.train();
    expect(tensors.length).toBe(10);
    expect(new Set(tensors).size).toBe(1);
    // a per-step leak of the weights alone (~68 kB) would add ~55 MB over the last 800 steps
    expect(Math.max(...rss.slice(2)) - rss[1]).toBeLessThan(30e6);
    t.dispose();
    d.dispose();
  }, 120_000);
});

describe.skipIf(!ort)("CurriculumTrainer engines", () => {
  it("onnx and tfjs take the same steps (float32 rounding apart) and the env variable picks the engine", async () => {
    await selectBackend({ prefer: "wasm", log: false });
    const s = validateSpecs({ ...specs(), Curriculum: [{ ...specs().Curriculum[0], Epochs: 2 }, { ...specs().Curriculum[1], Epochs: 2 }] });
    const runs = [];
    for (const engine of ["tfjs", "onnx"] as const) {
      const d = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(s), { seed: 1 });
      const t = new CurriculumTrainer(d, Object.keys(shapes), analyticSource(shapes), s, { engine });
      runs.push({ logs: await t.train(), w: d.getWeights(), t, d });
    }
    const [a, b] = runs;
    a.logs.forEach((l, i) => expect(Math.abs(l.loss - b.logs[i].loss) / l.loss).toBeLessThan(1e-3));
    let worst = 0;
    a.w.forEach((w, i) => w.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - b.w[i][k])))));
    expect(worst).toBeLessThan(1e-4);
    for (const r of runs) {
      r.t.dispose();
      r.d.dispose();
    }
    const prev = process.env.SDFKIT_TRAIN_ENGINE;
    process.env.SDFKIT_TRAIN_ENGINE = "tfjs";
    const d = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(s), { seed: 1 });
    const t = new CurriculumTrainer(d, Object.keys(shapes), analyticSource(shapes), s);
    expect(await t.engine()).toBe("tfjs");
    process.env.SDFKIT_TRAIN_ENGINE = prev ?? "";
    if (prev === undefined) delete process.env.SDFKIT_TRAIN_ENGINE;
    expect(await new CurriculumTrainer(d, Object.keys(shapes), analyticSource(shapes), s).engine()).toBe("onnx");
    expect(() => new CurriculumTrainer(d, Object.keys(shapes), analyticSource(shapes), s, { engine: "gpu" as never })).toThrow(/opts\.engine/);
    t.dispose();
    d.dispose();
  }, 120_000);
});
