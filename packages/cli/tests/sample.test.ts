import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@sdfkit/cli";
import { decodeNpz } from "@sdfkit/sampling";
import { sharedData } from "../../../test-utils/shared-data.js";

describe("sdfkit sample", () => {
  it("writes a DeepSDF .npz of the requested size and reports JSON", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "sdfkit-sample-")), "spot.npz");
    const chunks: string[] = [];
    const w = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
    const code = await runCli(["sample", sharedData("obj", "spot.obj"), "--preset", "seed-v2", "--count", "3000", "--seed", "3", "--out", out, "--json"]);
    w.mockRestore();
    expect(code).toBe(0);
    const j = JSON.parse(chunks.join("").trim().split("\n").pop()!);
    expect(j).toMatchObject({ count: 3000, preset: "seed-v2", signMethod: "pseudonormal" });
    expect(j.pos + j.neg).toBe(3000);
    const npz = decodeNpz(new Uint8Array(readFileSync(out)));
    expect(npz.pos.length / 4 + npz.neg.length / 4).toBe(3000);
    expect(npz.neg.length / 4).toBe(j.neg);
  }, 30_000);
  it("rejects an unknown preset with a typed error naming --preset (exit 1)", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await runCli(["sample", sharedData("obj", "spot.obj"), "--preset", "fancy", "--out", "/tmp/x.npz"])).toBe(1);
    expect(err.mock.calls.flat().join(" ")).toMatch(/--preset/);
    err.mockRestore();
  });
});
