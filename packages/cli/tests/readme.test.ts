import { describe, expect, it } from "vitest";
import { runReadmeSnippet } from "../../../test-utils/readme-snippet.js";

describe("README", () => {
  it("the first ts snippet runs as pasted from the repository root", () => {
    const out = runReadmeSnippet("cli", { cwd: "root" });
    expect(out).toMatch(/as1-oc-214\.stp/);
    expect(out).toMatch(/commands: .*info.*render/);
    const json = JSON.parse(out.slice(out.indexOf("{", out.indexOf("commands:"))));
    expect(json.triangles).toBe(12);
  }, 60_000);
});
