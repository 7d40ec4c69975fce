import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRng, serializeObj } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { adjustedRandIndex, colorByLabels, segmentInstances, serializeColoredPly, splitMeshByLabels } from "@sdfkit/segmentation";
import type { Command } from "../command.js";
import { createProgress } from "../progress.js";

const USAGE = `sdfkit segment MESH --features FILE --dim D --out DIR [--types 5] [--seed 0] [--labels FILE] [--json]
  MESH            mesh file (OBJ, or any format readMesh reads)
  --features FILE per-vertex features (e.g. decoder activations): raw little-endian float32, vertices × D
  --dim D         feature dimension
  --out DIR       writes segmented.ply (vertex colours per part), part-<i>.obj per part, report.json
  --types T       semantic types for k-means (default 5; the rule is min(expected parts, 5))
  --labels FILE   optional ground truth, one integer label per vertex: ARI is reported
  --json          print the report as JSON only`;

const writeAtomic = (path: string, data: string | Uint8Array) => {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
};

/** `sdfkit segment`: instance segmentation of a mesh from per-vertex features, with coloured and per-part output. */
export const segmentCommand: Command = {
  name: "segment",
  summary: "instance-segment a mesh from per-vertex features (coloured PLY, one OBJ per part, report)",
  usage: USAGE,
  async run(argv) {
    let a;
    try {
      a = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          features: { type: "string" },
          dim: { type: "string" },
          out: { type: "string" },
          types: { type: "string", default: "5" },
          seed: { type: "string", default: "0" },
          labels: { type: "string" },
          json: { type: "boolean", default: false },
          help: { type: "boolean", short: "h", default: false },
        },
      });
    } catch (e) {
      console.error(`sdfkit segment: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    const v = a.values;
    if (v.help) {
      console.log(USAGE);
      return 0;
    }
    const dim = Number(v.dim), types = Number(v.types), seed = Number(v.seed);
    if (a.positionals.length !== 1 || !v.features || !v.out || !Number.isInteger(dim) || dim < 1 || !Number.isInteger(types) || types < 1 || !Number.isInteger(seed)) {
      console.error(`sdfkit segment: need one MESH, --features, --dim (integer >= 1), --out, and integer --types/--seed\n${USAGE}`);
      return 2;
    }
    try {
      const mesh = await readMesh(a.positionals[0]);
      const nv = mesh.positions.length / 3;
      const buf = readFileSync(v.features);
      if (buf.byteLength !== nv * dim * 4) {
        console.error(`sdfkit segment: --features holds ${buf.byteLength} bytes, expected vertices × dim × 4 = ${nv} × ${dim} × 4 = ${nv * dim * 4}`);
        return 2;
      }
      const features = new Float32Array(nv * dim);
      new Uint8Array(features.buffer).set(buf);
      const progress = createProgress("segment", 3, { quiet: v.json });
      const seg = segmentInstances(mesh, features, dim, { types, rng: createRng(seed) });
      progress.update(1, "segmented");
      mkdirSync(v.out, { recursive: true });
      writeAtomic(join(v.out, "segmented.ply"), serializeColoredPly(colorByLabels(mesh, seg.labels)));
      progress.update(2, "coloured PLY");
      const parts = splitMeshByLabels(mesh, seg.labels);
      for (const p of parts) writeAtomic(join(v.out, `part-${p.label}.obj`), serializeObj(p.mesh));
      progress.update(3, "parts");
      progress.stop();
      const sizes = new Array<number>(seg.parts).fill(0);
      for (const l of seg.labels) sizes[l]++;
      const report: Record<string, unknown> = { mesh: a.positionals[0], vertices: nv, types, parts: seg.parts, merged: seg.merged, partVertices: sizes, out: v.out };
      if (v.labels) {
        const truth = readFileSync(v.labels, "utf8").trim().split(/\s+/).map(Number);
        if (truth.length !== nv || truth.some((t) => !Number.isInteger(t))) {
          console.error(`sdfkit segment: --labels must hold ${nv} integer labels, got ${truth.length} entries`);
          return 2;
        }
        report.ari = adjustedRandIndex(truth, seg.labels);
      }
      writeAtomic(join(v.out, "report.json"), JSON.stringify(report, null, 2));
      if (v.json) console.log(JSON.stringify(report));
      else console.log(`${seg.parts} parts (${seg.merged} small components merged)${report.ari !== undefined ? `, ARI ${(report.ari as number).toFixed(4)}` : ""} → ${v.out}`);
      return 0;
    } catch (e) {
      console.error(`sdfkit segment: ${(e as Error).message}`);
      return 1;
    }
  },
};
