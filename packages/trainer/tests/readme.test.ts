import { describe, expect, it } from "vitest";
import { runReadmeSnippet } from "../../../test-utils/readme-snippet.js";

describe("README", () => {
  it("the first ts snippet runs as pasted", () => {
    const out = runReadmeSnippet("trainer");
    expect(out).toMatch(/epochs 400, lr at 120: 0\.00005, log in /);
  }, 60_000);
});
