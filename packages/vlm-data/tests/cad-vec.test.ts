import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@sdfkit/sdf-core";
import { buildSolid, CAD_VEC_COLUMNS, cadVecToText, decodeCadVec, encodeCadVec, parseDeepCad, planeAngles, planeFromAngles } from "@sdfkit/vlm-data";
import { extrude, model, rect, realFiles } from "./helpers.js";

const rows = (v: { rows: number; data: Int16Array }) => Array.from({ length: v.rows }, (_, i) => Array.from(v.data.subarray(i * CAD_VEC_COLUMNS, (i + 1) * CAD_VEC_COLUMNS)));

describe("DeepCAD cad_vec", () => {
  it("encodes a unit square by hand: SOL, 4 lines counter-clockwise from the lower-left corner, Ext, EOS", () => {
    const m = { ...model(extrude([rect(0, 0, 1, 1)], { e1: 0.5 })), boundingBox: { min: [0, 0, 0], max: [1, 1, 0.5] } as never };
    const r = encodeCadVec(m);
    if (!r.ok) throw new Error(r.reason);
    const v = rows(r.vec);
    expect(v.map((x) => x[0])).toEqual([4, 0, 0, 0, 0, 5, 3]);
    // profile normalised to 95 units from the start point, centred at 128
    expect(v.slice(1, 5).map((x) => [x[1], x[2]])).toEqual([[223, 128], [223, 223], [128, 223], [128, 128]]);
    const ext = v[5];
    // scale 0.75 / 1: origin (0,0,0) -> 128; size 1 * 0.75 -> 0.75/2*256 = 96; e1 0.375 -> (1.375/2)*256 = 176; e2 0 -> 128
    expect(ext.slice(9, 17)).toEqual([128, 128, 128, 96, 176, 128, 0, 0]);
    // plane angles for the XY plane: theta 0 -> 128, phi 0 -> 128, gamma 0 -> 128
    expect(ext.slice(6, 9)).toEqual([128, 128, 128]);
    expect(cadVecToText(r.vec).split("\n")[0]).toBe("SOL");
  });

  it("plane angles invert (cadlib's polar parameterisation)", () => {
    const s = Math.SQRT1_2;
    const plane = { origin: [0, 0, 0] as [number, number, number], normal: [s, 0, s] as [number, number, number], xAxis: [s, 0, -s] as [number, number, number], yAxis: [0, 1, 0] as [number, number, number] };
    const [t, p, g] = planeAngles(plane);
    const back = planeFromAngles([0, 0, 0], t, p, g);
    for (let k = 0; k < 3; k++) {
      expect(back.normal[k]).toBeCloseTo(plane.normal[k], 9);
      expect(back.xAxis[k]).toBeCloseTo(plane.xAxis[k], 9);
    }
  });

  it("round-trips the real files: limits reported, re-encoding reproduces the vector, the decoded solid matches", async () => {
    let encodable = 0;
    let entries = 0;
    let same = 0;
    for (const { name, text } of realFiles()) {
      const m = parseDeepCad(text, { file: name });
      const r = encodeCadVec(m);
      if (!r.ok) {
        expect(r.reason, name).toMatch(/limit/);
        continue;
      }
      encodable++;
      expect(r.vec.rows, name).toBeLessThanOrEqual(60);
      const d = decodeCadVec(r.vec);
      expect(d.extrudes.length, name).toBe(rows(r.vec).filter((x) => x[0] === 5).length);
      const again = encodeCadVec(d, { scale: 1 });
      if (!again.ok) throw new Error(`${name}: ${again.reason}`);
      expect(again.vec.rows, name).toBe(r.vec.rows);
      for (let i = 0; i < r.vec.data.length; i++) {
        entries++;
        if (r.vec.data[i] === again.vec.data[i]) same++;
        else expect(Math.abs(r.vec.data[i] - again.vec.data[i]), `${name} entry ${i}`).toBeLessThanOrEqual(2);
      }
      // geometry: the decoded solid (normalised units) against the original solid scaled the same way
      const bb = m.boundingBox!;
      const scale = 0.75 / Math.max(...bb.min.map(Math.abs), ...bb.max.map(Math.abs));
      const [orig, dec] = await Promise.all([buildSolid(m), buildSolid(d)]);
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(dec.bbox.min[k] - orig.bbox.min[k] * scale), `${name} min ${k}`).toBeLessThan(0.03);
        expect(Math.abs(dec.bbox.max[k] - orig.bbox.max[k] * scale), `${name} max ${k}`).toBeLessThan(0.03);
      }
      expect(dec.watertight, name).toBe(true);
    }
    expect(encodable).toBe(17);
    expect(same / entries).toBeGreaterThan(0.99);
  });

  it("bad vectors are typed errors", () => {
    expect(() => decodeCadVec({ rows: 2, data: new Int16Array(3) })).toThrow(InvalidArgumentError);
    const noExt = new Int16Array(2 * CAD_VEC_COLUMNS).fill(-1);
    noExt[0] = 4;
    noExt[CAD_VEC_COLUMNS] = 3;
    expect(() => decodeCadVec({ rows: 2, data: noExt })).toThrow(/at least one Ext row/);
    expect(() => encodeCadVec(model(extrude([rect(0, 0, 1, 1)], { e1: 1 })))).toThrow(/boundingBox/);
  });
});
