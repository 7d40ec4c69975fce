import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ParseError } from "@sdfkit/sdf-core";
import { writeFileAtomic } from "@sdfkit/sdf-core/node";
import { packInferenceBundle, unpackInferenceBundle, type InferenceModel, type ShapeNormalization } from "@sdfkit/sdf-core/model";
import type { DeepSdfDecoder } from "@sdfkit/sdf-core/model";

/** File names of the inference bundle inside an experiment folder. */
export const INFERENCE_FILES = { json: "inference.json", bin: "inference.bin" } as const;

/**
 * Write the inference bundle of a trained model into `dir`: `inference.json` (decoder specs and tensor
 * table, shape names, normalisations, meta) and `inference.bin` (float32 parameters then latents),
 * each atomically. `@sdfkit/sdf-core/model`'s `unpackInferenceBundle` loads it in Node or a browser.
 */
export const saveInferenceBundle = async (
  dir: string,
  b: { decoder: DeepSdfDecoder; latents: Float32Array; shapes: string[]; normalization?: Record<string, ShapeNormalization>; meta?: Record<string, unknown> },
): Promise<void> => {
  const { json, data } = packInferenceBundle(b);
  await writeFileAtomic(join(dir, INFERENCE_FILES.bin), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  await writeFileAtomic(join(dir, INFERENCE_FILES.json), JSON.stringify(json));
};

/** Read the inference bundle of an experiment folder. @throws ParseError when it is missing or corrupt. */
export const loadInferenceBundle = async (dir: string): Promise<InferenceModel> => {
  let text: string, bin: Buffer;
  try {
    [text, bin] = await Promise.all([readFile(join(dir, INFERENCE_FILES.json), "utf8"), readFile(join(dir, INFERENCE_FILES.bin))]);
  } catch (e) {
    throw new ParseError("inference bundle", `cannot read ${INFERENCE_FILES.json} / ${INFERENCE_FILES.bin} in ${dir} (train first): ${(e as Error).message}`, { file: dir }, { cause: e });
  }
  if (bin.byteLength % 4 !== 0) throw new ParseError("inference bundle", `${INFERENCE_FILES.bin} has ${bin.byteLength} bytes, not a float32 array`, { file: join(dir, INFERENCE_FILES.bin) });
  const data = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ParseError("inference bundle", `not valid JSON (${(e as Error).message})`, { file: join(dir, INFERENCE_FILES.json) }, { cause: e });
  }
  return unpackInferenceBundle(json, data);
};
