import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { runCli } from "@sdfkit/cli";
import { sharedData, repoRoot } from "../../../test-utils/shared-data.js";
import { decodePng } from "../../../test-utils/png-decode.js";
import { readFileSync } from "node:fs";

describe("sdfkit render", () => {
  it("renders views of several files, lists the bad one and exits 1", async () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-render-"));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const code = await runCli(["render", sharedData("step", "cube.stp"), sharedData("obj", "suzanne.obj"), join(out, "missing.obj"), "--views", "front,iso", "--size", "64", "--out", out, "--workers", "0", "--json"]);
    const j = JSON.parse(log.mock.calls.map((c) => c.join(" ")).join("\n"));
    log.mockRestore();
    err.mockRestore();
    expect(code).toBe(1);
    expect(j.rendered).toBe(2);
    expect(j.failed).toHaveLength(1);
    expect(j.failed[0].input).toContain("missing.obj");
    for (const f of ["cube_front.png", "cube_iso.png", "suzanne_front.png", "suzanne_iso.png"]) {
      expect(existsSync(join(out, f))).toBe(true);
      expect(decodePng(new Uint8Array(readFileSync(join(out, f)))).w).toBe(64);
    }
  });
  it("renders with a pool of two worker threads (as the built CLI does)", () => {
    const out = mkdtempSync(join(tmpdir(), "sdfkit-render-pool-"));
    const script = `import { renderBatch } from "@sdfkit/render/node";
const r = await renderBatch(${JSON.stringify([sharedData("step", "cube.stp"), sharedData("obj", "cow.obj"), sharedData("obj", "spot.obj"), "/no/such.obj"])}, { outDir: ${JSON.stringify(out)}, size: 48, workers: 2, grid: true });
console.log(JSON.stringify({ ok: r.results.length, failed: r.errors.length }));`;
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", script], { cwd: join(repoRoot, "packages", "render"), encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout.trim())).toEqual({ ok: 3, failed: 1 });
    expect(existsSync(join(out, "cow_grid.png"))).toBe(true);
  }, 60_000);
});
