import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { unzlibSync } from "fflate";
import { InvalidArgumentError } from "@sdfkit/sdf-core";
import { resolveInside } from "./safe-path.js";

/** Options of {@link validateDataset}. */
export interface ValidateOptions {
  /** Expected image side; default: the size in `rendering_metadata.json`. */
  size?: number;
  /** Inflate every PNG and check its length (slower than reading headers). @defaultValue true */
  decodeImages: boolean;
  /** Average answer length (characters) under which a warning is given. @defaultValue 20 */
  minAnswerChars: number;
  onProgress?: (e: { done: number; total: number }) => void;
}
export const DEFAULT_VALIDATE: ValidateOptions = { decodeImages: true, minAnswerChars: 20 };

/** The validation report (the CLI exits non-zero when `valid` is false). */
export interface ValidationReport {
  valid: boolean;
  errors: string[];
  warnings: string[];
  stats: {
    train: number;
    val: number;
    images: number;
    missingImages: number;
    resolution: [number, number] | null;
    avgHumanChars: number;
    avgAnswerChars: number;
  };
}

const SIG = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Read a PNG's size and, with `decode`, inflate its pixel data and check its length. Throws a message on a bad file. */
export const checkPng = (bytes: Uint8Array, decode: boolean): { width: number; height: number } => {
  if (bytes.length < 33 || SIG.some((b, i) => bytes[i] !== b)) throw new Error("not a PNG (bad signature)");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 8;
  let colorType = 6;
  const idat: Uint8Array[] = [];
  let sawEnd = false;
  while (off + 8 <= bytes.length) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(bytes[off + 4], bytes[off + 5], bytes[off + 6], bytes[off + 7]);
    if (off + 12 + len > bytes.length) throw new Error(`truncated ${type} chunk`);
    const body = bytes.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = dv.getUint32(off + 8);
      height = dv.getUint32(off + 12);
      bitDepth = body[8];
      colorType = body[9];
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") {
      sawEnd = true;
      break;
    }
    off += 12 + len;
  }
  if (!width || !height) throw new Error("no IHDR");
  if (!sawEnd) throw new Error("no IEND (truncated file)");
  if (idat.length === 0) throw new Error("no image data");
  if (decode) {
    const ch = CHANNELS[colorType];
    if (!ch || bitDepth !== 8) throw new Error(`unsupported PNG colour type ${colorType} / depth ${bitDepth}`);
    const all = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
    let p = 0;
    for (const c of idat) {
      all.set(c, p);
      p += c.length;
    }
    let raw: Uint8Array;
    try {
      raw = unzlibSync(all);
    } catch (e) {
      throw new Error(`image data does not inflate (${(e as Error).message})`);
    }
    if (raw.length !== height * (1 + width * ch)) throw new Error(`image data has ${raw.length} bytes, expected ${height * (1 + width * ch)}`);
  }
  return { width, height };
};

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Validate a TinyLLaVA dataset folder (`train.json`, `val.json`, `images/`): JSON schema of every record
 * (`id`, `image`, two conversation turns human → gpt, `<image>` in the human turn), unique ids, every
 * image inside the image folder, present, a PNG that decodes, at the expected resolution; statistics
 * and warnings (empty split, short answers, images never referenced).
 */
