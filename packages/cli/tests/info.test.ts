import { describe, expect, it, vi } from "vitest";
import { runCli } from "@sdfkit/cli";
import { sharedData } from "../../../test-utils/shared-data.js";

const capture = async (argv: string[]) => {
  const out: string[] = [], err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
  const e = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(a.join(" ")));
  try {
    const code = await runCli(argv);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    e.mockRestore();
  }
};

describe("sdfkit info", () => {
  it("prints clean JSON for a STEP part (OCCT's own messages do not leak into stdout)", async () => {
    const r = await capture(["info", sharedData("step", "io1-cm-214.stp"), "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ format: "step", triangles: 3288, components: 1, watertight: true, brepFaces: 29 });
    expect(j.volume).toBeGreaterThan(0);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(["vertices", "bbox", "area", "volume"]));
  });
  it("prints a table for several files of different formats", async () => {
    const r = await capture(["info", sharedData("obj", "stanford-bunny.obj"), sharedData("stl", "cube_10x10.stl"), sharedData("ifc", "Sample_entities.ifc")]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/== stanford-bunny\.obj[\s\S]*watertight +no \(223 boundary/);
    expect(r.out).toMatch(/== cube_10x10\.stl[\s\S]*volume +1000/);
    expect(r.out).toMatch(/format +ifc[\s\S]*elements +12/);
  });
  it("exits 1 with a one-line message naming the file on a bad file, 2 without arguments", async () => {
    const r = await capture(["info", "/nonexistent/part.stp"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/sdfkit info: .*\/nonexistent\/part\.stp/);
    expect((await capture(["info"])).code).toBe(2);
  });
});
