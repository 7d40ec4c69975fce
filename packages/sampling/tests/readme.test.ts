import { describe, expect, it } from "vitest";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runReadmeSnippet } from "../../../test-utils/readme-snippet.js";
import { repoRoot } from "../../../test-utils/shared-data.js";

describe("README", () => {
  it("the first ts snippet runs as pasted", () => {
    const out = runReadmeSnippet("sampling");
    expect(out).toMatch(/sign by winding; mesh watertight: false \(223 boundary edges\)/);
    expect(out).toMatch(/inside: \d+ of 20000/);
    const f = join(repoRoot, "packages", "sampling", "bunny.npz");
    expect(existsSync(f)).toBe(true);
    rmSync(f);
  }, 60_000);
});
