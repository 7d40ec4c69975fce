import { describe, expect, it, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { DeepSdfDecoder, DECODER_PRESETS, parameterCount, positionalEncoding, positionalEncodingImpl, selectBackend, type NetworkSpecs } from "@sdfkit/sdf-core/model";
import { InvalidArgumentError, ParseError, SpecError, sampleGrid, marchingCubes, meshReport } from "@sdfkit/sdf-core";

interface Case { name: string; specs: NetworkSpecs; weights: number[][]; input: number[]; target: number[]; output: number[]; loss: number; grads: number[][]; latentGrad: number[] }
const fixture = JSON.parse(readFileSync(join(__dirname, "fixtures", "torch-decoder.json"), "utf8")) as { cases: Case[] };

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
};

for (const backend of ["cpu", "wasm"] as const) {
  describe(`DeepSdfDecoder against PyTorch (${backend} backend)`, () => {
    beforeAll(async () => {
      await selectBackend({ prefer: backend, log: false });
    });
    for (const c of fixture.cases) {
      it(`${c.name}: outputs within 1e-5 and the gradients of one training step`, () => {
        const d = DeepSdfDecoder.fromSpecs(c.specs);
        d.setWeights(c.weights);
        const L = c.specs.latentSize, n = c.target.length;
        const input = tf.tensor2d(c.input, [n, L + 3]);
        const out = tf.tidy(() => d.forward(input).out.dataSync());
        close(out, c.output, 1e-5);
        // gradients of: mean |clamp(out) − clamp(target)| + 1e-4 · mean(z²), w.r.t. weights and latents
        const z = tf.variable(tf.slice(input, [0, 0], [n, L]));
        const xyz = tf.slice(input, [0, L], [n, 3]);
        const t = tf.tensor2d(c.target, [n, 1]);
        const { value, grads } = tf.variableGrads(() => {
          const o = d.forward(tf.concat([z, xyz], 1) as tf.Tensor2D).out;
          const l1 = tf.mean(tf.abs(tf.sub(tf.clipByValue(o, -0.1, 0.1), tf.clipByValue(t, -0.1, 0.1))));
          return tf.add(l1, tf.mul(1e-4, tf.mean(tf.square(z)))) as tf.Scalar;
        }, [...d.variables, z]);
        expect(value.dataSync()[0]).toBeCloseTo(c.loss, 5);
        d.variables.forEach((v, i) => close(grads[v.name].dataSync(), c.grads[i], 2e-4));
        close(grads[z.name].dataSync(), c.latentGrad, 2e-4);
        tf.dispose([input, z, xyz, t, value, ...Object.values(grads)]);
        d.dispose();
      });
    }
  });
}

