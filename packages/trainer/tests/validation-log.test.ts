import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { createRng, marchingCubes, sampleGrid, sphere, type Rng, type Sdf, type SdfSamples } from "@sdfkit/sdf-core";
import { DeepSdfDecoder, selectBackend } from "@sdfkit/sdf-core/model";
import { CurriculumTrainer, decoderSpecsFrom, sampleMetrics, validateSpecs } from "@sdfkit/trainer";
import { analyticSource, drawAnalytic } from "./analytic-source.js";

const shapes: Record<string, Sdf> = { small: sphere(0.3), big: sphere(0.55) };
const draw = (shape: string, count: number, rng: Rng): SdfSamples => drawAnalytic(shapes[shape], count, rng);
const source = analyticSource(shapes);

describe("training validation, log and memory", () => {
  beforeAll(async () => {
    await selectBackend({ prefer: "wasm", log: false });
  });

  it("validates at the specs' frequencies, writes log.csv + log.png, keeps tfjs memory flat", async () => {
    const specs = validateSpecs({
      NetworkSpecs: { Preset: "seed-v1", dims: [32, 32, 32], latent_in: [], dropout_prob: 0, weight_norm: false },
      CodeLength: 4,
      SamplesPerScene: 256,
      ScenesPerBatch: 2,
      Seed: 3,
      ValidationFrequency: 20,
      ChamferFrequency: 80,
      Curriculum: [{ Name: "BALANCED", Epochs: 80, DecoderLearningRate: 5e-3, CodeLearningRate: 5e-3, Mix: "BALANCED" }],
    });
    const dir = mkdtempSync(join(tmpdir(), "sdfkit-train-log-"));
    const held = Object.fromEntries(Object.keys(shapes).map((s) => [s, draw(s, 2000, createRng(99))]));
    const meshes = Object.fromEntries(Object.keys(shapes).map((s) => [s, marchingCubes(sampleGrid(shapes[s], { res: 48 }))]));
    const d = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(specs), { seed: 1 });
    const counts: number[] = [];
    const t = new CurriculumTrainer(d, Object.keys(shapes), source, specs, {
      logDir: dir,
      validation: { samples: (s) => held[s], mesh: (s) => meshes[s], meshRes: 33, chamferSamples: 3000 },
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    const logs = await t.train();
    // validation every 20 epochs, Chamfer at 80 only
    expect(logs.filter((l) => l.valSignAccuracy !== undefined).map((l) => l.epoch)).toEqual([20, 40, 60, 80]);
    expect(logs.filter((l) => l.chamfer !== undefined).map((l) => l.epoch)).toEqual([80]);
    expect(logs[79].valSignAccuracy!).toBeGreaterThan(logs[79].valSignAccuracy! - 1e-9);
    expect(logs[79].valSignAccuracy!).toBeGreaterThan(0.85);
    expect(logs[79].chamfer!).toBeLessThan(0.05);
    // the trainer's figure is the standalone metric's
    const m = sampleMetrics(d, t.latent(0), held.small, { clamp: specs.ClampingDistance });
    const m1 = sampleMetrics(d, t.latent(1), held.big, { clamp: specs.ClampingDistance });
    expect(logs[79].valSignAccuracy).toBeCloseTo((m.signAccuracy + m1.signAccuracy) / 2, 9);
    // log files
    const csv = readFileSync(join(dir, "log.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("epoch,loss,l1,val_l1,val_sign_error,chamfer");
    expect(csv.length).toBe(81);
    expect(existsSync(join(dir, "log.png"))).toBe(true);
    // memory: no tensor grows with the epochs
    expect(Math.max(...counts.slice(2))).toBe(Math.min(...counts.slice(2)));
    t.dispose();
    d.dispose();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
