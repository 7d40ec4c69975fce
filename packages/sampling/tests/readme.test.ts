import { describe, expect, it } from "vitest";
import { runReadmeSnippet } from "../../../test-utils/readme-snippet.js";

describe("README", () => {
  it("the first ts snippet runs as pasted", () => {
    const out = runReadmeSnippet("sampling", { cwd: "root" }); // the snippet reads ../shared/data from the repository root
    const [method, boundary, pos, neg] = out.trim().split(/\s+/);
    expect(method).toBe("pseudonormal");
    expect(Number(boundary)).toBeGreaterThan(0);
    expect(Number(pos) + Number(neg)).toBe(20000);
    expect(Number(neg)).toBeGreaterThan(1000);
  }, 60_000);
});
