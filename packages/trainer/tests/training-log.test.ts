import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@sdfkit/sdf-core";
import { formatLogCsv, plotLog, writeTrainingLog, type LogRow } from "@sdfkit/trainer";

const rows: LogRow[] = Array.from({ length: 20 }, (_, e) => ({ epoch: e, values: { loss: 0.1 * 0.8 ** e, ...(e % 5 === 0 ? { val_l1: 0.2 * 0.8 ** e } : {}) } }));

describe("training log", () => {
  it("CSV has header, one row per epoch and empty cells for missing values", () => {
    const lines = formatLogCsv(rows).trim().split("\n");
    expect(lines[0]).toBe("epoch,loss,val_l1");
    expect(lines.length).toBe(21);
    const [e, loss, val] = lines[2]!.split(",");
    expect(Number(e)).toBe(1);
    expect(Number(loss)).toBe(0.1 * 0.8);
    expect(val).toBe("");
    expect(lines[6]!.split(",")[2]).not.toBe("");
  });
  it("plot draws a monotone decreasing curve from top-left to bottom-right", () => {
    const img = plotLog(rows, { columns: ["loss"], width: 100, height: 60 });
    const blueAt = (x: number) => {
      for (let y = 0; y < img.height; y++) { const i = (y * img.width + x) * 4; if (img.data[i] === 31 && img.data[i + 1] === 119) return y; }
      return -1;
    };
    const yl = blueAt(8), yr = blueAt(91);
    expect(yl).toBe(8); // highest value at the top margin
    expect(yr).toBe(51); // lowest at the bottom margin
    expect(blueAt(50)).toBeGreaterThan(yl);
    expect(blueAt(50)).toBeLessThan(yr);
    expect(() => plotLog(rows, { width: 3 })).toThrow(InvalidArgumentError);
  });
  it("writes log.csv and a PNG", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sdfkit-log-"));
    try {
      await writeTrainingLog(dir, rows);
      expect((await readFile(join(dir, "log.csv"), "utf8")).startsWith("epoch,loss")).toBe(true);
      const png = await readFile(join(dir, "log.png"));
      expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
