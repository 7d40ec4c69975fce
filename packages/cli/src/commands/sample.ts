import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { readMesh, writeFileAtomic } from "@sdfkit/sdf-core/node";
import { sampleBands, SAMPLING_PRESETS, toDeepSdfNpz } from "@sdfkit/sampling";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";

export const sampleCommand: Command = {
  name: "sample",
  summary: "Sample signed distances of a mesh into a DeepSDF .npz (pos/neg N×4)",
  usage: "sdfkit sample MESH [--preset deepsdf|seed-v2] [--count N] [--seed S] [--clamp D] [--out FILE.npz] [--json]",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        preset: { type: "string", default: "deepsdf" },
        count: { type: "string", default: "250000" },
        seed: { type: "string", default: "0" },
        clamp: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    if (positionals.length !== 1) {
      console.error(`sdfkit sample: give exactly one MESH\nusage: ${this.usage}`);
      return 2;
    }
    const preset = values.preset as keyof typeof SAMPLING_PRESETS;
    if (!(preset in SAMPLING_PRESETS)) throw new InvalidArgumentError("sdfkit sample", "--preset", Object.keys(SAMPLING_PRESETS).join(" or "), values.preset);
    const count = Number(values.count);
    const mesh = await readMesh(positionals[0]);
    const out = resolve(values.out ?? positionals[0].replace(/\.[^./]+$/, "") + ".npz");
    const bar = createProgress("sample", count, { quiet: values.json });
    const t0 = performance.now();
    const s = sampleBands(mesh, {
      count,
      bands: SAMPLING_PRESETS[preset],
      rng: createRng(Number(values.seed)),
      ...(values.clamp !== undefined ? { clamp: Number(values.clamp) } : {}),
      onProgress: (e) => bar.update(e.done),
    });
    bar.stop();
    await writeFileAtomic(out, toDeepSdfNpz(s));
    const inside = s.sdf.reduce((n, d) => n + (d < 0 ? 1 : 0), 0);
    const summary = { mesh: positionals[0], out, preset, count, inside, outside: count - inside, seconds: (performance.now() - t0) / 1000, transform: s.transform, ...s.report };
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else console.log(`${count} samples (${inside} inside) by ${s.report.signMethod} sign → ${out} in ${summary.seconds.toFixed(1)} s; mesh ${s.report.watertight ? "watertight" : `open (${s.report.boundaryEdges} boundary edges)`}`);
    return 0;
  },
};
