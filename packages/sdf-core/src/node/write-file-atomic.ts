import { mkdir, rename, writeFile, rm } from "node:fs/promises";
import { mkdirSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { threadId } from "node:worker_threads";

let _seq = 0;
/** @internal A temp name beside `path`, unique across processes and their worker threads (each thread has its own counter). */
const __tmpName = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}.${Date.now()}.${_seq++}.tmp`);
/**
 * Write a file atomically: write a temp file beside it, then rename over the target, so a killed
 * process never leaves a half-written file. Parent folders are created.
 */
export const writeFileAtomic = async (path: string, data: Uint8Array | string): Promise<void> => {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = __tmpName(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
};

/** Synchronous {@link writeFileAtomic}: for worker threads and batch jobs where waiting on I/O only idles the CPU. */
export const writeFileAtomicSync = (path: string, data: Uint8Array | string): void => {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = __tmpName(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
};
