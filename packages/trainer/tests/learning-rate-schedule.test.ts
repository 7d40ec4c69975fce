import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@sdfkit/sdf-core";
import { SEED_CURRICULUM, learningRateAt, learningRates, phaseAt, validateSpecs } from "@sdfkit/trainer";

describe("learning-rate schedules", () => {
  it("Step halves every interval (DeepSDF)", () => {
    const s = { Type: "Step", Initial: 5e-4, Interval: 500, Factor: 0.5 } as const;
    for (const e of [0, 1, 499, 500, 999, 1000, 2000]) expect(learningRateAt(s, e)).toBeCloseTo(5e-4 * 0.5 ** Math.floor(e / 500), 15);
  });
  it("Warmup is linear then flat; Constant is constant", () => {
    const w = { Type: "Warmup", Initial: 1e-4, Final: 1e-3, Length: 10 } as const;
    expect(learningRateAt(w, 0)).toBeCloseTo(1e-4, 15);
    expect(learningRateAt(w, 5)).toBeCloseTo(5.5e-4, 15);
    expect(learningRateAt(w, 10)).toBe(1e-3);
    expect(learningRateAt(w, 99)).toBe(1e-3);
    expect(learningRateAt({ Type: "Constant", Value: 3e-3 }, 77)).toBe(3e-3);
    expect(() => learningRateAt(w, -1)).toThrow(InvalidArgumentError);
  });
  it("curriculum phases override the schedule at their boundaries", () => {
    const s = validateSpecs({ Curriculum: SEED_CURRICULUM });
    expect(learningRates(s, 0).decoder).toBe(1e-4);
    expect(learningRates(s, 49).decoder).toBe(1e-4);
    expect(learningRates(s, 50).decoder).toBe(5e-5);
    expect(phaseAt(s, 150)?.phase.Name).toBe("dense");
    expect(phaseAt(s, 150)?.start).toBe(150);
    expect(learningRates(s, 399).decoder).toBe(1e-6);
    expect(phaseAt(s, 400)).toBeUndefined();
    expect(learningRates(s, 1000).codes).toBe(1e-6);
    const plain = validateSpecs({});
    expect(learningRates(plain, 500)).toEqual({ decoder: 2.5e-4, codes: 5e-4 });
  });
});
