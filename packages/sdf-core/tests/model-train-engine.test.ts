import { describe, expect, it, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { __dropoutMask, createTrainStepEngine, DeepSdfDecoder, foldDecoderWeights, layerShapes, loadOnnxRuntime, positionalEncoding, selectBackend, type NetworkSpecs } from "@sdfkit/sdf-core/model";
import { InvalidArgumentError, UnsupportedError } from "@sdfkit/sdf-core";

interface Case { name: string; specs: NetworkSpecs; weights: number[][]; input: number[]; target: number[]; loss: number; grads: number[][]; latentGrad: number[] }
const fixture = JSON.parse(readFileSync(join(__dirname, "fixtures", "torch-decoder.json"), "utf8")) as { cases: Case[] };

const worstRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]) / Math.max(1e-3, Math.abs(b[i])));
  return w;
};
const batchOf = (N: number, S: number, L: number, seed: number) => ({
  xyz: Float32Array.from({ length: 3 * N }, (_, i) => Math.sin((i + seed) * 12.9898) * 0.9),
  sdf: Float32Array.from({ length: N }, (_, i) => Math.cos((i + seed) * 2.3) * 0.15),
  shape: Int32Array.from({ length: N }, (_, i) => (i * 7 + seed) % S),
  codes: Float32Array.from({ length: S * L }, (_, i) => Math.sin((i + seed) * 0.77) * 0.3),
});

const ort = await loadOnnxRuntime();

