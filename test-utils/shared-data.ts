import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";

/** Repository root (this file lives in <root>/test-utils). */
export const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

/**
 * The shared data folder: `$SDFKIT_SHARED_DATA`, else `../shared/data` beside the repository root.
 * Tests and benchmarks read real files from here; nothing is copied into the repository.
 */
export const sharedDataDir = (): string => {
  const env = process.env.SDFKIT_SHARED_DATA;
  const dir = env ? resolve(env) : resolve(repoRoot, "..", "shared", "data");
  if (!existsSync(dir)) throw new Error(`shared data folder not found at ${dir} (set SDFKIT_SHARED_DATA)`);
  return dir;
};

/** Path of a file under the shared data folder, e.g. `sharedData("obj", "fandisk.obj")`. */
export const sharedData = (...parts: string[]): string => join(sharedDataDir(), ...parts);
