import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, type Mesh, type Rng } from "@sdfkit/sdf-core";
import type { BandSamples, SampleBandsOptions } from "../api.js";
import { decodeSamples, encodeSamples } from "../encode-samples.js";
import { sampleBands } from "../sample-bands.js";

/** Cache key: sha256 of the mesh content (positions, indices, faceIds), count, options and rng state. */
export const sampleCacheKey = (mesh: Mesh, count: number, opts: Partial<SampleBandsOptions> & { rng: Rng }): string => {
  const h = createHash("sha256");
  for (const a of [mesh.positions, mesh.indices, mesh.faceIds]) {
    if (a) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    h.update("|");
  }
  const { rng, onProgress: _p, ...rest } = opts;
  h.update(JSON.stringify({ count, rest, rng: rng.getState() }));
  return h.digest("hex");
};

/**
 * {@link sampleBands} through an on-disk cache in `dir` keyed by {@link sampleCacheKey}; files are
 * written atomically (temp file + rename). On a hit the rng is NOT advanced.
 */
export const cachedSampleBands = (dir: string, mesh: Mesh, count: number, opts: Partial<SampleBandsOptions> & { rng: Rng }): BandSamples & { cached: boolean } => {
  if (typeof dir !== "string" || dir === "") throw new InvalidArgumentError("cachedSampleBands", "dir", "a directory path", dir);
  const file = join(dir, `${sampleCacheKey(mesh, count, opts)}.sdfs`);
  if (existsSync(file)) return { ...decodeSamples(readFileSync(file)), cached: true };
  const r = sampleBands(mesh, count, opts);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, encodeSamples(r));
  renameSync(tmp, file);
  return { ...r, cached: false };
};
