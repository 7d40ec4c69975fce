import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { renderBatch } from "@sdfkit/render/node";
import { VIEW_NAMES, type ViewName } from "@sdfkit/render";
import { InvalidArgumentError } from "@sdfkit/sdf-core";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";

export const renderCommand: Command = {
  name: "render",
  summary: "Render orthographic PNG views of mesh files (worker pool over all cores)",
  usage: "sdfkit render MESH... [--views front,top,right] [--size 512] [--out DIR] [--grid] [--smooth] [--no-edges] [--workers N] [--json]",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        views: { type: "string", default: "front,top,right" },
        size: { type: "string", default: "512" },
        out: { type: "string", default: "renders" },
        grid: { type: "boolean", default: false },
        smooth: { type: "boolean", default: false },
        "no-edges": { type: "boolean", default: false },
        workers: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    if (positionals.length === 0) {
      console.error(`sdfkit render: give at least one MESH\nusage: ${this.usage}`);
      return 2;
    }
    const views = values.views!.split(",").map((v) => v.trim());
    for (const v of views) if (!VIEW_NAMES.includes(v as ViewName)) throw new InvalidArgumentError("sdfkit render", "--views", `a comma-separated list of ${VIEW_NAMES.join(", ")}`, v);
    const size = Number(values.size);
    const workers = values.workers !== undefined ? Number(values.workers) : undefined;
    const bar = createProgress("render", positionals.length, { quiet: values.json });
    const report = await renderBatch(positionals, {
      outDir: resolve(values.out!),
      views: views as ViewName[],
      size,
      grid: values.grid,
      ...(workers !== undefined ? { workers } : {}),
      render: { shading: values.smooth ? "smooth" : "flat", edges: !values["no-edges"] },
      onProgress: (e) => bar.update(e.done, e.ok ? "" : `failed: ${e.input}`),
    });
    bar.stop();
    if (values.json) console.log(JSON.stringify({ outDir: resolve(values.out!), rendered: report.results.length, failed: report.errors, files: report.results.flatMap((r) => r.files), modelsPerSecond: report.modelsPerSecond }, null, 2));
    else {
      console.log(`rendered ${report.results.length} of ${positionals.length} models (${views.length} views at ${size}²) into ${resolve(values.out!)} in ${(report.ms / 1000).toFixed(1)} s (${report.modelsPerSecond.toFixed(1)} models/s)`);
      for (const e of report.errors) console.error(`failed: ${e.input}: ${e.error}`);
    }
    return report.errors.length ? 1 : 0;
  },
};
