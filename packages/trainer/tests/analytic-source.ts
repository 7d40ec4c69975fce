import type { Rng, SampleSource, Sdf, SdfSamples } from "@sdfkit/sdf-core";

/** Points in the unit ball (half of them in the shell 0.15–0.8 where the test shapes' surfaces are) with their exact sdf. */
export const drawAnalytic = (sdf: Sdf, count: number, rng: Rng): SdfSamples => {
  const points = new Float32Array(3 * count);
  for (let i = 0; i < count; i++) {
    const r = i % 2 === 0 ? rng.uniform(0.15, 0.8) : rng.uniform(0, 1);
    const x = rng.normal(), y = rng.normal(), z = rng.normal();
    const l = Math.hypot(x, y, z) || 1;
    points[3 * i] = (x / l) * r;
    points[3 * i + 1] = (y / l) * r;
    points[3 * i + 2] = (z / l) * r;
  }
  return { points, sdf: sdf(points) };
};

/** Analytic shapes as the trainer's injected sample source. */
export const analyticSource = (shapes: Record<string, Sdf>): SampleSource => ({
  sample: (shape: string, count: number, _mix: string, rng: Rng) => drawAnalytic(shapes[shape], count, rng),
});