describe.skipIf(!ort)(`createTrainStepEngine (onnx)${ort ? "" : " (skipped: optional peer onnxruntime-node is not installed)"}`, () => {
  beforeAll(async () => {
    await selectBackend({ prefer: "cpu", log: false });
  });

  for (const c of fixture.cases)
    it(`${c.name}: the gradients of PyTorch's training step (fixture)`, async () => {
      const d = DeepSdfDecoder.fromSpecs(c.specs);
      d.setWeights(c.weights);
      const L = c.specs.latentSize, n = c.target.length;
      // one code row per sample; the fixture's loss is mean|clamp(out) − clamp(t)| + 1e-4·mean(z²)
      const codes = Float32Array.from({ length: n * L }, (_, k) => c.input[Math.floor(k / L) * (L + 3) + (k % L)]);
      const xyz = Float32Array.from({ length: 3 * n }, (_, k) => c.input[Math.floor(k / 3) * (L + 3) + L + (k % 3)]);
      const e = await createTrainStepEngine(c.specs, { threads: 1 });
      const batch = { xyz, sdf: Float32Array.from(c.target), shape: Int32Array.from({ length: n }, (_, i) => i), codes };
      const r = await e.step(d.getWeights(), batch, { clamp: 0.1, codeL2: 1e-4 });
      expect(r.loss).toBeCloseTo(c.loss, 5);
      r.grads.forEach((g, i) => expect(worstRel(g, c.grads[i])).toBeLessThan(2e-4));
      expect(worstRel(r.codeGrads, c.latentGrad)).toBeLessThan(2e-4);
      // the latent-only graph gives the same code gradient and no weight gradients
      const codesOnly = await createTrainStepEngine(c.specs, { threads: 1, codesOnly: true });
      const rc = await codesOnly.step(d.getWeights(), batch, { clamp: 0.1, codeL2: 1e-4 });
      expect(rc.grads).toEqual([]);
      expect(worstRel(rc.codeGrads, r.codeGrads)).toBeLessThan(1e-6);
      await codesOnly.dispose();
      await e.dispose();
      d.dispose();
    });

  const SPECS: Record<string, NetworkSpecs> = {
    "PE + skip": { latentSize: 8, dims: [32, 32, 32, 32], latentIn: [2], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: 2 },
    "weight norm + skip": { latentSize: 6, dims: [24, 24, 24], latentIn: [1], dropout: [], dropoutProb: 0, weightNorm: true, peFrequencies: 0 },
    "no skip": { latentSize: 4, dims: [16, 16], latentIn: [], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: 1 },
  };
  for (const [name, specs] of Object.entries(SPECS))
    it(`${name}: loss and gradients equal TensorFlow.js variableGrads of the trainer's loss (tolerance, hard samples, code regularisation)`, async () => {
      const d = DeepSdfDecoder.fromSpecs(specs, { seed: 3 });
      const N = 200, S = 3, L = specs.latentSize;
      const b = batchOf(N, S, L, 5);
      const lo = { clamp: 0.1, tolerance: 0.01, hardSampleWeight: 0.3, codeRegularization: 0.05 };
      const e = await createTrainStepEngine(specs, { threads: 2 });
      const r = await e.step(d.getWeights(), b, lo);
      const cv = tf.variable(tf.tensor2d(b.codes, [S, L]));
      const { value, grads } = tf.variableGrads(() => {
        const z = tf.matMul(tf.oneHot(tf.tensor1d(b.shape, "int32"), S).toFloat() as tf.Tensor2D, cv);
        const gt = tf.clipByValue(tf.tensor2d(b.sdf, [N, 1]), -lo.clamp, lo.clamp);
        const pred = tf.clipByValue(d.forward(tf.concat([z, tf.tensor2d(b.xyz, [N, 3])], 1) as tf.Tensor2D).out, -lo.clamp, lo.clamp);
        const err = tf.mul(tf.relu(tf.sub(tf.abs(tf.sub(pred, gt)), lo.tolerance)), tf.add(1, tf.mul(lo.hardSampleWeight, tf.mul(tf.sign(gt), tf.sign(tf.sub(gt, pred))))));
        return tf.add(tf.mean(err), tf.mul(lo.codeRegularization, tf.mean(tf.norm(z, "euclidean", 1)))) as tf.Scalar;
      }, [...d.variables, cv]);
      expect(r.loss).toBeCloseTo(value.dataSync()[0], 6);
      d.variables.forEach((v, i) => expect(worstRel(r.grads[i], grads[v.name].dataSync())).toBeLessThan(1e-4));
      expect(worstRel(r.codeGrads, grads[cv.name].dataSync())).toBeLessThan(1e-4);
      // rows of shapes outside the batch get zero gradient
      const only0 = await e.step(d.getWeights(), { ...b, shape: new Int32Array(N) }, lo);
      expect(Array.from(only0.codeGrads.subarray(L)).every((g) => g === 0)).toBe(true);
      tf.dispose([cv, value, ...Object.values(grads)]);
      await e.dispose();
      d.dispose();
    });

  it("dropout: gradients equal a TensorFlow.js forward with the same keep-masks; masks follow the seed", async () => {
    const specs: NetworkSpecs = { latentSize: 4, dims: [24, 24, 24], latentIn: [2], dropout: [0, 1, 2], dropoutProb: 0.25, weightNorm: false, peFrequencies: 1 };
    const d = DeepSdfDecoder.fromSpecs(specs, { seed: 9 });
    const N = 128, S = 2, L = 4;
    const b = batchOf(N, S, L, 1);
    const e = await createTrainStepEngine(specs, { threads: 1 });
    const r = await e.step(d.getWeights(), b, { clamp: 0.1, dropoutSeed: 42 });
    const shapes = layerShapes(specs);
    const folded = foldDecoderWeights(specs, d.getWeights());
    const W = folded.map((l) => tf.variable(tf.tensor2d(l.w, [l.inDim, l.outDim])));
    const B = folded.map((l) => tf.variable(tf.tensor1d(l.b)));
    const { grads } = tf.variableGrads(() => {
      const z = tf.matMul(tf.oneHot(tf.tensor1d(b.shape, "int32"), S).toFloat() as tf.Tensor2D, tf.tensor2d(b.codes, [S, L]));
      const x0 = tf.concat([z, positionalEncoding(tf.tensor2d(b.xyz, [N, 3]), 1)], 1) as tf.Tensor2D;
      let h = x0;
      for (let k = 0; k < specs.dims.length; k++) {
        const inp = specs.latentIn.includes(k) ? (tf.concat([h, x0], 1) as tf.Tensor2D) : h;
        const keep = tf.tensor2d(Float32Array.from(__dropoutMask(N * shapes[k][1], 0.25, 42, k)), [N, shapes[k][1]]);
        h = tf.mul(tf.relu(tf.add(tf.matMul(inp, W[k]), B[k])), tf.div(keep, 0.75)) as tf.Tensor2D;
      }
      const n = specs.dims.length;
      const pred = tf.clipByValue(tf.tanh(tf.add(tf.matMul(h, W[n]), B[n])), -0.1, 0.1);
      return tf.mean(tf.abs(tf.sub(pred, tf.clipByValue(tf.tensor2d(b.sdf, [N, 1]), -0.1, 0.1)))) as tf.Scalar;
    }, [...W, ...B]);
    W.forEach((w, k) => expect(worstRel(r.grads[2 * k], grads[w.name].dataSync())).toBeLessThan(1e-4));
    const again = await e.step(d.getWeights(), b, { clamp: 0.1, dropoutSeed: 42 });
    expect(again.grads[0]).toEqual(r.grads[0]);
    const other = await e.step(d.getWeights(), b, { clamp: 0.1, dropoutSeed: 43 });
    expect(worstRel(other.grads[0], r.grads[0])).toBeGreaterThan(1e-3);
    const m = __dropoutMask(100_000, 0.25, 7, 0);
    expect(m.reduce((a, v) => a + v, 0) / m.length).toBeCloseTo(0.75, 2);
    tf.dispose([...W, ...B, ...Object.values(grads)]);
    await e.dispose();
    d.dispose();
  });

  it("bad input: typed errors naming the argument", async () => {
    const specs: NetworkSpecs = { latentSize: 4, dims: [16, 16], latentIn: [], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: 0 };
    const d = DeepSdfDecoder.fromSpecs(specs);
    const e = await createTrainStepEngine(specs);
    const b = batchOf(10, 2, 4, 0);
    const w = d.getWeights();
    await expect(e.step(w.slice(1), b)).rejects.toThrow(/params/);
    await expect(e.step(w, { ...b, xyz: new Float32Array(7) })).rejects.toThrow(/batch\.xyz/);
    await expect(e.step(w, { ...b, sdf: new Float32Array(3) })).rejects.toThrow(/batch\.sdf/);
    await expect(e.step(w, { ...b, shape: Int32Array.from({ length: 10 }, () => 2) })).rejects.toThrow(/rows in 0\.\.1/);
    await expect(e.step(w, { ...b, codes: new Float32Array(6) })).rejects.toThrow(/batch\.codes/);
    const bad = Float32Array.from(b.xyz);
    bad[4] = NaN;
    await expect(e.step(w, { ...b, xyz: bad })).rejects.toThrow(InvalidArgumentError);
    await expect(e.step(w, b, { clamp: 0 })).rejects.toThrow(/loss\.clamp/);
    await expect(e.step(w, b, { tolerance: -1 })).rejects.toThrow(/loss\.tolerance/);
    await expect(createTrainStepEngine({ ...specs, latentSize: 0 })).rejects.toThrow(UnsupportedError);
    await expect(createTrainStepEngine(specs, { threads: -1 })).rejects.toThrow(InvalidArgumentError);
    await e.dispose();
    d.dispose();
  });
});

describe.skipIf(!!ort)("createTrainStepEngine when onnxruntime-node is missing", () => {
  it("throws UnsupportedError naming the package", async () => {
    await expect(createTrainStepEngine({ latentSize: 4, dims: [8], latentIn: [], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: 0 })).rejects.toThrow(/onnxruntime-node/);
  });
});
