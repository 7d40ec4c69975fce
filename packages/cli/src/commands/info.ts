import { parseArgs } from "node:util";
import { basename } from "node:path";
import { meshReport, type MeshReport } from "@sdfkit/sdf-core";
import { readFile } from "node:fs/promises";
import { readMeshFile, writeMesh } from "@sdfkit/sdf-core/node";
import { buildSolid, parseDeepCad } from "@sdfkit/vlm-data";
import type { Mesh } from "@sdfkit/sdf-core";
import type { Command } from "../command.js";

/** The facts `sdfkit info` prints for one file (also its --json shape). */
export interface InfoResult {
  file: string;
  format: string;
  triangles: number;
  vertices: number;
  components: number;
  watertight: boolean;
  boundaryEdges: number;
  nonManifoldEdges: number;
  degenerateTriangles: number;
  bbox: { min: number[]; max: number[] };
  area: number;
  volume: number;
  /** STEP/IGES/BREP: number of B-rep faces. */
  brepFaces?: number;
  /** IFC: number of placed geometries (building elements). */
  elements?: number;
  /** DeepCAD JSON: number of extrude features. */
  extrudes?: number;
}

/** Read a mesh file, or reconstruct a DeepCAD JSON model's solid. */
export const readAnyMesh = async (path: string): Promise<{ mesh: Mesh; format: string; extrudes?: number }> => {
  if (path.toLowerCase().endsWith(".json")) {
    const model = parseDeepCad(await readFile(path, "utf8"), { file: path });
    return { mesh: (await buildSolid(model)).mesh, format: "deepcad", extrudes: model.extrudes.length };
  }
  return readMeshFile(path);
};

/** Read a mesh file (or a DeepCAD JSON model, reconstructed) and summarise it. */
export const meshInfo = async (path: string, exportTo?: string): Promise<InfoResult> => {
  const { mesh, format, extrudes } = await readAnyMesh(path);
  if (exportTo) await writeMesh(exportTo, mesh);
  const r: MeshReport = meshReport(mesh);
  const out: InfoResult = {
    file: path,
    format,
    triangles: r.triangles,
    vertices: r.vertices,
    components: r.components,
    watertight: r.watertight,
    boundaryEdges: r.boundaryEdges,
    nonManifoldEdges: r.nonManifoldEdges,
    degenerateTriangles: r.degenerateTriangles,
    bbox: { min: r.bbox.min, max: r.bbox.max },
    area: r.area,
    volume: r.volume,
  };
  if (extrudes !== undefined) out.extrudes = extrudes;
  if (mesh.faceIds && format === "ifc") out.elements = new Set(mesh.faceIds).size;
  else if (mesh.faceIds) out.brepFaces = new Set(mesh.faceIds).size;
  return out;
};

const fmt = (x: number) => (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : Number(x.toPrecision(6)).toString());

export const formatInfo = (i: InfoResult): string => {
  const rows: [string, string][] = [
    ["file", i.file],
    ["format", i.format],
    ["triangles", String(i.triangles)],
    ["vertices", String(i.vertices)],
    ["components", String(i.components)],
    ["watertight", i.watertight ? "yes" : `no (${i.boundaryEdges} boundary, ${i.nonManifoldEdges} non-manifold edges)`],
    ["degenerate", String(i.degenerateTriangles)],
    ["bbox min", i.bbox.min.map(fmt).join(", ")],
    ["bbox max", i.bbox.max.map(fmt).join(", ")],
    ["area", fmt(i.area)],
    ["volume", i.watertight ? fmt(i.volume) : `${fmt(i.volume)} (not closed: not meaningful)`],
  ];
  if (i.brepFaces !== undefined) rows.push(["B-rep faces", String(i.brepFaces)]);
  if (i.elements !== undefined) rows.push(["elements", String(i.elements)]);
  if (i.extrudes !== undefined) rows.push(["extrudes", String(i.extrudes)]);
  return rows.map(([k, v]) => `${k.padEnd(11)} ${v}`).join("\n");
};

export const infoCommand: Command = {
  name: "info",
  summary: "Summarise mesh files (OBJ STL PLY STEP IGES BREP IFC, DeepCAD JSON): triangles, components, watertight, bbox, area, volume",
  usage: "sdfkit info FILE... [--json] [--export OUT.stl|.obj|.ply]",
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: "boolean", default: false }, export: { type: "string" } }, allowPositionals: true });
    if (positionals.length === 0) {
      console.error(`sdfkit info: give at least one FILE\nusage: ${this.usage}`);
      return 2;
    }
    if (values.export && positionals.length !== 1) {
      console.error("sdfkit info: --export takes exactly one FILE");
      return 2;
    }
    const results: InfoResult[] = [];
    for (const p of positionals) results.push(await meshInfo(p, values.export));
    if (values.json) console.log(JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
    else console.log(results.map((r) => (results.length > 1 ? `== ${basename(r.file)}\n` : "") + formatInfo(r)).join("\n\n"));
    return 0;
  },
};
