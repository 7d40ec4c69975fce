import { mkdir, rename, writeFile, rm } from "node:fs/promises";
import { mkdirSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { dirname, basename, join } from "node:path";

let _seq = 0;
/**
 * Write a file atomically: write a temp file beside it, then rename over the target, so a killed
 * process never leaves a half-written file. Parent folders are created.
 */
export const writeFileAtomic = async (path: string, data: Uint8Array | string): Promise<void> => {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${_seq++}.tmp`);
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
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${_seq++}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
};
