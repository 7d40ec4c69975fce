import { parseArgs } from "node:util";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { writeFileAtomic } from "@sdfkit/sdf-core/node";
import { DECODER_PRESETS, DeepSdfDecoder, selectBackend } from "@sdfkit/sdf-core/model";
import { MeshSampleSource, sampleBands } from "@sdfkit/sampling";
import { CurriculumTrainer, decoderSpecsFrom, fastCurriculum, loadCheckpoint, loadSpecs, saveCheckpoint, saveInferenceBundle, totalEpochs, validateSpecs, type TrainSpecs } from "@sdfkit/trainer";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";
import { intOpt, readNormalizedMeshes } from "../fit-helpers.js";

export const trainCommand: Command = {
  name: "train",
  summary: "Train a DeepSDF decoder on mesh files (curriculum, validation, resumable checkpoints, log plot, inference bundle)",
  usage: "sdfkit train MESH... -e DIR [--preset seed-v1|seed-v2|deepsdf] [--epochs 200] [--samples 4096] [--pool 200000] [--val-res 65] [--seed 0] [--engine auto|onnx|tfjs] [--json]",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        e: { type: "string", short: "e" },
        preset: { type: "string", default: "seed-v2" },
        epochs: { type: "string", default: "200" },
        samples: { type: "string", default: "4096" },
        pool: { type: "string", default: "200000" },
        "val-res": { type: "string", default: "65" },
        seed: { type: "string", default: "0" },
        engine: { type: "string", default: "auto" },
        json: { type: "boolean", default: false },
      },
    });
    if (positionals.length === 0 || !values.e) {
      console.error(`sdfkit train: give MESH files and -e DIR\nusage: ${this.usage}`);
      return 2;
    }
    const dir = resolve(values.e);
    mkdirSync(dir, { recursive: true });
    const seed = intOpt("sdfkit train", "--seed", values.seed, 0);
    const pool = intOpt("sdfkit train", "--pool", values.pool, 0);
    const meshes = await readNormalizedMeshes(positionals);
    let specs: TrainSpecs;
    if (existsSync(join(dir, "specs.json"))) specs = await loadSpecs(dir);
    else {
      const preset = DECODER_PRESETS[values.preset as keyof typeof DECODER_PRESETS];
      if (!preset) throw new InvalidArgumentError("sdfkit train", "--preset", Object.keys(DECODER_PRESETS).join(", "), values.preset);
      const epochs = intOpt("sdfkit train", "--epochs", values.epochs);
      const samples = intOpt("sdfkit train", "--samples", values.samples, 2);
      specs = validateSpecs({
        Description: `sdfkit train ${values.preset} on ${meshes.map((m) => m.name).join(", ")}`,
        NetworkSpecs: { Preset: values.preset, dims: preset.dims, latent_in: preset.latentIn, dropout_prob: 0, weight_norm: false },
        CodeLength: preset.latentSize,
        SamplesPerScene: samples + (samples % 2),
        ScenesPerBatch: Math.min(meshes.length, 8),
        Seed: seed,
        SnapshotFrequency: Math.max(1, Math.round(epochs / 10)),
        ValidationFrequency: Math.max(1, Math.round(epochs / 10)),
        ChamferFrequency: epochs,
        Curriculum: fastCurriculum(epochs),
      });
      await writeFileAtomic(join(dir, "specs.json"), JSON.stringify(specs, null, 2));
    }
    const backend = await selectBackend({ log: !values.json });
    const names = meshes.map((m) => m.name);
    const byName = Object.fromEntries(meshes.map((m) => [m.name, m.mesh]));
    const source = new MeshSampleSource(byName, { normalize: false, poolSize: pool, poolSeed: seed });
    const held = Object.fromEntries(meshes.map((m, i) => [m.name, sampleBands(m.mesh, 8000, { rng: createRng(seed + 7919 + i), mix: "BALANCED", normalize: false }).samples]));
    const decoder = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(specs), { seed });
    const total = totalEpochs(specs);
    const bar = createProgress("train", total, { quiet: values.json });
    const ckDir = join(dir, "checkpoints");
    const trainer = new CurriculumTrainer(decoder, names, source, specs, {
      engine: values.engine as "auto",
      logDir: dir,
      validation: { samples: (s) => held[s], mesh: (s) => byName[s], meshRes: intOpt("sdfkit train", "--val-res", values["val-res"], 9) },
      onEpoch: (e) => bar.update(e.epoch, `loss ${e.loss.toExponential(2)}${e.valSignAccuracy !== undefined ? ` sign ${(100 * e.valSignAccuracy).toFixed(1)} %` : ""}${e.chamfer !== undefined ? ` CD×1e3 ${(1e3 * e.chamfer).toFixed(3)}` : ""}`),
      onCheckpoint: async (c) => {
        if (c.epoch % specs.SnapshotFrequency === 0 || c.epoch === total || specs.AdditionalSnapshots.includes(c.epoch)) await saveCheckpoint(ckDir, c, { keepEvery: 0 });
      },
    });
    const engine = await trainer.engine();
    if (!values.json) console.error(`sdfkit: training steps on ${engine === "onnx" ? "onnxruntime-node (compiled forward + backward graph)" : `TensorFlow.js (${backend})`}`);
    const prev = existsSync(ckDir) ? await loadCheckpoint(ckDir) : undefined;
    if (prev) await trainer.restore(prev);
    const t0 = performance.now();
    const logs = await trainer.train();
    bar.stop();
    const latents = trainer.codes.dataSync() as Float32Array;
    await saveInferenceBundle(dir, { decoder, latents: Float32Array.from(latents), shapes: names, normalization: Object.fromEntries(meshes.map((m) => [m.name, m.normalization])), meta: { epochs: trainer.epoch, backend, engine } });
    const last = logs[logs.length - 1];
    const report = {
      dir,
      shapes: names,
      preset: specs.NetworkSpecs.Preset,
      parameters: decoder.parameterCount,
      backend,
      engine,
      resumedFrom: prev?.epoch ?? 0,
      epochs: trainer.epoch,
      seconds: (performance.now() - t0) / 1000,
      loss: last?.loss,
      valSignAccuracy: last?.valSignAccuracy,
      valL1: last?.valL1,
      chamferX1000: last?.chamfer === undefined ? undefined : last.chamfer * 1e3,
      files: ["specs.json", "log.csv", "log.png", "checkpoints/", "inference.json", "inference.bin"],
    };
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else
      console.log(
        `trained ${names.length} shape(s) for ${trainer.epoch} epochs${prev ? ` (resumed at ${prev.epoch})` : ""} in ${report.seconds.toFixed(1)} s on ${engine === "onnx" ? "onnxruntime-node" : backend}: loss ${last ? last.loss.toExponential(3) : "–"}` +
          (report.valSignAccuracy !== undefined ? `, sign accuracy ${(100 * report.valSignAccuracy).toFixed(2)} %` : "") +
          (report.chamferX1000 !== undefined ? `, Chamfer×10³ ${report.chamferX1000.toFixed(3)}` : "") +
          `\n${dir}: specs.json, log.csv, log.png, checkpoints/, inference.{json,bin}`,
      );
    trainer.dispose();
    decoder.dispose();
    return 0;
  },
};
