import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { chamferDistancePoints, createRng, InvalidArgumentError, type SdfSamples } from "@sdfkit/sdf-core";
import { DeepSdfDecoder, loadOnnxRuntime, selectBackend } from "@sdfkit/sdf-core/model";
import { extractMesh, extractMeshAsync, reconstruct } from "@sdfkit/trainer";

const SPECS = { latentSize: 8, dims: [32, 32, 32], latentIn: [], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: 0 };

const ort = await loadOnnxRuntime();

describe("reconstruct and extractMesh", () => {
  beforeAll(async () => {
    await selectBackend({ prefer: "wasm", log: false });
  });

  for (const engine of ort ? (["tfjs", "onnx"] as const) : (["tfjs"] as const))
  it(`reconstruct recovers a shape whose latent is known (the decoder's own output as samples; ${engine} engine)`, async () => {
    const decoder = DeepSdfDecoder.fromSpecs(SPECS, { seed: 3 });
    const rng = createRng(1);
    const truth = Float32Array.from({ length: 8 }, () => rng.normal() * 0.5);
    const n = 4000;
    const points = Float32Array.from({ length: 3 * n }, () => rng.uniform(-1, 1));
    const sdf = decoder.toSdf(truth)(points);
    const samples: SdfSamples = { points, sdf };
    const before = tf.memory().numTensors;
    const r = await reconstruct(decoder, samples, { rng: createRng(2), iterations: 300, decayAt: 200, samplesPerIteration: 1000, learningRate: 2e-2, clamp: 1, l2: 0, engine });
    expect(tf.memory().numTensors).toBe(before); // nothing leaks per iteration
    expect(r.losses.length).toBe(300);
    expect(r.losses[299]).toBeLessThan(r.losses[0] / 5);
    // the fitted code reproduces the shape's SDF on new points
    const test = Float32Array.from({ length: 3 * 2000 }, () => rng.uniform(-1, 1));
    const a = decoder.toSdf(truth)(test), b = decoder.toSdf(r.latent)(test);
    let err = 0, spread = 0;
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    for (let i = 0; i < a.length; i++) { err += Math.abs(a[i] - b[i]); spread += Math.abs(a[i] - mean); }
    expect(err / spread).toBeLessThan(0.1);
    // seeded
    const again = await reconstruct(decoder, samples, { rng: createRng(2), iterations: 20, samplesPerIteration: 1000, clamp: 1, engine });
    const again2 = await reconstruct(decoder, samples, { rng: createRng(2), iterations: 20, samplesPerIteration: 1000, clamp: 1, engine });
    expect(again.latent).toEqual(again2.latent);
    await expect(reconstruct(decoder, { points: new Float32Array(2), sdf: new Float32Array(1) }, { rng, engine })).rejects.toThrow(InvalidArgumentError);
    if (engine === "onnx") {
      // the same iterations as TensorFlow.js, float32 rounding apart
      const tfjs = await reconstruct(decoder, samples, { rng: createRng(2), iterations: 20, samplesPerIteration: 1000, clamp: 1, engine: "tfjs" });
      for (let k = 0; k < 8; k++) expect(Math.abs(tfjs.latent[k] - again.latent[k])).toBeLessThan(1e-4);
    }
    decoder.dispose();
  }, 60_000);

  it("sparse extraction gives the dense mesh with a fraction of the evaluations", async () => {
    // a decoder fitted to a sphere (r 0.5): close to a true, 1-Lipschitz SDF, as a trained one is
    const decoder = DeepSdfDecoder.fromSpecs(SPECS, { seed: 5 });
    const latent = new Float32Array(8);
    const rng = createRng(9);
    const opt = tf.train.adam(5e-3);
    for (let step = 0; step < 300; step++) {
      const pts = Float32Array.from({ length: 3 * 1024 }, () => rng.uniform(-1, 1));
      const gt = Float32Array.from({ length: 1024 }, (_, i) => Math.hypot(pts[3 * i], pts[3 * i + 1], pts[3 * i + 2]) - 0.5);
      tf.tidy(() => {
        const input = tf.concat([tf.zeros([1024, 8]), tf.tensor2d(pts, [1024, 3])], 1) as tf.Tensor2D;
        const target = tf.tensor2d(gt, [1024, 1]);
        opt.minimize(() => tf.mean(tf.abs(tf.sub(decoder.forward(input).out, target))) as tf.Scalar, false, decoder.variables);
      });
    }
    opt.dispose();
    const dense = extractMesh(decoder, latent, { res: 65, sparse: false });
    const sparse = extractMesh(decoder, latent, { res: 65, sparse: true });
    expect(dense.evaluations).toBe(65 ** 3);
    expect(sparse.evaluations).toBeLessThan(0.5 * dense.evaluations); // 43 % at 65³; the share falls with resolution (9 % at 257³)
    expect(dense.mesh.indices.length).toBeGreaterThan(100);
    // same mesh: the same triangles, and every vertex of one on a vertex of the other
    expect(sparse.mesh.indices.length).toBe(dense.mesh.indices.length);
    expect(chamferDistancePoints(dense.mesh.positions, sparse.mesh.positions).chamfer).toBeLessThan(1e-12);
    // and it is the sphere (r 0.5) the decoder was fitted to
    let maxDev = 0;
    for (let i = 0; i < dense.mesh.positions.length; i += 3) maxDev = Math.max(maxDev, Math.abs(Math.hypot(dense.mesh.positions[i], dense.mesh.positions[i + 1], dense.mesh.positions[i + 2]) - 0.5));
    expect(maxDev).toBeLessThan(0.1);
    // through an inference engine (onnx when installed): the same mesh within the engines' 1e-5 agreement
    for (const engine of ort ? (["tfjs", "onnx"] as const) : (["tfjs"] as const)) {
      const e = await extractMeshAsync(decoder, latent, { res: 65, engine });
      expect(Math.abs(e.evaluations - sparse.evaluations)).toBeLessThan(0.01 * sparse.evaluations);
      expect(Math.abs(e.mesh.indices.length - sparse.mesh.indices.length)).toBeLessThan(0.01 * sparse.mesh.indices.length);
      expect(chamferDistancePoints(e.mesh.positions, sparse.mesh.positions).chamfer).toBeLessThan(1e-8);
    }
    decoder.dispose();
  }, 60_000);
});
