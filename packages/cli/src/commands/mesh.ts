import { parseArgs } from "node:util";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { meshReport } from "@sdfkit/sdf-core";
import { writeMesh } from "@sdfkit/sdf-core/node";
import { selectBackend } from "@sdfkit/sdf-core/model";
import { extractMeshAsync, loadInferenceBundle, sparseGridRes } from "@sdfkit/trainer";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";
import { denormalizeMesh, intOpt } from "../fit-helpers.js";

export const meshCommand: Command = {
  name: "mesh",
  summary: "Extract meshes from a trained experiment (sparse coarse-to-fine or dense grid + marching cubes), in the original units",
  usage: "sdfkit mesh -e DIR [--shape NAME] [--res 257] [--dense] [--out DIR] [--format obj|ply|stl] [--json]",
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        e: { type: "string", short: "e" },
        shape: { type: "string" },
        res: { type: "string", default: "257" },
        dense: { type: "boolean", default: false },
        out: { type: "string" },
        format: { type: "string", default: "obj" },
        json: { type: "boolean", default: false },
      },
    });
    if (!values.e) {
      console.error(`sdfkit mesh: give -e DIR\nusage: ${this.usage}`);
      return 2;
    }
    const dir = resolve(values.e);
    const out = resolve(values.out ?? join(dir, "meshes"));
    mkdirSync(out, { recursive: true });
    await selectBackend({ log: !values.json });
    const model = await loadInferenceBundle(dir);
    const shapes = values.shape ? [values.shape] : model.shapes;
    const res = intOpt("sdfkit mesh", "--res", values.res, 9);
    const bar = createProgress("mesh", shapes.length, { quiet: values.json });
    const rows = [];
    for (const s of shapes) {
      const r = await extractMeshAsync(model.decoder, model.latent(s), { res: values.dense ? res : sparseGridRes(res), sparse: !values.dense });
      const mesh = denormalizeMesh(r.mesh, model.normalization[s]);
      const file = join(out, `${s}.${values.format}`);
      if (mesh.indices.length) await writeMesh(file, mesh);
      const rep = meshReport(mesh);
      rows.push({ shape: s, file: mesh.indices.length ? file : null, triangles: rep.triangles, watertight: rep.watertight, evaluations: r.evaluations, seconds: r.seconds });
      bar.update(rows.length);
    }
    bar.stop();
    if (values.json) console.log(JSON.stringify(rows, null, 2));
    else for (const r of rows) console.log(`${r.shape}: ${r.triangles} triangles${r.watertight ? ", watertight" : ""}, ${r.evaluations} decoder evaluations, ${r.seconds.toFixed(1)} s → ${r.file ?? "(empty: no surface)"}`);
    model.decoder.dispose();
    return rows.some((r) => !r.file) ? 1 : 0;
  },
};
