import { describe, expect, it } from "vitest";
import { createRng, InvalidArgumentError } from "@sdfkit/sdf-core";
import { accuracy, ActivationClassifier, colorByLabels, partColor, serializeColoredObj, serializeColoredPly, splitMeshByLabels } from "@sdfkit/segmentation";
import { blobs, gridMesh } from "./helpers.js";

/** z = (a + b, b) for 2,000 points of two classes: a = ±0.3 (+ noise 0.1) separates them, b (sd 3) is a shared nuisance. Also returns the RNG, to draw on from its state. */
const sharedNuisance = () => {
  const rng = createRng(4), n = 2000;
  const y = new Uint32Array(n), z = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const b = 3 * rng.normal();
    z[2 * i] = (y[i] ? 0.3 : -0.3) + 0.1 * rng.normal() + b;
    z[2 * i + 1] = b;
  }
  return { y, z, n, rng };
};

describe("ActivationClassifier", () => {
  it("nearest centroid and softmax separate blobs; softmax wins on anisotropic classes", () => {
    const { x, labels } = blobs(4, 250, 6, 6, 2);
    for (const kind of ["centroid", "softmax"] as const) {
      const c = ActivationClassifier.fit(x, 6, labels, { kind, rng: createRng(1), epochs: 30 });
      expect(accuracy(labels, c.predict(x))).toBeGreaterThan(0.99);
    }
    // z = (a + b, b): a = ±0.3 separates the classes, b is a large shared nuisance. The centroid rule
    // bisects the means (along x0, swamped by b); a linear head learns x0 − x1 = a
    const { y, z } = sharedNuisance();
    const cen = accuracy(y, ActivationClassifier.fit(z, 2, y, { kind: "centroid", whiten: false }).predict(z));
    const soft = accuracy(y, ActivationClassifier.fit(z, 2, y, { kind: "softmax", rng: createRng(2), epochs: 50 }).predict(z));
    expect(soft).toBeGreaterThan(0.98);
    expect(cen).toBeLessThan(0.8);
  });

  it("prototypes: one is the plain nearest-mean rule (slow oracle); several cover a class split into far-apart modes", () => {
    // slow obvious oracle of the 1-prototype rule: standardise with the training mean / sd, nearest class mean
    const { x, labels } = blobs(5, 120, 3, 1.5, 9), n = labels.length;
    const mu = [0, 1, 2].map((d) => labels.reduce((s, _, i) => s + x[3 * i + d], 0) / n);
    const sd = [0, 1, 2].map((d) => Math.sqrt(labels.reduce((s, _, i) => s + (x[3 * i + d] - mu[d]) ** 2, 0) / n));
    const zOf = (i: number) => [0, 1, 2].map((d) => (x[3 * i + d] - mu[d]) / sd[d]);
    const means = [0, 1, 2, 3, 4].map((c) => {
      const rows = Array.from(labels.keys()).filter((i) => labels[i] === c).map(zOf);
      return [0, 1, 2].map((d) => rows.reduce((s, r) => s + r[d], 0) / rows.length);
    });
    const dist2 = (a: number[], b: number[]) => a.reduce((s, v, d) => s + (v - b[d]) ** 2, 0);
    const want = Array.from(labels.keys(), (i) => means.reduce((best, m, c) => (dist2(zOf(i), m) < dist2(zOf(i), means[best]) ? c : best), 0));
    expect(Array.from(ActivationClassifier.fit(x, 3, labels, { kind: "centroid", prototypes: 1, whiten: false }).predict(x))).toEqual(want);

    // class 0 at (±4, 0), class 1 at (0, ±4): both class means sit at the origin, so one prototype is near chance,
    // two per class find the modes
    const rng = createRng(11), m = 800, y = new Uint32Array(m), z = new Float32Array(2 * m);
    for (let i = 0; i < m; i++) {
      y[i] = i % 2;
      const sign = (i >> 1) % 2 ? 1 : -1;
      z[2 * i] = (y[i] === 0 ? 4 * sign : 0) + 0.5 * rng.normal();
      z[2 * i + 1] = (y[i] === 1 ? 4 * sign : 0) + 0.5 * rng.normal();
    }
    expect(accuracy(y, ActivationClassifier.fit(z, 2, y, { kind: "centroid" }).predict(z))).toBeLessThan(0.75);
    const two = ActivationClassifier.fit(z, 2, y, { kind: "centroid", prototypes: 2, whiten: false, rng: createRng(5) });
    expect(accuracy(y, two.predict(z))).toBeGreaterThan(0.99);
    // the rule is the nearest prototype: check predict against the stored prototypes (standardised space)
    const j = two.toJSON();
    expect(j.prototypeClass).toEqual([0, 0, 1, 1]);
    const near = Array.from({ length: m }, (_, i) => {
      const zi = [0, 1].map((d) => (z[2 * i + d] - j.mean[d]) / j.scale[d]);
      let best = 0;
      for (let p = 1; p < 4; p++) if (dist2(zi, j.weights.slice(2 * p, 2 * p + 2)) < dist2(zi, j.weights.slice(2 * best, 2 * best + 2))) best = p;
      return j.prototypeClass![best];
    });
    expect(Array.from(two.predict(z))).toEqual(near);
    // seeded: the same rng gives the same prototypes; a class smaller than `prototypes` gets one per point
    expect(ActivationClassifier.fit(z, 2, y, { kind: "centroid", prototypes: 2, whiten: false, rng: createRng(5) }).toJSON().weights).toEqual(j.weights);
    expect(ActivationClassifier.fit(new Float32Array([0, 0, 1, 1, 5, 5]), 2, [0, 0, 1], { kind: "centroid", prototypes: 3 }).toJSON().prototypeClass).toEqual([0, 0, 1]);
    expect(() => ActivationClassifier.fit(z, 2, y, { kind: "centroid", prototypes: 0 })).toThrow(InvalidArgumentError);
  });

  it("whiten: the Mahalanobis nearest mean under the shrunk pooled within-class covariance (slow oracle); fixes a shared nuisance", () => {
    // the anisotropic case above: one mean per class still, but distances whitened by the within-class covariance
    const { y, z, rng } = sharedNuisance();
    expect(accuracy(y, ActivationClassifier.fit(z, 2, y, { kind: "centroid", whiten: true, shrinkage: 0 }).predict(z))).toBeGreaterThan(0.98);

    // slow obvious oracle on 4 classes in 5-D with correlated noise: standardise, class means, pooled covariance,
    // shrink, invert (Gauss–Jordan), argmin of (z − μ)ᵀ Σ⁻¹ (z − μ)
    const dim = 5, per = 80, C = 4, alpha = 0.05, m = C * per, x = new Float32Array(m * dim), lab = new Uint32Array(m);
    for (let i = 0; i < m; i++) {
      lab[i] = i % C;
      const shared = rng.normal();
      for (let d = 0; d < dim; d++) x[i * dim + d] = lab[i] * (d === lab[i] ? 1 : 0.2) + 2 * shared * (d % 2 ? 1 : -1) + 0.5 * rng.normal();
    }
    const mu0 = Array.from({ length: dim }, (_, d) => lab.reduce((s, _, i) => s + x[i * dim + d], 0) / m);
    const sd = Array.from({ length: dim }, (_, d) => Math.sqrt(lab.reduce((s, _, i) => s + (x[i * dim + d] - mu0[d]) ** 2, 0) / m));
    const zs = Array.from({ length: m }, (_, i) => Array.from({ length: dim }, (_, d) => (x[i * dim + d] - mu0[d]) / sd[d]));
    const means = Array.from({ length: C }, (_, c) => Array.from({ length: dim }, (_, d) => zs.filter((_, i) => lab[i] === c).reduce((s, r) => s + r[d], 0) / per));
    const cov = Array.from({ length: dim }, (_, a) => Array.from({ length: dim }, (_, b) => zs.reduce((s, r, i) => s + (r[a] - means[lab[i]][a]) * (r[b] - means[lab[i]][b]), 0) / m));
    const tr = cov.reduce((s, r, d) => s + r[d], 0);
    const S = cov.map((r, a) => r.map((v, b) => (1 - alpha) * v + (a === b ? (alpha * tr) / dim : 0)));
    const aug = S.map((r, a) => [...r, ...Array.from({ length: dim }, (_, b) => (a === b ? 1 : 0))]);
    for (let col = 0; col < dim; col++) {
      const piv = aug[col][col];
      for (let q = 0; q < 2 * dim; q++) aug[col][q] /= piv;
      for (let r = 0; r < dim; r++) if (r !== col) for (let q = 2 * dim - 1; q >= 0; q--) aug[r][q] -= aug[r][col] * aug[col][q];
    }
    const inv = aug.map((r) => r.slice(dim));
    const maha = (r: number[], mu: number[]) => inv.reduce((s, row, a) => s + row.reduce((t, v, b) => t + (r[a] - mu[a]) * v * (r[b] - mu[b]), 0), 0);
    const want = zs.map((r) => means.reduce((best, mu, c) => (maha(r, mu) < maha(r, means[best]) ? c : best), 0));
    const w = ActivationClassifier.fit(x, dim, lab, { kind: "centroid", whiten: true, shrinkage: alpha });
    expect(Array.from(w.predict(x))).toEqual(want);
    expect(accuracy(lab, w.predict(x))).toBeGreaterThan(accuracy(lab, ActivationClassifier.fit(x, dim, lab, { kind: "centroid", whiten: false }).predict(x)));
    const back = ActivationClassifier.fromJSON(JSON.parse(JSON.stringify(w.toJSON())));
    expect(Array.from(back.predict(x))).toEqual(want);
    expect(() => ActivationClassifier.fromJSON({ ...w.toJSON(), whitening: [1, 2] })).toThrow(/whitening/);
    expect(() => ActivationClassifier.fit(x, dim, lab, { kind: "centroid", whiten: true, shrinkage: 1.5 })).toThrow(InvalidArgumentError);
    // a dead (constant) unit: the shrinkage keeps the covariance invertible
    const dead = Float32Array.from({ length: m * 2 }, (_, q) => (q % 2 ? 0 : x[(q >> 1) * dim]));
    expect(accuracy(lab, ActivationClassifier.fit(dead, 2, lab, { kind: "centroid", whiten: true }).predict(dead))).toBeGreaterThan(0.25);
    expect(() => ActivationClassifier.fit(dead, 2, lab, { kind: "centroid", whiten: true, shrinkage: 0 })).toThrow(/positive definite/);
  });

  it("round-trips through JSON with identical predictions", () => {
    const { x, labels } = blobs(3, 100, 4, 2, 5);
    for (const kind of ["centroid", "softmax"] as const) {
      const c = ActivationClassifier.fit(x, 4, labels, { kind, rng: createRng(3), epochs: 10 });
      const back = ActivationClassifier.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
      expect(Array.from(back.predict(x))).toEqual(Array.from(c.predict(x)));
    }
    const multi = ActivationClassifier.fit(x, 4, labels, { kind: "centroid", prototypes: 3, rng: createRng(3) });
    expect(Array.from(ActivationClassifier.fromJSON(JSON.parse(JSON.stringify(multi.toJSON()))).predict(x))).toEqual(Array.from(multi.predict(x)));
    // JSON written before prototypes existed (no prototypeClass: one centroid per class) still loads
    const one = ActivationClassifier.fit(x, 4, labels, { kind: "centroid", whiten: false }), { prototypeClass, ...old } = one.toJSON();
    expect(prototypeClass).toEqual([0, 1, 2]);
    expect(Array.from(ActivationClassifier.fromJSON(old).predict(x))).toEqual(Array.from(one.predict(x)));
    expect(() => ActivationClassifier.fromJSON({ ...multi.toJSON(), prototypeClass: [0, 1, 7, 0, 1, 2, 0, 1, 2] })).toThrow(/prototypeClass/);
    expect(() => ActivationClassifier.fromJSON({ ...multi.toJSON(), prototypeClass: [0, 1] })).toThrow(/weights/);
    expect(() => ActivationClassifier.fromJSON({ kind: "softmax", dim: 2, classes: 2, mean: [0], scale: [1, 1], weights: [], bias: [] })).toThrow(InvalidArgumentError);
    expect(() => ActivationClassifier.fit(new Float32Array(4), 2, [0])).toThrow(/labels/);
  });
});

