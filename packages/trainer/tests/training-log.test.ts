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
    // plot area: x 25..91 (left margin for the y labels), y 8..44 (bottom margin for the epochs)
    const yl = blueAt(25), yr = blueAt(91);
    expect(yl).toBe(8); // highest value at the top
    expect(yr).toBe(44); // lowest at the bottom
    expect(blueAt(40)).toBeGreaterThan(yl);
    expect(blueAt(40)).toBeLessThan(yr);
    // the legend names the curve in its colour (top right), the axes carry labels (grey ink)
    let legend = 0, ink = 0;
    for (let y = 8; y < 20; y++) for (let x = 60; x < 90; x++) { const i = (y * img.width + x) * 4; if (img.data[i] === 31 && img.data[i + 1] === 119) legend++; }
    for (let y = 45; y < 60; y++) for (let x = 0; x < 100; x++) { const i = (y * img.width + x) * 4; if (img.data[i] === 90 && img.data[i + 1] === 90) ink++; }
    expect(legend).toBeGreaterThan(10);
    expect(ink).toBeGreaterThan(10);
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
