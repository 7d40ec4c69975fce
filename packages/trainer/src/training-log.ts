import { join } from "node:path";
import { drawText, InvalidArgumentError, encodePng, textWidth, type RgbaImage } from "@sdfkit/sdf-core";
import { writeFileAtomic } from "@sdfkit/sdf-core/node";

/** One logged row: epoch plus named finite-or-missing values (loss, lr, val_l1, val_sign_acc, chamfer, ...). */
export interface LogRow {
  epoch: number;
  values: Record<string, number | undefined>;
}

/** CSV text of `rows`: header `epoch,<columns...>`, empty cells for missing values, columns in first-seen order. */
export const formatLogCsv = (rows: readonly LogRow[]): string => {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r.values)) if (!cols.includes(k)) cols.push(k);
  const lines = [["epoch", ...cols].join(",")];
  for (const r of rows) lines.push([String(r.epoch), ...cols.map((c) => { const v = r.values[c]; return v === undefined || !Number.isFinite(v) ? "" : String(v); })].join(","));
  return lines.join("\n") + "\n";
};

/** Options for {@link plotLog}. */
export interface PlotLogOptions {
  width: number;
  height: number;
  /** Columns to draw; each gets its own colour. @defaultValue all columns */
  columns?: string[];
  /** Logarithmic y axis (losses span decades). @defaultValue true */
  logY: boolean;
}
export const DEFAULT_PLOT_LOG: PlotLogOptions = { width: 640, height: 360, logY: true };

const PALETTE: [number, number, number][] = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75]];

/**
 * Rasterise the log's curves (x = epoch, y = value, log scale by default) into an RGBA image: white background,
 * grey frame and decade grid lines, one polyline per column. Non-positive values are skipped on a log axis.
 */
export const plotLog = (rows: readonly LogRow[], opts: Partial<PlotLogOptions> = {}): RgbaImage => {
  const o = { ...DEFAULT_PLOT_LOG, ...opts };
  if (!Number.isInteger(o.width) || o.width < 16) throw new InvalidArgumentError("plotLog", "opts.width", "an integer >= 16", o.width);
  if (!Number.isInteger(o.height) || o.height < 16) throw new InvalidArgumentError("plotLog", "opts.height", "an integer >= 16", o.height);
  const W = o.width, H = o.height, data = new Uint8ClampedArray(W * H * 4).fill(255);
  const px = (x: number, y: number, c: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const i = (y * W + x) * 4; data[i] = c[0]; data[i + 1] = c[1]; data[i + 2] = c[2]; data[i + 3] = 255;
  };
  const x0 = Math.min(44, W >> 2), x1 = W - 9, y0 = 8, y1 = H - 1 - Math.min(16, H >> 2);
  const grey: [number, number, number] = [180, 180, 180];
  for (let x = x0; x <= x1; x++) { px(x, y0, grey); px(x, y1, grey); }
  for (let y = y0; y <= y1; y++) { px(x0, y, grey); px(x1, y, grey); }
  const cols = o.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const tf = (v: number) => (o.logY ? Math.log10(v) : v);
  const ok = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && (!o.logY || v > 0);
  let lo = Infinity, hi = -Infinity, e0 = Infinity, e1 = -Infinity;
  for (const r of rows) for (const c of cols) { const v = r.values[c]; if (ok(v)) { lo = Math.min(lo, tf(v)); hi = Math.max(hi, tf(v)); e0 = Math.min(e0, r.epoch); e1 = Math.max(e1, r.epoch); } }
  const img = { width: W, height: H, data };
  if (!Number.isFinite(lo)) return img;
  if (hi === lo) { hi += 0.5; lo -= 0.5; }
  if (e1 === e0) e1 = e0 + 1;
  const sx = (e: number) => Math.round(x0 + ((e - e0) / (e1 - e0)) * (x1 - x0));
  const sy = (v: number) => Math.round(y1 - ((tf(v) - lo) / (hi - lo)) * (y1 - y0));
  const ink: [number, number, number] = [90, 90, 90];
  const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3))));
  if (o.logY) {
    for (let d = Math.ceil(lo); d <= Math.floor(hi); d++) {
      const y = sy(10 ** d);
      for (let x = x0; x <= x1; x += 3) px(x, y, [220, 220, 220]);
      drawText(img, `1E${d}`, 2, y - 3, 1, ink);
    }
  } else {
    drawText(img, fmt(hi), 2, y0, 1, ink);
    drawText(img, fmt(lo), 2, y1 - 7, 1, ink);
  }
  // x axis: first and last epoch
  drawText(img, `EPOCH ${e0}`, x0, y1 + 5, 1, ink);
  drawText(img, String(e1), x1 - textWidth(String(e1), 1), y1 + 5, 1, ink);
  cols.forEach((c, ci) => {
    const col = PALETTE[ci % PALETTE.length]!;
    let prev: [number, number] | undefined;
    const single = rows.filter((r) => ok(r.values[c])).length === 1;
    for (const r of rows) {
      const v = r.values[c];
      if (!ok(v)) continue;
      const p: [number, number] = [sx(r.epoch), sy(v)];
      if (prev) {
        const n = Math.max(Math.abs(p[0] - prev[0]), Math.abs(p[1] - prev[1]), 1);
        for (let k = 0; k <= n; k++) px(Math.round(prev[0] + ((p[0] - prev[0]) * k) / n), Math.round(prev[1] + ((p[1] - prev[1]) * k) / n), col);
      } else if (single) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) px(p[0] + dx, p[1] + dy, col); // a visible dot for a one-point curve
      else px(p[0], p[1], col);
      prev = p;
    }
  });
  // legend, top right: a colour swatch and the column name per curve
  cols.forEach((c, ci) => {
    const col = PALETTE[ci % PALETTE.length]!;
    const y = y0 + 4 + ci * 10;
    const tx = x1 - 4 - textWidth(c, 1);
    for (let yy = y - 1; yy <= y + 7; yy++) for (let xx = tx - 16; xx <= x1 - 2; xx++) px(xx, yy, [255, 255, 255]);
    for (let xx = tx - 14; xx <= tx - 4; xx++) { px(xx, y + 3, col); px(xx, y + 4, col); }
    drawText(img, c, tx, y, 1, col);
  });
  return img;
};

/** Write `log.csv` and `log.png` into an experiment directory, each atomically. */
export const writeTrainingLog = async (dir: string, rows: readonly LogRow[], opts: Partial<PlotLogOptions> = {}): Promise<void> => {
  await writeFileAtomic(join(dir, "log.csv"), formatLogCsv(rows));
  await writeFileAtomic(join(dir, "log.png"), encodePng(plotLog(rows, opts)));
};
