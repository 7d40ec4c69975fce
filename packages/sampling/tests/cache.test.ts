import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng, ParseError, type Mesh } from "@sdfkit/sdf-core";
import { decodeSamples, encodeSamples, sampleBands } from "@sdfkit/sampling";
import { cachedSampleBands } from "@sdfkit/sampling/node";

const tet: Mesh = { positions: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]), indices: new Uint32Array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]) };

describe("binary samples + cache", () => {
  it("encodeSamples / decodeSamples round trip", () => {
    const r = sampleBands(tet, 777, { rng: createRng(1), mix: "BALANCED" });
    const back = decodeSamples(encodeSamples(r));
    expect(back.samples.points).toEqual(r.samples.points);
    expect(back.samples.sdf).toEqual(r.samples.sdf);
    expect(back.samples.band).toEqual(r.samples.band);
    expect(back.samples.faceIds).toEqual(r.samples.faceIds);
    expect(back.transform).toEqual(r.transform);
    expect(back.openness).toEqual(r.openness);
    expect(() => decodeSamples(new Uint8Array(20))).toThrow(ParseError);
  });

  it("cache hit on same mesh + options, miss on a change", () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfkit-cache-"));
    const a = cachedSampleBands(dir, tet, 500, { rng: createRng(3), mix: "deepsdf" });
    const b = cachedSampleBands(dir, tet, 500, { rng: createRng(3), mix: "deepsdf" });
    expect(a.cached).toBe(false);
    expect(b.cached).toBe(true);
    expect(b.samples.sdf).toEqual(a.samples.sdf);
    const moved = { ...tet, positions: tet.positions.map((v, i) => (i === 3 ? 1.5 : v)) };
    expect(cachedSampleBands(dir, moved, 500, { rng: createRng(3), mix: "deepsdf" }).cached).toBe(false);
    expect(cachedSampleBands(dir, tet, 500, { rng: createRng(3), mix: "seed-v2" }).cached).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(readdirSync(dir).length).toBe(3);
  });
});
