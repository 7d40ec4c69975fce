import { describe, expect, it } from "vitest";
import { runReadmeSnippet } from "../../../test-utils/readme-snippet.js";

describe("README", () => {
  it("the first ts snippet runs as pasted: trains two shapes, the loss falls, the ball's mesh is close", () => {
    const out = runReadmeSnippet("trainer");
    const m = out.match(/engine (onnx|tfjs), loss ([\d.]+) → ([\d.]+), ball Chamfer ([\d.e+-]+)/);
    expect(m, out).not.toBeNull();
    expect(Number(m![3])).toBeLessThan(Number(m![2]) / 2);
    expect(Number(m![4])).toBeLessThan(2e-3);
  }, 120_000);
});