describe("DeepSdfDecoder", () => {
  beforeAll(async () => {
    await selectBackend({ prefer: "wasm", log: false });
  });
  it("reports parameter counts of the presets", () => {
    // deepsdf: 1,839,358 weights and biases + 3,837 weight-norm gains (DeepSDF's ≈ 1.84 M)
    expect(parameterCount(DECODER_PRESETS.deepsdf)).toBe(1_843_195);
    expect(parameterCount(DECODER_PRESETS["seed-v2"])).toBe(460_890);
    expect(parameterCount(DECODER_PRESETS["seed-v1"])).toBe(58_369);
  });
  it("positional encoding matches its typed-array implementation", () => {
    const xyz = new Float32Array([0.1, -0.4, 0.7, 0.9, 0.2, -1]);
    const a = tf.tidy(() => positionalEncoding(tf.tensor2d(xyz, [2, 3]), 4).dataSync());
    close(a, positionalEncodingImpl(xyz, 4), 1e-5);
  });
  it("toSdf feeds sampleGrid and marching cubes; activations are batched and match forward", async () => {
    const d = DeepSdfDecoder.fromSpecs({ latentSize: 4, dims: [16, 16, 16], latentIn: [2], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: 1 }, { seed: 3 });
    const z = new Float32Array([0.1, -0.2, 0.3, 0.05]);
    const sdf = d.toSdf(z, { batchSize: 100 });
    const grid = sampleGrid(sdf, { res: 12 });
    expect(grid.data.every(Number.isFinite)).toBe(true);
    const pts = new Float32Array(3 * 250).map((_, i) => Math.sin(i));
    const acts = await d.activations(z, pts, [0, 2], { batchSize: 64 });
    expect(acts[0].length).toBe(250 * 16);
    const ref = tf.tidy(() => {
      const input = tf.concat([tf.tile(tf.tensor2d(z, [1, 4]), [250, 1]), tf.tensor2d(pts, [250, 3])], 1) as tf.Tensor2D;
      return d.forward(input, { keepHidden: true }).hidden[2].dataSync();
    });
    close(acts[1], ref, 1e-6);
    expect(acts[0].every((v) => v >= 0)).toBe(true); // ReLU outputs
    d.dispose();
    void marchingCubes;
    void meshReport;
  });
  it("round-trips through the portable bundle and rejects corrupt ones", () => {
    const d = DeepSdfDecoder.fromSpecs("seed-v1", { seed: 5 });
    const { json, data } = d.toBundle();
    const back = DeepSdfDecoder.fromBundle(JSON.parse(JSON.stringify(json)), data.slice());
    const z = new Float32Array(64).fill(0.1);
    const p = new Float32Array([0.1, 0.2, 0.3, -0.5, 0, 0.5]);
    close(back.toSdf(z)(p), d.toSdf(z)(p), 1e-7);
    expect(() => DeepSdfDecoder.fromBundle({ ...json, format: "other" }, data)).toThrow(ParseError);
    expect(() => DeepSdfDecoder.fromBundle(json, data.subarray(1))).toThrow(/expected \d+ float32 parameters/);
    expect(() => DeepSdfDecoder.fromBundle({ ...json, specs: DECODER_PRESETS["seed-v2"] }, data)).toThrow(ParseError);
    d.dispose();
    back.dispose();
  });
  it("rejects bad input with typed errors", () => {
    const d = DeepSdfDecoder.fromSpecs("seed-v1");
    expect(() => DeepSdfDecoder.fromSpecs("giant" as never)).toThrow(InvalidArgumentError);
    expect(() => DeepSdfDecoder.fromSpecs({ ...DECODER_PRESETS["seed-v2"], dims: [256, 256, 256, 100, 256] })).toThrow(SpecError);
    expect(() => d.toSdf(new Float32Array(3))).toThrow(/latent/);
    expect(() => d.toSdf(new Float32Array(64))(new Float32Array([0, NaN, 0]))).toThrow(/finite/);
    expect(() => tf.tidy(() => d.forward(tf.zeros([4, 5]) as tf.Tensor2D))).toThrow(/\[N, 67\]/);
    expect(() => d.setWeights([new Float32Array(3)])).toThrow(InvalidArgumentError);
    d.dispose();
  });
  it("keeps the tensor count flat over 1,000 training steps", () => {
    const d = DeepSdfDecoder.fromSpecs({ latentSize: 2, dims: [8, 8], latentIn: [], dropout: [0], dropoutProb: 0.2, weightNorm: true, peFrequencies: 0 }, { seed: 1 });
    const opt = tf.train.adam(1e-3);
    const x = tf.randomUniform([32, 5], -1, 1, "float32", 1) as tf.Tensor2D;
    const t = tf.randomUniform([32, 1], -0.1, 0.1, "float32", 2);
    const step = (i: number) => opt.minimize(() => tf.mean(tf.abs(tf.sub(d.forward(x, { training: true, seed: i }).out, t))) as tf.Scalar, false, d.variables);
    for (let i = 0; i < 10; i++) step(i);
    const before = tf.memory().numTensors;
    for (let i = 10; i < 1000; i++) step(i);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
    opt.dispose();
    d.dispose();
  });
});
