import { describe, expect, it, beforeAll } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync, readdirSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { loadCheckpoint } from "@sdfkit/trainer";
import { repoRoot } from "../../../test-utils/shared-data.js";

// A training script run as a child process: trains the tiny 3-shape curriculum, saving a checkpoint
// after every epoch (atomically), or resumes from the latest checkpoint in DIR, then writes final.json.
const script = (dir: string) => `
import { writeFileSync } from "node:fs";
import { sphere, box } from "@sdfkit/sdf-core";
import { DeepSdfDecoder, selectBackend } from "@sdfkit/sdf-core/model";
import { CurriculumTrainer, decoderSpecsFrom, validateSpecs, saveCheckpoint, loadCheckpoint } from "@sdfkit/trainer";
await selectBackend({ prefer: "wasm", log: false });
const shapes = { small: sphere(0.3), big: sphere(0.55), cube: box([0.35, 0.35, 0.35]) };
const source = { sample(shape, count, _mix, rng) {
  const points = new Float32Array(3 * count);
  for (let i = 0; i < count; i++) { const r = i % 2 === 0 ? rng.uniform(0.2, 0.8) : rng.uniform(0, 1); const x = rng.normal(), y = rng.normal(), z = rng.normal(); const l = Math.hypot(x, y, z) || 1; points[3*i] = x/l*r; points[3*i+1] = y/l*r; points[3*i+2] = z/l*r; }
  return { points, sdf: shapes[shape](points) }; } };
const specs = validateSpecs({ NetworkSpecs: { Preset: "seed-v1", dims: [32, 32, 32], latent_in: [], dropout_prob: 0, weight_norm: false }, CodeLength: 4, SamplesPerScene: 256, ScenesPerBatch: 2, Seed: 7,
  Curriculum: [{ Name: "COARSE", Epochs: 20, DecoderLearningRate: 5e-3, CodeLearningRate: 5e-3, Mix: "COARSE" }] });
const slow = process.argv.includes("--slow");
const d = DeepSdfDecoder.fromSpecs(decoderSpecsFrom(specs), { seed: 1 });
const t = new CurriculumTrainer(d, Object.keys(shapes), source, specs, { onCheckpoint: async (c) => { await saveCheckpoint(${JSON.stringify(dir)}, c); if (slow) await new Promise((r) => setTimeout(r, 150)); } });
if (process.argv.includes("--resume")) { const c = await loadCheckpoint(${JSON.stringify(dir)}); if (c) await t.restore(c); }
await t.train();
writeFileSync(${JSON.stringify(join(dir, "final.json"))}, JSON.stringify({ epoch: t.epoch, weights: d.getWeights().map((w) => Array.from(w)), codes: Array.from(t.codes.dataSync()) }));
`;

const run = (file: string, args: string[], killWhen?: () => boolean) =>
  new Promise<number | null>((resolve) => {
    const p = spawn(process.execPath, ["--conditions=source", "--import", "tsx", file, ...args], { cwd: join(repoRoot, "packages", "trainer"), stdio: "ignore" });
    const timer = killWhen ? setInterval(() => killWhen() && p.kill("SIGKILL"), 20) : undefined;
    p.on("exit", (code) => {
      if (timer) clearInterval(timer);
      resolve(code);
    });
  });

describe("resume after the process is killed", () => {
  beforeAll(async () => {
    await selectBackend({ prefer: "wasm", log: false });
  });
  it("a run killed mid-training resumes from its last checkpoint to the uninterrupted result", async () => {
    const straight = mkdtempSync(join(tmpdir(), "sdfkit-train-a-")), killed = mkdtempSync(join(tmpdir(), "sdfkit-train-b-"));
    // the scripts live in the package folder so that @sdfkit/* resolve through the workspace
    const pkg = join(repoRoot, "packages", "trainer");
    const fa = join(pkg, `.resume-${process.pid}-a.mts`), fb = join(pkg, `.resume-${process.pid}-b.mts`);
    writeFileSync(fa, script(straight));
    writeFileSync(fb, script(killed));
    expect(await run(fa, [])).toBe(0);
    // kill once a few epochs have been checkpointed
    const code = await run(fb, ["--slow"], () => checkpoints(killed) > 0);
    expect(code).not.toBe(0);
    expect(existsSync(join(killed, "final.json"))).toBe(false);
    const mid = await loadCheckpoint(killed);
    expect(mid).toBeDefined();
    expect(mid!.epoch).toBeGreaterThan(0);
    expect(mid!.epoch).toBeLessThan(20);
    expect(await run(fb, ["--resume"])).toBe(0);
    const a = JSON.parse(readFileSync(join(straight, "final.json"), "utf8")), b = JSON.parse(readFileSync(join(killed, "final.json"), "utf8"));
    expect(b.epoch).toBe(20);
    expect(b.weights).toEqual(a.weights);
    expect(b.codes).toEqual(a.codes);
    rmSync(fa, { force: true });
    rmSync(fb, { force: true });
  }, 180_000);
});

/** Number of checkpoint files present: the child has finished at least one epoch once this is > 0. */
const checkpoints = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".ckpt")).length;
