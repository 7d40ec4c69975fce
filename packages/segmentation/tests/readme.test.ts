import { expect, it } from "vitest";
import { runReadmeSnippet } from "../../../test-utils/readme-snippet.js";

it("README snippet runs and prints what it claims", () => {
  const out = runReadmeSnippet("segmentation");
  expect(out).toContain("parts: 4 ARI vs truth: 1");
  expect(out).toMatch(/PLY bytes: \d+/);
}, 60_000);
