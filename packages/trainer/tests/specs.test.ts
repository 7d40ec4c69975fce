import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpecError } from "@sdfkit/sdf-core";
import { DEFAULT_SPECS, SEED_CURRICULUM, loadSpecs, totalEpochs, validateSpecs } from "@sdfkit/trainer";

const expectSpecError = (raw: unknown, key: string, expected: RegExp) => {
  try {
    validateSpecs(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    expect((e as SpecError).key).toBe(key);
    expect((e as Error).message).toMatch(expected);
    return;
  }
  throw new Error(`no SpecError for ${key}`);
};

describe("specs", () => {
  it("defaults validate and keep DeepSDF values", () => {
    const s = validateSpecs({});
    expect(s).toEqual(DEFAULT_SPECS);
    expect(s.CodeLength).toBe(256);
    expect(s.ClampingDistance).toBe(0.1);
    expect(totalEpochs(s)).toBe(2001);
  });
  it("merges keys and NetworkSpecs partially", () => {
    const s = validateSpecs({ CodeLength: 16, NetworkSpecs: { dims: [32, 32], latent_in: [1] }, Curriculum: SEED_CURRICULUM });
    expect(s.CodeLength).toBe(16);
    expect(s.NetworkSpecs.dims).toEqual([32, 32]);
    expect(s.NetworkSpecs.Preset).toBe("deepsdf");
    expect(totalEpochs(s)).toBe(400);
  });
  it("names the bad key and expectation", () => {
    expectSpecError({ CodeLength: -3 }, "CodeLength", /integer > 0.*-3/);
    expectSpecError({ SamplesPerScene: 101 }, "SamplesPerScene", /even/);
    expectSpecError({ Bogus: 1 }, "Bogus", /unknown key/);
    expectSpecError({ LearningRateSchedule: [{ Type: "Step", Initial: 1e-3, Interval: 0, Factor: 0.5 }, { Type: "Constant", Value: 1 }] }, "LearningRateSchedule[0].Interval", /integer > 0/);
    expectSpecError({ LearningRateSchedule: [{ Type: "Cosine" }, { Type: "Constant", Value: 1 }] }, "LearningRateSchedule[0].Type", /Step/);
    expectSpecError({ NetworkSpecs: { dims: [8, 8], latent_in: [5] } }, "NetworkSpecs.latent_in[0]", /\[0, 2\)/);
    expectSpecError({ Curriculum: [{ ...SEED_CURRICULUM[0], Mix: "FINE" }] }, "Curriculum[0].Mix", /COARSE/);
    expectSpecError({ CodeBound: 0 }, "CodeBound", /> 0/);
    expectSpecError([], "<root>", /object/);
  });
  it("loads specs.json from a directory and rejects bad JSON", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sdfkit-specs-"));
    try {
      await writeFile(join(dir, "specs.json"), JSON.stringify({ NumEpochs: 7 }));
      expect((await loadSpecs(dir)).NumEpochs).toBe(7);
      await writeFile(join(dir, "specs.json"), "{ nope");
      await expect(loadSpecs(dir)).rejects.toBeInstanceOf(SpecError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
