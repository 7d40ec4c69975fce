import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { InvalidArgumentError } from "@sdfkit/sdf-core";
import { intOpt } from "../fit-helpers.js";
import { renderBatch } from "@sdfkit/render/node";
import { VIEW_NAMES, type ViewName } from "@sdfkit/render";
import { convertDataset, extractSubset, renderDataset, validateDataset, type BatchRenderer, type ConvertTarget, type ExtractCheck } from "@sdfkit/vlm-data/node";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";

/** `@sdfkit/render`'s worker-pool batch renderer in the shape vlm-data injects. */
export const meshBatchRenderer: BatchRenderer = async (files, o) =>
  renderBatch(files, { outDir: o.outDir, views: o.views as ViewName[], size: o.size, grid: o.grid, ...(o.workers !== undefined ? { workers: o.workers } : {}), onProgress: o.onProgress });

const USAGE = `sdfkit dataset extract SRC OUT [--train N] [--val N] [--seed S] [--check parse|vec|solid] [--copy] [--json]
sdfkit dataset render DIR [--views front,top,right] [--size 512] [--grid (views default to iso,front,top,right)] [--workers N] [--json]
sdfkit dataset convert DIR [--seed S] [--target code|code+vec|vec] [--token-limit 2048] [--json]
sdfkit dataset validate DIR [--size N] [--no-decode] [--json]`;

export const datasetCommand: Command = {
  name: "dataset",
  summary: "DeepCAD → TinyLLaVA data: extract a train/val subset, render views, convert to conversations, validate",
  usage: USAGE,
  async run(argv) {
    const [stage, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        train: { type: "string", default: "1000" },
        val: { type: "string", default: "100" },
        seed: { type: "string", default: "0" },
        check: { type: "string", default: "parse" },
        views: { type: "string" },
        size: { type: "string" },
        grid: { type: "boolean", default: false },
        workers: { type: "string" },
        target: { type: "string", default: "code" },
        "token-limit": { type: "string", default: "2048" },
        "no-decode": { type: "boolean", default: false },
        copy: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
    });
    const quiet = values.json;
    const print = (obj: unknown, text: string) => console.log(quiet ? JSON.stringify(obj, null, 2) : text);
    if (stage === "extract") {
      if (positionals.length !== 2) return usage("extract needs SRC and OUT");
      const [src, out] = positionals.map((p) => resolve(p));
      const train = intOpt("sdfkit dataset", "--train", values.train, 0);
      const val = intOpt("sdfkit dataset", "--val", values.val, 0);
      const bar = createProgress("extract", train + val, { quiet });
      const r = await extractSubset(src, out, { train, val, seed: intOpt("sdfkit dataset", "--seed", values.seed, 0), check: values.check as ExtractCheck, files: values.copy ? "copy" : "link", onProgress: (e) => bar.update(e.accepted, e.skipped ? `${e.skipped} skipped` : "") });
      bar.stop();
      print(
        { out, train: r.train.length, val: r.val.length, skipped: r.skipped, examined: r.examined, resumed: r.resumed, usedOfficialSplit: r.usedOfficialSplit, ms: r.ms },
        `extracted ${r.train.length} train + ${r.val.length} val models into ${out} (${r.examined} examined, ${r.skipped.length} skipped${r.resumed ? `, ${r.resumed} resumed` : ""}) in ${(r.ms / 1000).toFixed(2)} s` +
          r.skipped.map((s) => `\nskipped ${s.id}: ${s.reason}`).join(""),
      );
      return r.train.length < train || r.val.length < val ? 1 : 0;
    }
    if (stage === "render") {
      if (positionals.length !== 1) return usage("render needs DIR");
      const dir = resolve(positionals[0]);
      // OpenECAD's grid is the iso view plus three orthographic ones
      const views = (values.views ?? (values.grid ? "iso,front,top,right" : "front,top,right")).split(",").map((v) => v.trim());
      for (const v of views) if (!VIEW_NAMES.includes(v as ViewName)) throw new InvalidArgumentError("sdfkit dataset render", "--views", `a comma-separated list of ${VIEW_NAMES.join(", ")}`, v);
      let bar: ReturnType<typeof createProgress> | undefined;
      let stageNow = "";
      const meta = await renderDataset(dir, {
        renderer: meshBatchRenderer,
        views,
        size: values.size ? intOpt("sdfkit dataset", "--size", values.size, 16) : 512,
        grid: values.grid,
        ...(values.workers !== undefined ? { workers: intOpt("sdfkit dataset", "--workers", values.workers, 0) } : {}),
        onProgress: (e) => {
          if (e.stage !== stageNow) {
            bar?.stop();
            stageNow = e.stage;
            bar = createProgress(e.stage === "solid" ? "solids" : "render", e.total, { quiet });
          }
          bar!.update(e.done);
        },
      });
      bar?.stop();
      print(
        { dir, models: meta.models.length, failed: meta.failed, ms: meta.ms },
        `rendered ${meta.models.length} models (${views.length} views at ${meta.size}²${meta.grid ? " + grid" : ""}) into ${dir}/images; solids ${(meta.ms.solids / 1000).toFixed(1)} s, rendering ${(meta.ms.render / 1000).toFixed(1)} s` +
          meta.failed.map((f) => `\nfailed ${f.id} (${f.stage}): ${f.error}`).join(""),
      );
      return meta.failed.length ? 1 : 0;
    }
    if (stage === "convert") {
      if (positionals.length !== 1) return usage("convert needs DIR");
      const dir = resolve(positionals[0]);
      const target = values.target as ConvertTarget;
      const bar = createProgress("convert", 1, { quiet });
      const r = await convertDataset(dir, { seed: intOpt("sdfkit dataset", "--seed", values.seed, 0), target, tokenLimit: intOpt("sdfkit dataset", "--token-limit", values["token-limit"], 1), onProgress: (e) => bar.update(e.done / e.total) });
      bar.stop();
      print(r, `wrote ${r.train} train and ${r.val} val records (${r.models} models; ${r.droppedOverTokenLimit} dropped over ${r.tokens.limit} tokens; mean ${r.tokens.mean.toFixed(0)} tokens) into ${dir}`);
      return r.failed.length ? 1 : 0;
    }
    if (stage === "validate") {
      if (positionals.length !== 1) return usage("validate needs DIR");
      const dir = resolve(positionals[0]);
      const bar = createProgress("validate", 1, { quiet });
      const r = await validateDataset(dir, { ...(values.size ? { size: intOpt("sdfkit dataset", "--size", values.size, 1) } : {}), decodeImages: !values["no-decode"], onProgress: (e) => bar.update(e.done / e.total) });
      bar.stop();
      const s = r.stats;
      print(
        r,
        `${r.valid ? "VALID" : "INVALID"}: ${s.train} train + ${s.val} val records, ${s.images} images${s.resolution ? ` at ${s.resolution[0]}×${s.resolution[1]}` : ""}, average human ${s.avgHumanChars.toFixed(0)} / answer ${s.avgAnswerChars.toFixed(0)} characters` +
          r.errors.slice(0, 50).map((e) => `\nerror: ${e}`).join("") +
          (r.errors.length > 50 ? `\n… ${r.errors.length - 50} more errors` : "") +
          r.warnings.map((w) => `\nwarning: ${w}`).join(""),
      );
      return r.valid ? 0 : 1;
    }
    return usage(stage ? `unknown stage ${JSON.stringify(stage)}` : "give a stage");
  },
};

const usage = (msg: string): number => {
  console.error(`sdfkit dataset: ${msg}\nusage:\n${USAGE}`);
  return 2;
};
