import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parseObj, serializeObj } from "@sdfkit/sdf-core";
import { runCli } from "@sdfkit/cli";

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
    expect(readdirSync(out).sort()).toEqual(["part-0.obj", "part-1.obj", "part-2.obj", "part-3.obj", "report.json", "segmented.ply"]);
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
