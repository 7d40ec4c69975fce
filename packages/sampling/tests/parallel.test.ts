import { describe, expect, it } from "vitest";
import { createRng, normalizeMesh, InvalidArgumentError } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
import { MeshSdf, sampleBands } from "@sdfkit/sampling";
import { evaluateSdfParallel, sampleBandsParallel } from "@sdfkit/sampling/node";
import { sharedData } from "../../../test-utils/shared-data.js";

describe("worker-thread evaluation", () => {
  it("gives exactly the single-threaded signed distances and samples", async () => {
    const { mesh } = normalizeMesh(await readMesh(sharedData("obj", "suzanne.obj")));
    const rng = createRng(11);
    const pts = Float32Array.from({ length: 3 * 20000 }, () => rng.uniform(-1, 1));
    const seq = new MeshSdf(mesh).evaluate(pts);
    let progress = 0;
    const par = await evaluateSdfParallel(mesh, pts, { workers: 2, chunk: 3000, onProgress: (e) => (progress = e.done) });
    expect(Array.from(par)).toEqual(Array.from(seq));
    expect(progress).toBe(20000);
    const a = sampleBands(mesh, { count: 5000, rng: createRng(3) });
    const b = await sampleBandsParallel(mesh, { count: 5000, rng: createRng(3), workers: 2 });
    expect(Array.from(b.points)).toEqual(Array.from(a.points));
    expect(Array.from(b.sdf)).toEqual(Array.from(a.sdf));
    await expect(evaluateSdfParallel(mesh, pts, { workers: 0 })).rejects.toThrow(InvalidArgumentError);
  }, 60_000);
});
