import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { chamferDistance, createRng } from "@sdfkit/sdf-core";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { extractMeshAsync, loadInferenceBundle, sparseGridRes } from "@sdfkit/trainer";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";
import { intOpt, readNormalizedMeshes } from "../fit-helpers.js";

export const evalCommand: Command = {
  name: "eval",
  summary: "Chamfer table (DeepSDF definition, ×10³, unit-sphere normalised) of a trained experiment against its meshes",
  usage: "sdfkit eval -e DIR MESH... [--res 129] [--samples 30000] [--json]",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { e: { type: "string", short: "e" }, res: { type: "string", default: "129" }, samples: { type: "string", default: "30000" }, json: { type: "boolean", default: false } },
    });
    if (!values.e || positionals.length === 0) {
      console.error(`sdfkit eval: give -e DIR and the reference MESH files\nusage: ${this.usage}`);
      return 2;
    }
    await selectBackend({ log: !values.json });
    const model = await loadInferenceBundle(resolve(values.e));
    const meshes = await readNormalizedMeshes(positionals);
    const res = intOpt("sdfkit eval", "--res", values.res, 9);
    const samples = intOpt("sdfkit eval", "--samples", values.samples);
    const bar = createProgress("eval", meshes.length, { quiet: values.json });
    const rows = [];
    for (const m of meshes) {
      if (!model.shapes.includes(m.name)) {
        rows.push({ shape: m.name, error: `not in the experiment (shapes: ${model.shapes.join(", ")})` });
        continue;
      }
      const r = await extractMeshAsync(model.decoder, model.latent(m.name), { res: sparseGridRes(res) });
      const cd = r.mesh.indices.length ? chamferDistance(r.mesh, m.mesh, { samples, rng: createRng(0) }).chamfer : Infinity;
      rows.push({ shape: m.name, chamferX1000: cd * 1e3, triangles: r.mesh.indices.length / 3, seconds: r.seconds });
      bar.update(rows.length);
    }
    bar.stop();
    if (values.json) console.log(JSON.stringify(rows, null, 2));
    else {
      console.log("| shape | Chamfer ×10³ | triangles |\n|---|---|---|");
      for (const r of rows) console.log("error" in r ? `| ${r.shape} | ${r.error} | |` : `| ${r.shape} | ${r.chamferX1000.toFixed(4)} | ${r.triangles} |`);
    }
    model.decoder.dispose();
    return rows.some((r) => "error" in r) ? 1 : 0;
  },
};
