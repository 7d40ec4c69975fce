import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parseObj, parsePly, serializeObj } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { runCli } from "@sdfkit/cli";
import { sharedData } from "../../../test-utils/shared-data.js";

const dir = mkdtempSync(join(tmpdir(), "sdfkit-segment-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sdfkit segment", () => {
  it("segments a 4-band strip into 4 parts and writes PLY, per-part OBJ and a report", async () => {
    const nx = 40, ny = 8, positions = new Float32Array(nx * ny * 3), idx: number[] = [];
    const feat = new Float32Array(nx * ny * 2), truth: number[] = [];
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = j * nx + i, band = Math.floor(i / 10);
        positions.set([i, j, 0], 3 * v);
        feat[2 * v + (band % 2)] = 1;
        truth.push(band);
        if (i + 1 < nx && j + 1 < ny) idx.push(v, v + 1, v + nx + 1, v, v + nx + 1, v + nx);
      }
    writeFileSync(join(dir, "strip.obj"), serializeObj({ positions, indices: Uint32Array.from(idx) }));
    writeFileSync(join(dir, "strip.f32"), new Uint8Array(feat.buffer));
    writeFileSync(join(dir, "strip.labels.txt"), truth.join("\n"));
    const out = join(dir, "out");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const code = await runCli(["segment", join(dir, "strip.obj"), "--features", join(dir, "strip.f32"), "--dim", "2", "--types", "2", "--out", out, "--labels", join(dir, "strip.labels.txt"), "--json"]);
    const printed = log.mock.calls.flat().join("\n");
    log.mockRestore();
    expect(code).toBe(0);
    const report = JSON.parse(printed);
    expect(report.parts).toBe(4);
    expect(report.ari).toBe(1);
    expect(readdirSync(out).sort()).toEqual(["labels.txt", "part-0.obj", "part-1.obj", "part-2.obj", "part-3.obj", "report.json", "segmented.ply", "segments.png"]);
    const p0 = parseObj(readFileSync(join(out, "part-0.obj"), "utf8"));
    expect(p0.indices.length).toBeGreaterThan(0);
    expect(readFileSync(join(out, "segmented.ply")).subarray(0, 3).toString()).toBe("ply");
  });

  it("rejects a features file of the wrong size", async () => {
    writeFileSync(join(dir, "bad.f32"), new Uint8Array(12));
    writeFileSync(join(dir, "tri.obj"), "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const code = await runCli(["segment", join(dir, "tri.obj"), "--features", join(dir, "bad.f32"), "--dim", "2", "--out", join(dir, "o2"), "--json"]);
    const msg = err.mock.calls.flat().join("\n");
    err.mockRestore();
    expect(code).toBe(2);
    expect(msg).toMatch(/expected vertices × dim × 4/);
  });
});

describe("sdfkit segment -e DIR", () => {
  const run = async (args: string[]) => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const code = await runCli(args);
    const out = log.mock.calls.map((c) => c.join(" ")).join("\n");
    const errors = err.mock.calls.map((c) => c.join(" ")).join("\n");
    log.mockRestore();
    err.mockRestore();
    return { code, out, errors };
  };

  it("segments a trained shape's own mesh and a given mesh in its units, from the decoder's activations", async () => {
    const exp = join(dir, "exp");
    const file = sharedData("obj", "fandisk.obj");
    const t = await run(["train", file, "-e", exp, "--preset", "seed-v1", "--epochs", "200", "--samples", "2048", "--pool", "20000", "--val-res", "17", "--json"]);
    expect(t.code, t.errors).toBe(0);
    // the decoder's own mesh
    const a = await run(["segment", "-e", exp, "--res", "33", "--types", "3", "--choose", "consensus", "--json"]);
    expect(a.code, a.errors + a.out).toBe(0);
    const [ra] = JSON.parse(a.out);
    expect(ra).toMatchObject({ shape: "fandisk", types: 3, choose: "consensus" });
    expect(ra.parts).toBeGreaterThanOrEqual(1);
    const sdir = join(exp, "segments", "fandisk");
    const labels = readFileSync(join(sdir, "labels.txt"), "utf8").trim().split("\n").map(Number);
    expect(labels.length).toBe(ra.vertices);
    expect(new Set(labels).size).toBe(ra.parts);
    expect(readdirSync(sdir).filter((f) => /^part-\d+\.obj$/.test(f)).length).toBe(ra.parts);
    expect(readFileSync(join(sdir, "segments.png")).subarray(1, 4).toString()).toBe("PNG");
    // the original mesh, in its own units, scored against labels; cut choice over all layers
    const orig = await readMesh(file);
    const nv = orig.positions.length / 3;
    const truth = Array.from({ length: nv }, (_, i) => (orig.positions[3 * i + 1] > 0 ? 1 : 0));
    writeFileSync(join(dir, "fandisk.labels.txt"), truth.join("\n"));
    const b = await run(["segment", "-e", exp, "--mesh", file, "--labels", join(dir, "fandisk.labels.txt"), "--out", join(dir, "seg-b"), "--json"]);
    expect(b.code, b.errors).toBe(0);
    const [rb] = JSON.parse(b.out);
    expect(rb.vertices).toBe(nv);
    expect(rb.cutFraction).toHaveLength(4); // seed-v1: 4 hidden layers, each segmented
    expect(rb.ari).toBeGreaterThanOrEqual(-1);
    expect(rb.ari).toBeLessThanOrEqual(1);
    const ply = parsePly(new Uint8Array(readFileSync(join(dir, "seg-b", "fandisk", "segmented.ply"))));
    for (let i = 0; i < 30; i++) expect(ply.positions[i]).toBeCloseTo(orig.positions[i], 5); // original units
    // bad input: exit 2 with a message that names the problem
    const noModel = await run(["segment", "-e", join(dir, "nothing-here")]);
    expect(noModel.code).toBe(2);
    expect(noModel.errors).toMatch(/inference\.json/);
    const badChoice = await run(["segment", "-e", exp, "--choose", "vote"]);
    expect(badChoice.code).toBe(2);
    expect(badChoice.errors).toMatch(/--choose/);
    const badShape = await run(["segment", "-e", exp, "--shape", "teapot"]);
    expect(badShape.code).toBe(2);
    expect(badShape.errors).toMatch(/fandisk/);
    const both = await run(["segment", file, "-e", exp]);
    expect(both.code).toBe(2);
  }, 180_000);
});