describe("export", () => {
  const mesh = gridMesh(6, 4);
  const labels = Uint32Array.from({ length: 24 }, (_, v) => ((v % 6) < 3 ? 0 : 1));

  it("colours vertices by part and writes OBJ with v x y z r g b", () => {
    const c = colorByLabels(mesh, labels);
    const obj = serializeColoredObj(c);
    const vs = obj.split("\n").filter((l) => l.startsWith("v "));
    expect(vs.length).toBe(24);
    const [, , , , r, g, b] = vs[5].split(" ").map(Number);
    const want = partColor(1);
    expect([r, g, b].map((v, i) => Math.abs(v - want[i]) < 1e-5)).toEqual([true, true, true]);
    expect(obj.split("\n").filter((l) => l.startsWith("f ")).length).toBe(mesh.indices.length / 3);
    expect(() => serializeColoredObj(mesh)).toThrow(InvalidArgumentError);
  });

  it("writes binary PLY whose body decodes back to the positions, colours and faces", () => {
    const c = colorByLabels(mesh, labels);
    const ply = serializeColoredPly(c);
    const text = new TextDecoder().decode(ply.subarray(0, 400));
    const headerEnd = text.indexOf("end_header\n") + "end_header\n".length;
    expect(text).toContain("element vertex 24");
    const dv = new DataView(ply.buffer, ply.byteOffset);
    for (const v of [0, 7, 23]) {
      const o = headerEnd + v * 15;
      expect(dv.getFloat32(o, true)).toBe(mesh.positions[3 * v]);
      expect(dv.getFloat32(o + 4, true)).toBe(mesh.positions[3 * v + 1]);
      expect(ply[o + 12]).toBe(Math.round(partColor(labels[v])[0] * 255));
    }
    const f0 = headerEnd + 24 * 15;
    expect(ply[f0]).toBe(3);
    expect(dv.getUint32(f0 + 1, true)).toBe(mesh.indices[0]);
    expect(ply.length).toBe(headerEnd + 24 * 15 + (mesh.indices.length / 3) * 13);
  });

  it("splits into one mesh per part covering every triangle once", () => {
    const parts = splitMeshByLabels(colorByLabels(mesh, labels), labels);
    expect(parts.map((p) => p.label)).toEqual([0, 1]);
    const tris = parts.reduce((s, p) => s + p.mesh.indices.length / 3, 0);
    expect(tris).toBe(mesh.indices.length / 3);
    for (const { mesh: m } of parts) {
      expect(m.colors!.length).toBe(m.positions.length);
      for (const i of m.indices) expect(i).toBeLessThan(m.positions.length / 3);
    }
    // part 0 holds only columns 0..3 (boundary triangles go to the majority part)
    const xs = parts[0].mesh.positions.filter((_, i) => i % 3 === 0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(3);
  });
});
