import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@sdfkit/cli";
import { fromDeepSdfNpz } from "@sdfkit/sampling";
import { sharedData } from "../../../test-utils/shared-data.js";

describe("sdfkit sample", () => {
  it("writes a DeepSDF .npz of the requested size and reports JSON", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "sdfkit-sample-")), "spot.npz");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const code = await runCli(["sample", sharedData("obj", "spot.obj"), "--preset", "seed-v2", "--count", "3000", "--seed", "3", "--out", out, "--json"]);
    const j = JSON.parse(log.mock.calls.map((c) => c.join(" ")).join("\n"));
    log.mockRestore();
    expect(code).toBe(0);
    expect(j).toMatchObject({ count: 3000, preset: "seed-v2", signMethod: "winding", watertight: true });
    const s = fromDeepSdfNpz(new Uint8Array(readFileSync(out)));
    expect(s.sdf.length).toBe(3000);
    expect(s.sdf.filter((d) => d < 0).length).toBe(j.inside);
  }, 30_000);
  it("rejects an unknown preset with exit 1", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await runCli(["sample", sharedData("obj", "spot.obj"), "--preset", "fancy"])).toBe(1);
    expect(err.mock.calls.flat().join(" ")).toMatch(/--preset/);
    err.mockRestore();
  });
});
