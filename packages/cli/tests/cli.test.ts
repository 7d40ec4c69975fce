import { describe, expect, it, vi } from "vitest";
import { runCli } from "@sdfkit/cli";

describe("sdfkit", () => {
  it("prints help and rejects unknown commands", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await runCli(["--help"])).toBe(0);
    expect(log.mock.calls.flat().join("\n")).toMatch(/Commands:/);
    expect(await runCli(["no-such-command"])).toBe(2);
    expect(err.mock.calls.flat().join("\n")).toMatch(/unknown command 'no-such-command'/);
    log.mockRestore();
    err.mockRestore();
  });
});
