import { InvalidArgumentError, type RgbaImage, type Sdf } from "@sdfkit/sdf-core";
import { partColor } from "../export-parts.js";

/** Options of {@link partSliceImage}. */
export interface PartSliceOptions {
  /** Normal axis of the slice plane. @defaultValue "z" */
  axis: "x" | "y" | "z";
  /** Plane offset along `axis`. @defaultValue 0 */
  at: number;
  /** In-plane window [u, v] (z: u = x, v = y; x: u = z, v = y; y: u = x, v = z). @defaultValue [−1, 1]² */
  window: { min: [number, number]; max: [number, number] };
  /** Image width in pixels (height follows the window's aspect). @defaultValue 256 */
  width: number;
  /** True union SDF: its zero contour is drawn in red under the predicted one (black). */
  truth?: Sdf;
}

/** Default {@link PartSliceOptions}. */
export const DEFAULT_PART_SLICE: PartSliceOptions = { axis: "z", at: 0, window: { min: [-1, -1], max: [1, 1] }, width: 256 };

/**
 * A 2-D slice through a multi-head SDF, coloured by the owning head (argmin; `partColor(k)`, solid
 * inside the union, pale outside), with the union's zero contour (min over heads) in black and, when
 * `truth` is given, the true zero contour in red — shows the sharp junction min() makes where two
 * heads cross. Pure typed-array code; write it with `encodePng`.
 * @param pred - points (xyz, stride 3) → N × parts row-major (e.g. `PartSdfDecoder.evaluateParts`).
 * @param parts - number of heads.
 * @throws InvalidArgumentError on a bad `parts`, `width` or window, or a `pred` returning the wrong count.
 */
export const partSliceImage = (pred: (points: Float32Array) => Float32Array, parts: number, opts: Partial<PartSliceOptions> = {}): RgbaImage => {
  const o = { ...DEFAULT_PART_SLICE, ...opts }, fn = "partSliceImage";
  if (!Number.isInteger(parts) || parts < 1) throw new InvalidArgumentError(fn, "parts", "an integer >= 1", parts);
  if (!Number.isInteger(o.width) || o.width < 2 || o.width > 4096) throw new InvalidArgumentError(fn, "width", "an integer in [2, 4096]", o.width);
  const [u0, v0] = o.window.min, [u1, v1] = o.window.max;
  if (!(u1 > u0 && v1 > v0)) throw new InvalidArgumentError(fn, "window", "max > min on both axes", o.window);
  const W = o.width, H = Math.max(2, Math.round((W * (v1 - v0)) / (u1 - u0))), n = W * H;
  const [ua, va, na] = o.axis === "z" ? [0, 1, 2] : o.axis === "x" ? [2, 1, 0] : [0, 2, 1];
  const pts = new Float32Array(3 * n);
  for (let y = 0, i = 0; y < H; y++)
    for (let x = 0; x < W; x++, i++) {
      pts[3 * i + ua] = u0 + ((u1 - u0) * (x + 0.5)) / W;
      pts[3 * i + va] = v1 - ((v1 - v0) * (y + 0.5)) / H; // top row = max v
      pts[3 * i + na] = o.at;
    }
  const all = pred(pts);
  if (!(all instanceof Float32Array) || all.length !== n * parts) throw new InvalidArgumentError(fn, "pred", `to return ${n} × ${parts} values`, all?.length);
  const uni = new Float32Array(n), own = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let m = all[i * parts], b = 0;
    for (let k = 1; k < parts; k++) if (all[i * parts + k] < m) [m, b] = [all[i * parts + k], k];
    uni[i] = m;
    own[i] = b;
  }
  const img: RgbaImage = { width: W, height: H, data: new Uint8ClampedArray(4 * n) };
  for (let i = 0; i < n; i++) {
    const c = partColor(own[i]), t = uni[i] < 0 ? 1 : 0.3;
    for (let j = 0; j < 3; j++) img.data[4 * i + j] = 255 * (t * c[j] + (1 - t));
    img.data[4 * i + 3] = 255;
  }
  const contour = (f: Float32Array, rgb: [number, number, number]) => {
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = y * W + x, s = f[i] < 0;
        if ((x + 1 < W && f[i + 1] < 0 !== s) || (y + 1 < H && f[i + W] < 0 !== s)) img.data.set(rgb, 4 * i);
      }
  };
  if (o.truth) contour(o.truth(pts), [220, 0, 0]);
  contour(uni, [0, 0, 0]);
  return img;
};
