import { mkdir, rename, writeFile, rm } from "node:fs/promises";
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
