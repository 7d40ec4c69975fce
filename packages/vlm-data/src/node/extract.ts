import { existsSync, readFileSync, readdirSync, statSync, openSync, writeSync, closeSync, mkdirSync, copyFileSync, linkSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRng, InvalidArgumentError, ParseError, SdfkitError } from "@sdfkit/sdf-core";
import { writeFileAtomicSync } from "@sdfkit/sdf-core/node";
import { parseDeepCad } from "../parse-deepcad.js";
import { encodeCadVec } from "../cad-vec.js";
import { buildSolidWith, loadManifold } from "../build-solid.js";
import { checkModelId, resolveInside } from "./safe-path.js";

/** How much each candidate file is checked before it is accepted. */
export type ExtractCheck = "parse" | "vec" | "solid";

/** Options of {@link extractSubset}. */
export interface ExtractOptions {
  /** Training models to take. @defaultValue 1000 */
  train: number;
  /** Validation models to take. @defaultValue 100 */
  val: number;
  /** Seed of the shuffle that picks the subset. @defaultValue 0 */
  seed: number;
  /**
   * `parse`: schema-checked parse; `vec`: parse and encodable as DeepCAD's cad_vec within its limits
   * (what DeepCAD trains on); `solid`: parse and reconstructs to a watertight solid (manifold-3d; about
   * 20 ms a model on one core). @defaultValue "parse"
   */
  check: ExtractCheck;
  /**
   * `link`: hard-link the chosen files into `out` (no data copied; falls back to a copy across devices
   * or where links are refused), `copy`: independent copies. @defaultValue "link"
   */
  files: "link" | "copy";
  /** Progress after every candidate file. */
  onProgress?: (e: { done: number; accepted: number; skipped: number; target: number }) => void;
}
export const DEFAULT_EXTRACT: ExtractOptions = { train: 1000, val: 100, seed: 0, check: "parse", files: "link" };

/** What {@link extractSubset} did; also written as `dataset_info.json`. */
export interface ExtractReport {
  source: string;
  seed: number;
  check: ExtractCheck;
  usedOfficialSplit: boolean;
  train: string[];
  val: string[];
  /** Files that failed to parse or reconstruct, with the reason. */
  skipped: { id: string; reason: string }[];
  /** Candidates looked at (accepted + skipped). */
  examined: number;
  /** Finished ids reused from an interrupted earlier run. */
  resumed: number;
  ms: number;
}

/** The official split of a DeepCAD source, when it has `train_val_test_split.json`. */
export const readOfficialSplit = (src: string): { train: string[]; validation: string[]; test: string[] } | undefined => {
  const f = join(src, "train_val_test_split.json");
  if (!existsSync(f)) return undefined;
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(f, "utf8"));
  } catch (e) {
    throw new ParseError("DeepCAD split", `not valid JSON (${(e as Error).message})`, { file: f }, { cause: e });
  }
  const o = j as Record<string, unknown>;
  const list = (k: string): string[] => {
    const v = o?.[k] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new ParseError("DeepCAD split", `"${k}" must be a list of ids`, { file: f });
    return v as string[];
  };
  return { train: list("train"), validation: list("validation"), test: list("test") };
};

/** Every model id under `src/cad_json/` (`XXXX/ID`), sorted. */
export const listDeepCadIds = (src: string): string[] => {
  const root = join(src, "cad_json");
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new InvalidArgumentError("listDeepCadIds", "src", "a DeepCAD folder with cad_json/XXXX/ID.json", src);
  const ids: string[] = [];
  for (const d of readdirSync(root, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    for (const f of readdirSync(join(root, d.name))) if (f.endsWith(".json")) ids.push(`${d.name}/${f.slice(0, -5)}`);
  }
  return ids.sort();
};

const shuffled = (ids: string[], seed: number): string[] => {
  const rng = createRng(seed);
  const a = [...ids];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

interface Entry { id: string; set: "train" | "val" | "skip"; check: ExtractCheck; reason?: string }
const JOURNAL = ".extract-journal.jsonl";

const readJournal = (file: string): Map<string, Entry> => {
  const m = new Map<string, Entry>();
  if (!existsSync(file)) return m;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as Entry;
      m.set(e.id, e);
    } catch {
      // a line cut by a kill: that file is simply redone
    }
  }
  return m;
};

/**
 * Take a train/val subset of a DeepCAD-layout source (`cad_json/XXXX/ID.json`, optional
 * `train_val_test_split.json`) into `out`: candidates are shuffled with `seed` (from the official
 * train and validation lists when the split file exists, else from every file), checked (`check`),
 * and copied to `out/cad_json/` until the sizes are met; files that fail are skipped and listed.
 * Writes `train_val_split.json` and `dataset_info.json` atomically. Resumable: finished files are
 * journaled, so a killed run continues where it stopped and ends with the same subset.
 */
