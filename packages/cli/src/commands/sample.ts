import { parseArgs } from "node:util";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { readMesh, writeFileAtomic } from "@sdfkit/sdf-core/node";
import { encodeNpz, sampleBands, sampleBandsParallel, SAMPLE_MIXES, splitBySign } from "@sdfkit/sampling";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";

/** `sdfkit sample MESH --preset deepsdf|seed-v2 --count N --out FILE.npz [--json] [--seed S]`. */
export const sampleCommand: Command = {
  name: "sample",
  summary: "Multi-band signed-distance training samples of a mesh, written as a DeepSDF .npz",
  usage: `sdfkit sample MESH --preset ${Object.keys(SAMPLE_MIXES).join("|")} --count N --out FILE.npz [--seed S] [--clamp D] [--json]`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        preset: { type: "string", default: "deepsdf" },
        count: { type: "string", default: "250000" },
        out: { type: "string" },
        seed: { type: "string", default: "0" },
        clamp: { type: "string", default: "0" },
        json: { type: "boolean", default: false },
      },
    });
    const count = Number(values.count), seed = Number(values.seed), clamp = Number(values.clamp);
    if (positionals.length !== 1 || !values.out) {
      process.stderr.write(`usage: ${this.usage}\n`);
      return 2;
    }
    if (!(values.preset! in SAMPLE_MIXES)) throw new InvalidArgumentError("sdfkit sample", "--preset", `one of ${Object.keys(SAMPLE_MIXES).join(", ")}`, values.preset);
    if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError("sdfkit sample", "--count", "an integer >= 1", values.count);
    if (!Number.isFinite(seed)) throw new InvalidArgumentError("sdfkit sample", "--seed", "a number", values.seed);
    if (!(clamp >= 0)) throw new InvalidArgumentError("sdfkit sample", "--clamp", "a number >= 0", values.clamp);
    const t0 = performance.now();
    const mesh = await readMesh(positionals[0]);
    const bar = createProgress("sample", count, { quiet: values.json });
    const opts = { rng: createRng(seed), mix: values.preset!, clamp, onProgress: (f: number) => bar.update(Math.round(f * count)) };
    // large batches: signed distances on worker threads (same result as one thread)
    const r = count > 50_000 ? await sampleBandsParallel(mesh, count, opts) : sampleBands(mesh, count, opts);
    bar.stop();
    const pn = splitBySign(r.samples);
    const bytes = encodeNpz(pn, { transform: new Float32Array([...r.transform.offset, r.transform.scale]) });
    await writeFileAtomic(values.out, bytes);
    const report = {
      mesh: positionals[0], out: values.out, preset: values.preset, count, seed,
      pos: pn.pos.length / 4, neg: pn.neg.length / 4,
      signMethod: r.signMethod, openness: r.openness, transform: r.transform,
      seconds: (performance.now() - t0) / 1000,
    };
    process.stdout.write(values.json ? JSON.stringify(report) + "\n" : `wrote ${report.out}: ${report.pos} pos + ${report.neg} neg (${r.signMethod} sign, ${r.openness.boundaryEdges} boundary edges) in ${report.seconds.toFixed(1)} s\n`);
    return 0;
  },
};
