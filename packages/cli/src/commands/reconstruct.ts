import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { chamferDistance, createRng } from "@sdfkit/sdf-core";
import { writeMesh } from "@sdfkit/sdf-core/node";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { sampleBands } from "@sdfkit/sampling";
import { extractMeshAsync, loadInferenceBundle, reconstruct, sparseGridRes } from "@sdfkit/trainer";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";
import { denormalizeMesh, intOpt, readNormalizedMeshes } from "../fit-helpers.js";

export const reconstructCommand: Command = {
  name: "reconstruct",
  summary: "Fit a latent code for an unseen mesh with a trained decoder (DeepSDF protocol) and extract its mesh",
  usage: "sdfkit reconstruct -e DIR MESH --out FILE.obj [--iterations 800] [--samples 100000] [--res 129] [--seed 0] [--engine auto|onnx|tfjs] [--json]",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        e: { type: "string", short: "e" },
        out: { type: "string" },
        iterations: { type: "string", default: "800" },
        samples: { type: "string", default: "100000" },
        res: { type: "string", default: "129" },
        seed: { type: "string", default: "0" },
        engine: { type: "string", default: "auto" },
        json: { type: "boolean", default: false },
      },
    });
    if (!values.e || positionals.length !== 1 || !values.out) {
      console.error(`sdfkit reconstruct: give -e DIR, one MESH and --out FILE\nusage: ${this.usage}`);
      return 2;
    }
    await selectBackend({ log: !values.json });
    const model = await loadInferenceBundle(resolve(values.e));
    const [m] = await readNormalizedMeshes(positionals);
    const seed = intOpt("sdfkit reconstruct", "--seed", values.seed, 0);
    const iterations = intOpt("sdfkit reconstruct", "--iterations", values.iterations);
    const samples = sampleBands(m.mesh, intOpt("sdfkit reconstruct", "--samples", values.samples, 2), { rng: createRng(seed), mix: "deepsdf", normalize: false }).samples;
    const bar = createProgress("reconstruct", iterations, { quiet: values.json });
    const r = await reconstruct(model.decoder, samples, { rng: createRng(seed + 1), iterations, decayAt: Math.round(iterations / 2), engine: values.engine as "auto", onIteration: (e) => e.iteration % 10 === 0 && bar.update(e.iteration + 1, `loss ${e.loss.toExponential(2)}`) });
    bar.stop();
    const res = intOpt("sdfkit reconstruct", "--res", values.res, 9);
    const ex = await extractMeshAsync(model.decoder, r.latent, { res: sparseGridRes(res), engine: values.engine === "tfjs" ? "tfjs" : "auto" });
    const cd = ex.mesh.indices.length ? chamferDistance(ex.mesh, m.mesh, { rng: createRng(0) }).chamfer : Infinity;
    if (ex.mesh.indices.length) await writeMesh(resolve(values.out), denormalizeMesh(ex.mesh, m.normalization));
    const report = { mesh: m.file, out: resolve(values.out), iterations: r.losses.length, finalLoss: r.losses[r.losses.length - 1], chamferX1000: cd * 1e3, triangles: ex.mesh.indices.length / 3, seconds: r.seconds + ex.seconds };
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else console.log(`reconstructed ${m.name} in ${report.seconds.toFixed(1)} s: loss ${report.finalLoss.toExponential(3)}, Chamfer×10³ ${report.chamferX1000.toFixed(4)}, ${report.triangles} triangles → ${report.out}`);
    model.decoder.dispose();
    return Number.isFinite(cd) ? 0 : 1;
  },
};
