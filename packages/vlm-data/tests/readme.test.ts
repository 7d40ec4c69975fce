import { describe, expect, it } from "vitest";
import { runReadmeSnippet } from "../../../test-utils/readme-snippet.js";

describe("README", () => {
  it("the first ts snippet runs as pasted", () => {
    const out = runReadmeSnippet("vlm-data");
    expect(out).toMatch(/4 extrudes → \d+ triangles, watertight true, volume \d+\.\d+ cm³/);
    expect(out).toMatch(/cad_vec: 28 rows; first: SOL \| Circle \d+ \d+ \d+ \| SOL/);
    expect(out).toContain("SketchPlane0 = add_sketchplane(");
  }, 60_000);
});