export const extractSubset = async (src: string, out: string, opts: Partial<ExtractOptions> = {}): Promise<ExtractReport> => {
  const o = { ...DEFAULT_EXTRACT, ...opts };
  const t0 = performance.now();
  for (const k of ["train", "val"] as const)
    if (!Number.isInteger(o[k]) || o[k] < 0) throw new InvalidArgumentError("extractSubset", `opts.${k}`, "an integer >= 0", o[k]);
  if (o.files !== "link" && o.files !== "copy") throw new InvalidArgumentError("extractSubset", "opts.files", "'link' or 'copy'", o.files);
  if (!["parse", "vec", "solid"].includes(o.check)) throw new InvalidArgumentError("extractSubset", "opts.check", "'parse', 'vec' or 'solid'", o.check);
  const split = readOfficialSplit(src);
  const pools: { set: "train" | "val"; ids: string[]; want: number }[] = split
    ? [
        { set: "train", ids: shuffled(split.train, o.seed), want: o.train },
        { set: "val", ids: shuffled(split.validation, o.seed + 1), want: o.val },
      ]
    : (() => {
        const all = shuffled(listDeepCadIds(src), o.seed);
        return [
          { set: "train" as const, ids: all, want: o.train },
          { set: "val" as const, ids: all, want: o.val },
        ];
      })();
  mkdirSync(out, { recursive: true });
  const journalFile = join(out, JOURNAL);
  const journal = readJournal(journalFile);
  const fd = openSync(journalFile, "a");
  const wasm = o.check === "solid" ? await loadManifold() : undefined;
  let link = o.files === "link";
  const place = (from: string, dest: string) => {
    if (link) {
      rmSync(dest, { force: true });
      try {
        return linkSync(from, dest);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== "EXDEV" && code !== "EPERM" && code !== "EMLINK" && code !== "ENOTSUP") throw e;
        link = false;
      }
    }
    copyFileSync(from, dest);
  };
  const taken = new Set<string>();
  const dirs = new Set<string>();
  const pending: string[] = [];
  const flush = () => {
    if (pending.length) writeSync(fd, `${pending.join("\n")}\n`);
    pending.length = 0;
  };
  const result = { train: [] as string[], val: [] as string[] };
  const skipped: { id: string; reason: string }[] = [];
  let examined = 0;
  let resumed = 0;
  const target = o.train + o.val;
  try {
    for (const pool of pools) {
      for (const id of pool.ids) {
        if (result[pool.set].length >= pool.want) break;
        if (taken.has(id)) continue;
        taken.add(id);
        examined++;
        const prev = journal.get(id);
        if (prev && prev.check === o.check && (prev.set === "skip" || prev.set === pool.set)) {
          resumed++;
          if (prev.set === "skip") skipped.push({ id, reason: prev.reason ?? "failed" });
          else result[pool.set].push(id);
          o.onProgress?.({ done: examined, accepted: result.train.length + result.val.length, skipped: skipped.length, target });
          continue;
        }
        let entry: Entry;
        try {
          checkModelId(id, "extractSubset", "id");
          const from = resolveInside(join(src, "cad_json"), `${id}.json`, "extractSubset", "id");
          const text = readFileSync(from, "utf8");
          const model = parseDeepCad(text, { file: `${id}.json` });
          if (o.check === "vec") {
            const v = encodeCadVec(model);
            if (!v.ok) throw new SdfkitError(`cad_vec: ${v.reason}`);
          }
          if (wasm) {
            const s = buildSolidWith(wasm, model);
            if (!s.watertight) throw new SdfkitError("solid is not watertight");
          }
          // the journal line, written after the copy, is the commit record: a copy cut by a kill is
          // not journaled and is simply redone, so the per-file copy need not be atomic
          const dest = resolveInside(join(out, "cad_json"), `${id}.json`, "extractSubset", "id");
          const dir = dirname(dest);
          if (!dirs.has(dir)) {
            mkdirSync(dir, { recursive: true });
            dirs.add(dir);
          }
          place(from, dest);
          entry = { id, set: pool.set, check: o.check };
          result[pool.set].push(id);
        } catch (e) {
          if (!SdfkitError.isInstance(e) && (e as NodeJS.ErrnoException).code === undefined) throw e;
          entry = { id, set: "skip", check: o.check, reason: (e as Error).message };
          skipped.push({ id, reason: entry.reason! });
        }
        pending.push(JSON.stringify(entry));
        if (pending.length >= 64) flush();
        o.onProgress?.({ done: examined, accepted: result.train.length + result.val.length, skipped: skipped.length, target });
      }
    }
  } finally {
    flush();
    closeSync(fd);
  }
  const report: ExtractReport = {
    source: src,
    seed: o.seed,
    check: o.check,
    usedOfficialSplit: !!split,
    train: result.train,
    val: result.val,
    skipped,
    examined,
    resumed,
    ms: performance.now() - t0,
  };
  writeFileAtomicSync(join(out, "train_val_split.json"), JSON.stringify({ train: result.train, validation: result.val }, null, 1));
  const { train, val, ...info } = report;
  writeFileAtomicSync(join(out, "dataset_info.json"), JSON.stringify({ ...info, trainCount: train.length, valCount: val.length, requested: { train: o.train, val: o.val } }, null, 1));
  return report;
};
