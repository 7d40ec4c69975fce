import { describe, expect, it } from "vitest";
import { runReadmeSnippet } from "../../../test-utils/readme-snippet.js";

describe("README", () => {
  it("the first ts snippet runs as pasted", () => {
    const out = runReadmeSnippet("sdf-core");
    expect(out).toMatch(/plate: \d+ triangles, watertight true, volume 0\.\d+/);
    expect(out).toMatch(/step: 3288 triangles, 29 B-rep faces/);
  }, 60_000);
});
