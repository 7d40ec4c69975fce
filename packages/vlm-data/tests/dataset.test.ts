import { describe, expect, it, beforeAll } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { encodePng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { checkPng, convertDataset, extractSubset, renderDataset, resolveInside, validateDataset, type BatchRenderer } from "@sdfkit/vlm-data/node";
import { DEEPCAD_DIR, realFiles } from "./helpers.js";

/** A DeepCAD-layout source: the 21 real files (linked), one broken file, optionally a split file. */
const makeSource = (withSplit: boolean): string => {
  const src = mkdtempSync(join(tmpdir(), "sdfkit-deepcad-"));
  for (const { name } of realFiles()) {
    const id = name.slice(0, -5);
    mkdirSync(join(src, "cad_json", id.slice(0, 4)), { recursive: true });
    symlinkSync(join(DEEPCAD_DIR, name), join(src, "cad_json", id.slice(0, 4), name));
  }
  writeFileSync(join(src, "cad_json", "0000", "00099999.json"), '{"entities": {}, "sequence": "oops"}');
  if (withSplit) {
    const ids = realFiles().map((f) => `${f.name.slice(0, 4)}/${f.name.slice(0, -5)}`);
    writeFileSync(join(src, "train_val_test_split.json"), JSON.stringify({ train: [...ids.slice(0, 14), "0000/00099999"], validation: ids.slice(14, 19), test: ids.slice(19) }));
  }
  return src;
};

/** A tiny renderer: a flat image per view whose grey level encodes the triangle count (no @sdfkit/render here). */
const flatRenderer: BatchRenderer = async (files, o) => {
  const results = [];
  for (const f of files) {
    const stem = basename(f, ".stl");
    const out: string[] = [];
    for (const v of o.views) {
      const data = new Uint8Array(o.size * o.size * 4).fill(200);
      const file = join(o.outDir, `${stem}_${v}.png`);
      writeFileSync(file, encodePng({ width: o.size, height: o.size, data }));
      out.push(file);
    }
    results.push({ input: f, files: out });
    o.onProgress?.({ done: results.length, total: files.length, input: f, ok: true });
  }
  return { results, errors: [] };
};

describe("dataset pipeline (extract → render → convert → validate)", () => {
  let src: string;
  let srcSplit: string;
  const tmp: string[] = [];
  const out = () => {
    const d = mkdtempSync(join(tmpdir(), "sdfkit-ds-"));
    tmp.push(d);
    return d;
  };
  beforeAll(() => {
    src = makeSource(false);
    srcSplit = makeSource(true);
    tmp.push(src, srcSplit);
    return () => tmp.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it("extract: deterministic by seed, disjoint train/val, broken files skipped and listed, files copied", async () => {
    const [a, b, c] = [out(), out(), out()];
    const ra = await extractSubset(src, a, { train: 12, val: 4, seed: 7 });
    const rb = await extractSubset(src, b, { train: 12, val: 4, seed: 7 });
    const rc = await extractSubset(src, c, { train: 12, val: 4, seed: 8 });
    expect([ra.train, ra.val]).toEqual([rb.train, rb.val]);
    expect(ra.train).not.toEqual(rc.train);
    expect(ra.train.length).toBe(12);
    expect(ra.val.length).toBe(4);
    expect(ra.train.filter((id) => ra.val.includes(id))).toEqual([]);
    const split = JSON.parse(readFileSync(join(a, "train_val_split.json"), "utf8"));
    expect(split).toEqual({ train: ra.train, validation: ra.val });
    for (const id of [...ra.train, ...ra.val]) expect(existsSync(join(a, "cad_json", `${id}.json`))).toBe(true);
    const all = await extractSubset(src, out(), { train: 30, val: 0 });
    expect(all.train.length).toBe(21);
    expect(all.skipped.map((s) => s.id)).toEqual(["0000/00099999"]);
    expect(all.skipped[0].reason).toMatch(/00099999\.json.*\$\.sequence: expected an array/);
    const info = JSON.parse(readFileSync(join(a, "dataset_info.json"), "utf8"));
    expect(info).toMatchObject({ trainCount: 12, valCount: 4, seed: 7, usedOfficialSplit: false });
  });

  it("extract honours the official split, and the 'vec' check drops what DeepCAD cannot encode", async () => {
    const r = await extractSubset(srcSplit, out(), { train: 20, val: 20, check: "vec" });
    expect(r.usedOfficialSplit).toBe(true);
    const split = JSON.parse(readFileSync(join(srcSplit, "train_val_test_split.json"), "utf8"));
    for (const id of r.train) expect(split.train).toContain(id);
    for (const id of r.val) expect(split.validation).toContain(id);
    expect(r.skipped.some((s) => s.id === "0000/00099999")).toBe(true);
    expect(r.skipped.filter((s) => /limit/.test(s.reason)).length).toBeGreaterThan(0);
  });

  it("extract resumes after a kill and ends with the same subset as an uninterrupted run", async () => {
    const ref = await extractSubset(src, out(), { train: 10, val: 3, seed: 3 });
    const d = out();
    let n = 0;
    await expect(
      extractSubset(src, d, {
        train: 10,
        val: 3,
        seed: 3,
        onProgress: () => {
          if (++n === 6) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect(existsSync(join(d, "train_val_split.json"))).toBe(false);
    const again = await extractSubset(src, d, { train: 10, val: 3, seed: 3 });
    expect(again.resumed).toBe(6);
    expect([again.train, again.val]).toEqual([ref.train, ref.val]);
  });

  it("ids and image paths cannot leave the dataset root", async () => {
    expect(() => resolveInside("/data", "../etc/passwd")).toThrow(InvalidArgumentError);
    expect(() => resolveInside("/data", "/etc/passwd")).toThrow(InvalidArgumentError);
    expect(() => resolveInside("/data", "a/../../b")).toThrow(InvalidArgumentError);
    expect(() => resolveInside("/data", "a\\b")).toThrow(InvalidArgumentError);
    expect(resolveInside("/data", "0000/00000007.json")).toBe("/data/0000/00000007.json");
    const d = out();
    writeFileSync(join(d, "train_val_split.json"), JSON.stringify({ train: ["../../etc/x"], validation: [] }));
    await expect(renderDataset(d, { renderer: flatRenderer })).rejects.toThrow(/model id/);
  });

  it("render → convert → validate gives a valid TinyLLaVA dataset; damage is caught", async () => {
    const d = out();
    await extractSubset(src, d, { train: 8, val: 3, seed: 1 });
    const meta = await renderDataset(d, { renderer: flatRenderer, size: 32, views: ["front", "top"] });
    expect(meta.models.length).toBe(11);
    expect(meta.failed).toEqual([]);
    expect(meta.models[0].watertight).toBe(true);
    const rep = await convertDataset(d, { seed: 5, tokenLimit: 1500 });
    const train = JSON.parse(readFileSync(join(d, "train.json"), "utf8"));
    expect(train.length + JSON.parse(readFileSync(join(d, "val.json"), "utf8")).length + rep.droppedOverTokenLimit).toBe(22);
    expect(train[0].conversations[0].value.startsWith("<image>\n")).toBe(true);
    expect(train[0].conversations[1].value).toMatch(/^Of course, here are the codes:\n```python\nSketchPlane0 = add_sketchplane\(/);
    expect(rep.tokens.max).toBeLessThanOrEqual(1500);
    // same seed, same prompts
    const first = readFileSync(join(d, "train.json"), "utf8");
    await convertDataset(d, { seed: 5, tokenLimit: 1500 });
    expect(readFileSync(join(d, "train.json"), "utf8")).toBe(first);
    const ok = await validateDataset(d);
    expect(ok.errors).toEqual([]);
    expect(ok.valid).toBe(true);
    expect(ok.stats.resolution).toEqual([32, 32]);
    // vec target
    const vec = await convertDataset(d, { target: "code+vec", tokenLimit: 100000 });
    expect(vec.droppedOverTokenLimit).toBe(0);
    expect(JSON.parse(readFileSync(join(d, "train.json"), "utf8"))[0].conversations[1].value).toMatch(/DeepCAD vector:\n```\nSOL\n/);
    // damage: a missing image, a truncated PNG, a wrong size, a bad record
    const recs = JSON.parse(readFileSync(join(d, "train.json"), "utf8"));
    rmSync(join(d, "images", recs[0].image));
    const png = readFileSync(join(d, "images", recs[1].image));
    writeFileSync(join(d, "images", recs[1].image), png.subarray(0, png.length - 20));
    writeFileSync(join(d, "images", recs[2].image), encodePng({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 4) }));
    recs[3].conversations[0].value = "no image tag";
    recs[4].image = "../train.json";
    writeFileSync(join(d, "train.json"), JSON.stringify(recs));
    const bad = await validateDataset(d);
    expect(bad.valid).toBe(false);
    const all = bad.errors.join("\n");
    expect(all).toMatch(/does not exist/);
    expect(all).toMatch(/IEND|truncated|inflate/);
    expect(all).toMatch(/16×16, expected 32×32/);
    expect(all).toMatch(/must start with "<image>\\n"/);
    expect(all).toMatch(/inside the dataset root|without '\.'/);
  });

  it("checkPng decodes what encodePng writes", () => {
    const img = { width: 5, height: 3, data: new Uint8Array(60).map((_, i) => i * 7) };
    expect(checkPng(encodePng(img), true)).toEqual({ width: 5, height: 3 });
    expect(() => checkPng(new Uint8Array(40), true)).toThrow(/signature/);
  });
});
