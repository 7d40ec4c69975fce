import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ParseError } from "@sdfkit/sdf-core";
import { checkModelId } from "./safe-path.js";

/** `train_val_split.json` of an extracted dataset. */
export interface DatasetSplit {
  train: string[];
  validation: string[];
}

/** Read a JSON file of the dataset, with a typed error naming it. */
export const readDatasetJson = <T>(root: string, name: string, fn: string): T => {
  const f = join(root, name);
  if (!existsSync(f)) throw new ParseError("dataset", `${name} is missing (run the earlier stage first) [${fn}]`, { file: f });
  try {
    return JSON.parse(readFileSync(f, "utf8")) as T;
  } catch (e) {
    throw new ParseError("dataset", `${name} is not valid JSON (${(e as Error).message}) [${fn}]`, { file: f }, { cause: e });
  }
};

/** Read and check `train_val_split.json`. */
export const readSplit = (root: string, fn: string): DatasetSplit => {
  const s = readDatasetJson<DatasetSplit>(root, "train_val_split.json", fn);
  if (!Array.isArray(s?.train) || !Array.isArray(s?.validation)) throw new ParseError("dataset", `train_val_split.json must hold "train" and "validation" lists [${fn}]`, { file: join(root, "train_val_split.json") });
  s.train.forEach((id) => checkModelId(id, fn, "train_val_split.json train id"));
  s.validation.forEach((id) => checkModelId(id, fn, "train_val_split.json validation id"));
  return s;
};
