import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError, createRng } from "@sdfkit/sdf-core";
import { listCheckpoints, loadCheckpoint, saveCheckpoint, type TrainingCheckpoint } from "@sdfkit/trainer";

const make = (epoch: number): TrainingCheckpoint => {
  const rng = createRng(epoch);
  const arr = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
  return { epoch, decoder: { "l0.w": arr(15), "l0.b": arr(3) }, codes: arr(8), optimizer: { "m.l0.w": arr(15), step: Float32Array.of(epoch) }, rngState: Array.from(rng.getState()), meta: { shapes: ["a", "b"] } };
};

describe("checkpoints", () => {
  it("round-trips bitwise, keeps latest + every K, leaves no temp files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sdfkit-ckpt-"));
    try {
      for (let e = 1; e <= 7; e++) await saveCheckpoint(dir, make(e), { keepEvery: 3 });
      expect(await listCheckpoints(dir)).toEqual([3, 6, 7]);
      expect((await readdir(dir)).length).toBe(3);
      const back = (await loadCheckpoint(dir))!;
      const ref = make(7);
      expect(back.epoch).toBe(7);
      expect(back.rngState).toEqual(ref.rngState);
      expect(back.meta).toEqual(ref.meta);
      expect(Buffer.from(back.codes.buffer, back.codes.byteOffset, back.codes.byteLength).equals(Buffer.from(ref.codes.buffer))).toBe(true);
      expect(Array.from(back.decoder["l0.w"]!)).toEqual(Array.from(ref.decoder["l0.w"]!));
      expect(Array.from(back.optimizer["step"]!)).toEqual([7]);
      expect((await loadCheckpoint(dir, 3))!.epoch).toBe(3);
      expect(await loadCheckpoint(dir, 4)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it("rejects a corrupt or truncated file with ParseError", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sdfkit-ckpt-"));
    try {
      const p = await saveCheckpoint(dir, make(2));
      const { readFile } = await import("node:fs/promises");
      const buf = await readFile(p);
      await writeFile(p, buf.subarray(0, buf.length - 4));
      await expect(loadCheckpoint(dir)).rejects.toBeInstanceOf(ParseError);
      await writeFile(p, "garbage");
      await expect(loadCheckpoint(dir)).rejects.toBeInstanceOf(ParseError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
