import { describe, expect, it } from "vitest";
import { InvalidArgumentError, box, chamferDistance, createRng, marchingCubes, sampleGrid, sphere, type Sdf } from "@sdfkit/sdf-core";
import { sampleGridSparse, sampleGridSparseAsync } from "@sdfkit/trainer";

const union = (a: Sdf, b: Sdf): Sdf => (p, out) => {
  const x = a(p), y = b(p), r = out ?? new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) r[i] = Math.min(x[i]!, y[i]!);
  return r;
};

describe("sampleGridSparse", () => {
  it("gives the dense mesh with a fraction of the evaluations", () => {
    const sdf = union(sphere(0.45, [-0.2, 0, 0]), box([0.3, 0.2, 0.4], [0.35, 0.1, 0]));
    const res = 129;
    const dense = sampleGrid(sdf, { res });
    const { grid, evaluations } = sampleGridSparse(sdf, { res, step: 4 });
    expect(evaluations / res ** 3).toBeLessThan(0.2);
    let signDiff = 0;
    for (let i = 0; i < dense.data.length; i++) if (dense.data[i]! < 0 !== grid.data[i]! < 0) signDiff++;
    expect(signDiff).toBe(0);
    const a = marchingCubes(dense), b = marchingCubes(grid);
    expect(b.indices.length).toBe(a.indices.length);
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    // sampled Chamfer has a sampling floor; sparse-vs-dense must equal dense-vs-dense with the same seed
    const floor = chamferDistance(a, a, { samples: 5000, rng: createRng(1) }).chamfer;
    expect(chamferDistance(a, b, { samples: 5000, rng: createRng(1) }).chamfer).toBe(floor);
    expect(Array.from(b.positions)).toEqual(Array.from(a.positions));
  });
  it("rejects res not aligned with step", async () => {
    expect(() => sampleGridSparse(sphere(0.5), { res: 100, step: 8 })).toThrow(InvalidArgumentError);
    await expect(sampleGridSparseAsync(sphere(0.5), { res: 100, step: 8 })).rejects.toThrow(InvalidArgumentError);
    await expect(sampleGridSparseAsync(async () => new Float32Array(1), { res: 33 })).rejects.toThrow(/at least/);
  });
  it("the async variant asks for the same points and gives the same grid", async () => {
    const sdf = union(sphere(0.45, [-0.2, 0, 0]), box([0.3, 0.2, 0.4], [0.35, 0.1, 0]));
    const a = sampleGridSparse(sdf, { res: 65, batchSize: 1000 });
    let calls = 0;
    const b = await sampleGridSparseAsync(async (p, out) => (calls++, sdf(p, out)), { res: 65, batchSize: 1000 });
    expect(b.evaluations).toBe(a.evaluations);
    expect(calls).toBeGreaterThan(3);
    expect(Array.from(b.grid.data)).toEqual(Array.from(a.grid.data));
  });
});
