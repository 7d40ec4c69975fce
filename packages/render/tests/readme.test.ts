import { describe, expect, it } from "vitest";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runReadmeSnippet } from "../../../test-utils/readme-snippet.js";
import { repoRoot } from "../../../test-utils/shared-data.js";

describe("README", () => {
  it("the first ts snippet runs as pasted and writes its PNG", () => {
    const out = runReadmeSnippet("render");
    expect(out).toMatch(/wrote io1-views\.png \(1292×260\)/);
    const png = join(repoRoot, "packages", "render", "io1-views.png");
    expect(existsSync(png)).toBe(true);
    rmSync(png);
  }, 60_000);
});
