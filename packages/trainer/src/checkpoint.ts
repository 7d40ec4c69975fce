import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { ParseError } from "@sdfkit/sdf-core";
import { writeFileAtomic } from "@sdfkit/sdf-core/node";

/** Everything needed to resume training bit-identically. */
export interface TrainingCheckpoint {
  /** Number of completed epochs. */
  epoch: number;
  /** Decoder weights by variable name. */
  decoder: Record<string, Float32Array>;
  /** Latent codes, one row of CodeLength per shape. */
  codes: Float32Array;
  /** Optimizer state (Adam first/second moments, step counts) by slot name. */
  optimizer: Record<string, Float32Array>;
  /** RNG state from `rng.getState()`. */
  rngState: number[];
  /** Free-form JSON metadata (specs hash, shape names, ...). */
  meta?: Record<string, unknown>;
}

/** Options for {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Keep every K-th epoch's checkpoint besides the latest; 0 keeps only the latest. @defaultValue 0 */
  keepEvery: number;
}
export const DEFAULT_SAVE_CHECKPOINT: SaveCheckpointOptions = { keepEvery: 0 };

const MAGIC = "SDFKITCK1\n";
const NAME = /^epoch-(\d{6,})\.ckpt$/;
const fileName = (epoch: number) => `epoch-${String(epoch).padStart(6, "0")}.ckpt`;

const encode = (c: TrainingCheckpoint): Uint8Array => {
  const arrays: Float32Array[] = [];
  const index = (rec: Record<string, Float32Array>) =>
    Object.keys(rec).sort().map((k) => { arrays.push(rec[k]!); return [k, rec[k]!.length] as const; });
  const header = { epoch: c.epoch, rngState: c.rngState, meta: c.meta ?? {}, decoder: index(c.decoder), codes: (arrays.push(c.codes), c.codes.length), optimizer: index(c.optimizer) };
  const head = new TextEncoder().encode(MAGIC + JSON.stringify(header) + "\n");
  const pad = (4 - (head.length % 4)) % 4;
  const total = head.length + pad + arrays.reduce((a, x) => a + x.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(head);
  out.fill(0x20, head.length, head.length + pad);
  let off = head.length + pad;
  for (const a of arrays) { out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off); off += a.byteLength; }
  return out;
};

const decode = (buf: Uint8Array, file: string): TrainingCheckpoint => {
  const magic = new TextDecoder().decode(buf.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new ParseError("checkpoint", "not an sdfkit checkpoint (bad magic)", { file });
  const nl = buf.indexOf(10, MAGIC.length);
  if (nl < 0) throw new ParseError("checkpoint", "truncated header", { file });
  let header: { epoch: number; rngState: number[]; meta: Record<string, unknown>; decoder: [string, number][]; codes: number; optimizer: [string, number][] };
  try { header = JSON.parse(new TextDecoder().decode(buf.subarray(MAGIC.length, nl))); } catch (e) { throw new ParseError("checkpoint", "bad header JSON", { file }, { cause: e }); }
  let off = nl + 1;
  off += (4 - (off % 4)) % 4;
  const body = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const take = (n: number) => {
    if (off + n * 4 > buf.length) throw new ParseError("checkpoint", `truncated body: need ${off + n * 4} bytes, have ${buf.length}`, { file });
    const a = new Float32Array(body, off, n); off += n * 4; return a;
  };
  const decoder: Record<string, Float32Array> = {};
  for (const [k, n] of header.decoder) decoder[k] = take(n);
  const codes = take(header.codes);
  const optimizer: Record<string, Float32Array> = {};
  for (const [k, n] of header.optimizer) optimizer[k] = take(n);
  if (off !== buf.length) throw new ParseError("checkpoint", `trailing ${buf.length - off} bytes`, { file });
  // JSON has no NaN: an Rng's empty normal spare is stored as null.
  return { epoch: header.epoch, rngState: header.rngState.map((v) => (v === null ? NaN : v)), meta: header.meta, decoder, codes, optimizer };
};

/** Epochs of the checkpoints in `dir`, ascending. */
export const listCheckpoints = async (dir: string): Promise<number[]> => {
  let names: string[];
  try { names = await readdir(dir); } catch { return []; }
  return names.map((n) => NAME.exec(n)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
};

/**
 * Write `dir/epoch-NNNNNN.ckpt` atomically (temp + rename), then delete older checkpoints except those whose
 * epoch is a multiple of `keepEvery`. Returns the written path.
 */
export const saveCheckpoint = async (dir: string, ckpt: TrainingCheckpoint, opts: Partial<SaveCheckpointOptions> = {}): Promise<string> => {
  const o = { ...DEFAULT_SAVE_CHECKPOINT, ...opts };
  const path = join(dir, fileName(ckpt.epoch));
  await writeFileAtomic(path, encode(ckpt));
  for (const e of await listCheckpoints(dir)) {
    if (e === ckpt.epoch) continue;
    if (o.keepEvery > 0 && e % o.keepEvery === 0) continue;
    await rm(join(dir, fileName(e)), { force: true });
  }
  return path;
};

/** Read a checkpoint: `epoch` given, that one; else the latest in `dir`; `undefined` when there is none. */
export const loadCheckpoint = async (dir: string, epoch?: number): Promise<TrainingCheckpoint | undefined> => {
  const all = await listCheckpoints(dir);
  const e = epoch ?? all[all.length - 1];
  if (e === undefined || !all.includes(e)) return undefined;
  const file = join(dir, fileName(e));
  return decode(new Uint8Array(await readFile(file)), file);
};