export const validateDataset = async (root: string, opts: Partial<ValidateOptions> = {}): Promise<ValidationReport> => {
  const o = { ...DEFAULT_VALIDATE, ...opts };
  if (typeof root !== "string" || !existsSync(root)) throw new InvalidArgumentError("validateDataset", "root", "an existing dataset folder", root);
  const errors: string[] = [];
  const warnings: string[] = [];
  let size = o.size;
  const metaFile = join(root, "rendering_metadata.json");
  if (size === undefined && existsSync(metaFile)) {
    try {
      size = (JSON.parse(readFileSync(metaFile, "utf8")) as { size?: number }).size;
    } catch {
      warnings.push("rendering_metadata.json is not valid JSON");
    }
  }
  const imageRoot = join(root, "images");
  const ids = new Set<string>();
  const seenImages = new Set<string>();
  let humanChars = 0;
  let answerChars = 0;
  let records = 0;
  let missing = 0;
  let resolution: [number, number] | null = null;
  const counts = { train: 0, val: 0 };
  const lists: [keyof typeof counts, unknown[]][] = [];
  for (const [key, file] of [["train", "train.json"], ["val", "val.json"]] as const) {
    const f = join(root, file);
    if (!existsSync(f)) {
      errors.push(`${file}: missing`);
      continue;
    }
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(f, "utf8"));
    } catch (e) {
      errors.push(`${file}: not valid JSON (${(e as Error).message})`);
      continue;
    }
    if (!Array.isArray(data)) {
      errors.push(`${file}: expected a JSON list of records`);
      continue;
    }
    lists.push([key, data]);
  }
  const total = lists.reduce((n, [, l]) => n + l.length, 0);
  let done = 0;
  for (const [key, list] of lists) {
    const file = `${key}.json`;
    counts[key] = list.length;
    if (list.length === 0) warnings.push(`${file}: no records`);
    list.forEach((r, i) => {
      o.onProgress?.({ done: ++done, total });
      const at = `${file}[${i}]`;
      if (!isObj(r)) return void errors.push(`${at}: expected an object`);
      if (typeof r.id !== "string" || !r.id) errors.push(`${at}.id: expected a non-empty string`);
      else if (ids.has(r.id)) errors.push(`${at}.id: duplicate id ${JSON.stringify(r.id)}`);
      else ids.add(r.id);
      const conv = r.conversations;
      if (!Array.isArray(conv) || conv.length < 2 || conv.length % 2 !== 0) errors.push(`${at}.conversations: expected an even number (≥ 2) of turns`);
      else
        conv.forEach((t, j) => {
          const want = j % 2 === 0 ? "human" : "gpt";
          if (!isObj(t) || t.from !== want || typeof t.value !== "string" || !t.value) errors.push(`${at}.conversations[${j}]: expected { from: "${want}", value: non-empty string }`);
          else if (j === 0 && !t.value.startsWith("<image>\n")) errors.push(`${at}.conversations[0].value: must start with "<image>\\n"`);
          else if (j > 0 && t.value.includes("<image>")) errors.push(`${at}.conversations[${j}].value: only the first turn may hold <image>`);
          else if (j === 0) humanChars += t.value.length;
          else answerChars += t.value.length;
        });
      records++;
      if (typeof r.image !== "string") return void errors.push(`${at}.image: expected a path string`);
      let path: string;
      try {
        path = resolveInside(imageRoot, r.image, "validateDataset", `${at}.image`);
      } catch (e) {
        return void errors.push((e as Error).message);
      }
      seenImages.add(r.image);
      if (!existsSync(path)) {
        missing++;
        return void errors.push(`${at}.image: ${r.image} does not exist`);
      }
      try {
        const { width, height } = checkPng(readFileSync(path), o.decodeImages);
        resolution ??= [width, height];
        if (size !== undefined && (width !== size || height !== size)) {
          const grid = r.image.endsWith("_grid.png");
          if (!grid || width % size !== 0 || height % size !== 0) errors.push(`${at}.image: ${r.image} is ${width}×${height}, expected ${size}×${size}`);
        }
      } catch (e) {
        errors.push(`${at}.image: ${r.image}: ${(e as Error).message}`);
      }
    });
  }
  const avgAnswer = records ? answerChars / records : 0;
  if (records && avgAnswer < o.minAnswerChars) warnings.push(`answers are short (average ${avgAnswer.toFixed(1)} characters)`);
  if (existsSync(imageRoot)) {
    const unused = readdirSync(imageRoot).filter((f) => f.endsWith(".png") && !seenImages.has(f));
    if (unused.length) warnings.push(`${unused.length} images are not referenced by any record (e.g. dropped over the token limit)`);
  }
  return {
    valid: errors.length === 0,
    errors,
    warnings,
    stats: { train: counts.train, val: counts.val, images: seenImages.size, missingImages: missing, resolution, avgHumanChars: records ? humanChars / records : 0, avgAnswerChars: avgAnswer },
  };
};
