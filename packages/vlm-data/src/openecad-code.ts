import { EXTENT_TYPES, EXTRUDE_OPERATIONS, type CadModel, type Vec2, type Vec3 } from "./api.js";
import { canonicalLoops } from "./cad-vec.js";
import { arcMidPoint } from "./sketch-geometry.js";

/** Options of {@link toOpenEcadCode}. */
export interface OpenEcadCodeOptions {
  /** Unit scale applied to lengths (DeepCAD JSON is in metres; OpenECAD writes millimetres). @defaultValue 1000 */
  unitScale: number;
  /** Decimals of every printed number. @defaultValue 4 */
  decimals: number;
}
export const DEFAULT_OPENECAD_CODE: OpenEcadCodeOptions = { unitScale: 1000, decimals: 4 };

const fmt = (x: number, d: number): string => {
  const r = Number(x.toFixed(d));
  const s = String(Object.is(r, -0) ? 0 : r);
  return s.includes(".") || s.includes("e") ? s : `${s}.0`;
};
const v = (p: Vec2 | Vec3, d: number, s = 1) => `[${p.map((x) => fmt(x * s, d)).join(", ")}]`;

/**
 * The model as OpenECAD-style Python (the target text of OpenECAD's TinyLLaVA data): per sketch–extrude
 * pair `add_sketchplane(origin, normal, x_axis)`, `add_line`/`add_arc(start, end, mid)`/`add_circle`,
 * `add_loop`, `add_profile`, `add_sketch`, `add_extrude(sketch, operation, type, extent_one, extent_two)`
 * with lengths in millimetres and 4 decimals; operation and type are indices (NewBody 0, Join 1, Cut 2,
 * Intersect 3; OneSide 0, Symmetric 1, TwoSides 2). Multi-profile extrudes are split as cadlib does
 * (the first NewBody, the rest Join); loops are in cadlib's canonical order.
 */
export const toOpenEcadCode = (model: CadModel, opts: Partial<OpenEcadCodeOptions> = {}): string => {
  const { unitScale: s, decimals: d } = { ...DEFAULT_OPENECAD_CODE, ...opts };
  const out: string[] = [];
  let i = 0;
  for (const e of model.extrudes) {
    e.profiles.forEach(({ plane, profile }, k) => {
      out.push(`SketchPlane${i} = add_sketchplane(\n\torigin= ${v(plane.origin, d, s)}, normal= ${v(plane.normal, d)}, x_axis= ${v(plane.xAxis, d)})`);
      out.push(`Loops${i} = []`);
      canonicalLoops(profile.loops).forEach((loop, j) => {
        out.push(`Curves${i}_${j} = []`);
        loop.curves.forEach((c, m) => {
          if (c.type === "line") out.push(`Line${i}_${j}_${m} = add_line(start= ${v(c.start, d, s)}, end= ${v(c.end, d, s)})`);
          else if (c.type === "arc") out.push(`Arc${i}_${j}_${m} = add_arc(start= ${v(c.start, d, s)}, end= ${v(c.end, d, s)}, mid= ${v(arcMidPoint(c), d, s)})`);
          else out.push(`Circle${i}_${j}_${m} = add_circle(center= ${v(c.center, d, s)}, radius= ${fmt(c.radius * s, d)})`);
        });
        out.push(`Loop${i}_${j} = add_loop(Curves${i}_${j})`);
      });
      out.push(`Profile${i} = add_profile(Loops${i})`);
      out.push(`Sketch${i} = add_sketch(sketch_plane= SketchPlane${i}, profile= Profile${i})`);
      const op = e.operation === "NewBody" && k > 0 ? 1 : EXTRUDE_OPERATIONS.indexOf(e.operation);
      out.push(`Extrude${i} = add_extrude(sketch= Sketch${i},\n\toperation= ${op}, type= ${EXTENT_TYPES.indexOf(e.extentType)}, extent_one= ${fmt(e.extentOne * s, d)}, extent_two= ${fmt(e.extentTwo * s, d)})`);
      i++;
    });
  }
  return `${out.join("\n")}\n`;
};

/**
 * A deterministic token count for the length limit: words, numbers and single punctuation marks
 * (`/\w+|[^\s\w]/`), close to what BPE tokenizers give for this code (each digit group, bracket and
 * comma is a token). Pass your tokenizer's counter to the converter for an exact count.
 */
export const countCodeTokens = (text: string): number => {
  let n = 0;
  const re = /\w+|[^\s\w]/g;
  while (re.exec(text)) n++;
  return n;
};
