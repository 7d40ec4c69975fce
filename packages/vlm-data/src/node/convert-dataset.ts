import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRng, InvalidArgumentError, SdfkitError } from "@sdfkit/sdf-core";
import { writeFileAtomicSync } from "@sdfkit/sdf-core/node";
import { parseDeepCad } from "../parse-deepcad.js";
import { cadVecToText, encodeCadVec } from "../cad-vec.js";
import { countCodeTokens, toOpenEcadCode } from "../openecad-code.js";
import { ANSWER_PREFIX, GRID_PROMPTS, SINGLE_VIEW_PROMPTS } from "../prompts.js";
import { resolveInside } from "./safe-path.js";
import { readDatasetJson, readSplit } from "./dataset-files.js";
import type { RenderingMetadata } from "./render-dataset.js";

/** One TinyLLaVA training record. */
export interface TinyLlavaRecord {
  id: string;
  /** Path relative to the image folder (`images/`). */
  image: string;
  conversations: [{ from: "human"; value: string }, { from: "gpt"; value: string }];
}

/** What the answer holds. */
export type ConvertTarget = "code" | "code+vec" | "vec";

/** Options of {@link convertDataset}. */
export interface ConvertOptions {
  /** Seed of the prompt-template choice. @defaultValue 0 */
  seed: number;
  /** @defaultValue "code" */
  target: ConvertTarget;
  /** Answers over this many tokens are dropped and counted. @defaultValue 2048 */
  tokenLimit: number;
  /** Token counter. @defaultValue countCodeTokens */
  countTokens: (text: string) => number;
  /** Templates for single-view images and for grids (`{view}` is replaced). */
  prompts: { single: readonly string[]; grid: readonly string[] };
  onProgress?: (e: { done: number; total: number }) => void;
}
export const DEFAULT_CONVERT: ConvertOptions = {
  seed: 0,
  target: "code",
  tokenLimit: 2048,
  countTokens: countCodeTokens,
  prompts: { single: SINGLE_VIEW_PROMPTS, grid: GRID_PROMPTS },
};

/** `tinyllava_metadata.json`. */
export interface ConvertReport {
  train: number;
  val: number;
  models: number;
  droppedOverTokenLimit: number;
  failed: { id: string; error: string }[];
  tokens: { mean: number; max: number; limit: number };
  target: ConvertTarget;
  seed: number;
  imageFolder: string;
  ms: number;
}

/** The answer text for one model. */
export const answerText = (code: string | undefined, vecText: string | undefined): string => {
  const parts = [ANSWER_PREFIX];
  if (code !== undefined) parts.push(`\`\`\`python\n${code}\`\`\``);
  if (vecText !== undefined) parts.push(`DeepCAD vector:\n\`\`\`\n${vecText}\n\`\`\``);
  return parts.join("\n");
};

/**
 * Turn a rendered dataset into TinyLLaVA conversation data: one record per image, the human turn a
 * seeded random template (`<image>\n…`), the answer OpenECAD-style code (and/or the DeepCAD vector as
 * text). Answers over the token limit are dropped and counted. Writes `train.json`, `val.json` and
 * `tinyllava_metadata.json` atomically.
 */
export const convertDataset = async (root: string, opts: Partial<ConvertOptions> = {}): Promise<ConvertReport> => {
  const o = { ...DEFAULT_CONVERT, ...opts };
  const t0 = performance.now();
  if (!["code", "code+vec", "vec"].includes(o.target)) throw new InvalidArgumentError("convertDataset", "opts.target", "'code', 'code+vec' or 'vec'", o.target);
  if (!Number.isInteger(o.tokenLimit) || o.tokenLimit < 1) throw new InvalidArgumentError("convertDataset", "opts.tokenLimit", "a positive integer", o.tokenLimit);
  if (!o.prompts?.single?.length || !o.prompts?.grid?.length) throw new InvalidArgumentError("convertDataset", "opts.prompts", "non-empty single and grid template lists", o.prompts);
  const split = readSplit(root, "convertDataset");
  const meta = readDatasetJson<RenderingMetadata>(root, "rendering_metadata.json", "convertDataset");
  const rendered = new Map(meta.models.map((m) => [m.id, m]));
  const rng = createRng(o.seed);
  const failed: ConvertReport["failed"] = [];
  let dropped = 0;
  let tokSum = 0;
  let tokMax = 0;
  let answers = 0;
  const total = split.train.length + split.validation.length;
  let done = 0;
  const build = (ids: string[]): TinyLlavaRecord[] => {
    const out: TinyLlavaRecord[] = [];
    for (const id of ids) {
      const r = rendered.get(id);
      o.onProgress?.({ done: ++done, total });
      if (!r) continue; // failed to render: listed in rendering_metadata.json
      let answer: string;
      try {
        const model = parseDeepCad(readFileSync(resolveInside(join(root, "cad_json"), `${id}.json`, "convertDataset", "id"), "utf8"), { file: `${id}.json` });
        let vecText: string | undefined;
        if (o.target !== "code") {
          const v = encodeCadVec(model);
          if (!v.ok) throw new SdfkitError(`cad_vec: ${v.reason}`);
          vecText = cadVecToText(v.vec);
        }
        answer = answerText(o.target === "vec" ? undefined : toOpenEcadCode(model), vecText);
      } catch (e) {
        if (!SdfkitError.isInstance(e) && (e as NodeJS.ErrnoException).code === undefined) throw e;
        failed.push({ id, error: (e as Error).message });
        continue;
      }
      const tokens = o.countTokens(answer);
      if (tokens > o.tokenLimit) {
        dropped += r.images.length;
        continue;
      }
      answers++;
      tokSum += tokens;
      tokMax = Math.max(tokMax, tokens);
      for (const image of r.images) {
        const view = image.slice(image.lastIndexOf("_") + 1, -4);
        const pool = view === "grid" ? o.prompts.grid : o.prompts.single;
        const human = pool[rng.int(pool.length)].replaceAll("{view}", view);
        out.push({ id: image.slice(0, -4), image, conversations: [{ from: "human", value: `<image>\n${human}` }, { from: "gpt", value: answer }] });
      }
    }
    return out;
  };
  const train = build(split.train);
  const val = build(split.validation);
  writeFileAtomicSync(join(root, "train.json"), JSON.stringify(train, null, 1));
  writeFileAtomicSync(join(root, "val.json"), JSON.stringify(val, null, 1));
  const report: ConvertReport = {
    train: train.length,
    val: val.length,
    models: answers,
    droppedOverTokenLimit: dropped,
    failed,
    tokens: { mean: answers ? tokSum / answers : 0, max: tokMax, limit: o.tokenLimit },
    target: o.target,
    seed: o.seed,
    imageFolder: "images",
    ms: performance.now() - t0,
  };
  writeFileAtomicSync(join(root, "tinyllava_metadata.json"), JSON.stringify(report, null, 1));
  return report;
};
