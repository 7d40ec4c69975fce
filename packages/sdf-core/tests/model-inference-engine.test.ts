import { describe, expect, it, beforeAll } from "vitest";
import { buildDecoderOnnx, createInferenceEngine, DeepSdfDecoder, loadOnnxRuntime, selectBackend, type NetworkSpecs } from "@sdfkit/sdf-core/model";
import { InvalidArgumentError, UnsupportedError, sampleGrid, sampleGridAsync, marchingCubes, sphere } from "@sdfkit/sdf-core";

// A small network with everything the graph builder handles: PE, skip re-injection, weight norm.
const SMALL: NetworkSpecs = { latentSize: 8, dims: [32, 32, 32, 32], latentIn: [2], dropout: [0, 1], dropoutProb: 0.2, weightNorm: true, peFrequencies: 2 };

const points = (n: number, seed: number) => Float32Array.from({ length: 3 * n }, (_, i) => Math.sin((i + seed) * 12.9898) * 0.9);
const latentOf = (L: number) => Float32Array.from({ length: L }, (_, i) => Math.cos(i * 0.7) * 0.3);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
};

// ── oracle: a protobuf reader and a plain-JS interpreter of the ops the builder emits ──
type Msg = Map<number, (number | Uint8Array)[]>;
const readMsg = (b: Uint8Array): Msg => {
  const m: Msg = new Map();
  let p = 0;
  const varint = () => {
    let v = 0, s = 1;
    for (;;) {
      const c = b[p++];
      v += (c & 0x7f) * s;
      s *= 128;
      if (c < 0x80) return v;
    }
  };
  while (p < b.length) {
    const t = varint(), f = Math.floor(t / 8), w = t % 8;
    let v: number | Uint8Array;
    if (w === 0) v = varint();
    else if (w === 2) {
      const n = varint();
      v = b.subarray(p, p + n);
      p += n;
    } else if (w === 5) {
      v = new DataView(b.buffer, b.byteOffset + p, 4).getFloat32(0, true);
      p += 4;
    } else throw new Error(`wire type ${w}`);
    if (!m.has(f)) m.set(f, []);
    m.get(f)!.push(v);
  }
  return m;
};
const str = (v: number | Uint8Array) => new TextDecoder().decode(v as Uint8Array);
interface T { d: Float64Array; shape: number[] }
const evalOnnx = (model: Uint8Array, feeds: Record<string, T>): Record<string, T> => {
  const graph = readMsg(readMsg(model).get(7)![0] as Uint8Array);
  const env: Record<string, T> = { ...feeds };
  for (const raw of graph.get(5) ?? []) {
    const t = readMsg(raw as Uint8Array);
    const dims = (t.get(1) ?? []) as number[], type = t.get(2)![0] as number, bytes = t.get(9)![0] as Uint8Array;
    const copy = bytes.slice();
    const d = type === 1 ? Float64Array.from(new Float32Array(copy.buffer)) : Float64Array.from(new BigInt64Array(copy.buffer), Number);
    env[str(t.get(8)![0])] = { d, shape: dims };
  }
  const bcast = (a: T, b: T, f: (x: number, y: number) => number): T => {
    // right-aligned broadcasting for the shapes the builder uses (rank ≤ 3)
    const r = Math.max(a.shape.length, b.shape.length);
    const pa = [...Array(r - a.shape.length).fill(1), ...a.shape], pb = [...Array(r - b.shape.length).fill(1), ...b.shape];
    const shape = pa.map((x, i) => Math.max(x, pb[i]));
    const n = shape.reduce((x, y) => x * y, 1), d = new Float64Array(n);
    const idx = (ps: number[], flat: number) => {
      let off = 0, mul = 1;
      for (let i = r - 1; i >= 0; i--) {
        const c = Math.floor(flat / shape.slice(i + 1).reduce((x, y) => x * y, 1)) % shape[i];
        off += (ps[i] === 1 ? 0 : c) * mul;
        mul *= ps[i];
      }
      return off;
    };
    for (let i = 0; i < n; i++) d[i] = f(a.d[idx(pa, i)], b.d[idx(pb, i)]);
    return { d, shape };
  };
  for (const raw of graph.get(1) ?? []) {
    const nd = readMsg(raw as Uint8Array);
    const ins = (nd.get(1) ?? []).map((v) => env[str(v)]), out = str(nd.get(2)![0]), op = str(nd.get(4)![0]);
    const map = (f: (x: number) => number): T => ({ d: ins[0].d.map(f), shape: ins[0].shape });
    if (op === "MatMul") {
      const [a, b] = ins, [n, k] = a.shape, m = b.shape[1], d = new Float64Array(n * m);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) { let s = 0; for (let q = 0; q < k; q++) s += a.d[i * k + q] * b.d[q * m + j]; d[i * m + j] = s; }
      env[out] = { d, shape: [n, m] };
    } else if (op === "Add") env[out] = bcast(ins[0], ins[1], (x, y) => x + y);
    else if (op === "Mul") env[out] = bcast(ins[0], ins[1], (x, y) => x * y);
    else if (op === "Relu") env[out] = map((x) => Math.max(0, x));
    else if (op === "Tanh") env[out] = map(Math.tanh);
    else if (op === "Sin") env[out] = map(Math.sin);
    else if (op === "Cos") env[out] = map(Math.cos);
    else if (op === "Clip") env[out] = map((x) => Math.min(ins[2].d[0], Math.max(ins[1].d[0], x)));
    else if (op === "Reshape") {
      const total = ins[0].d.length, s = Array.from(ins[1].d), known = s.filter((x) => x !== -1).reduce((x, y) => x * y, 1);
      env[out] = { d: ins[0].d, shape: s.map((x) => (x === -1 ? total / known : x)) };
    } else if (op === "Concat") {
      const n = ins[0].shape[0], w = ins.reduce((x, t) => x + t.shape[1], 0), d = new Float64Array(n * w);
      let c0 = 0;
      for (const t of ins) { const tw = t.shape[1]; for (let i = 0; i < n; i++) for (let j = 0; j < tw; j++) d[i * w + c0 + j] = t.d[i * tw + j]; c0 += tw; }
      env[out] = { d, shape: [n, w] };
    } else throw new Error(`op ${op} not in the oracle`);
  }
  return env;
};

describe("buildDecoderOnnx (runs without onnxruntime-node)", () => {
  beforeAll(async () => {
    await selectBackend({ prefer: "wasm", log: false });
  });
  it("is a graph whose plain-JS evaluation matches the tfjs decoder, hidden taps and clamp included", async () => {
    const d = DeepSdfDecoder.fromSpecs(SMALL, { seed: 5 });
    const z = latentOf(8), x = points(200, 1);
    const model = buildDecoderOnnx(d.specs, d.getWeights(), { taps: true, clamp: 0.05 });
    const env = evalOnnx(model, { latent: { d: Float64Array.from(z), shape: [1, 8] }, xyz: { d: Float64Array.from(x), shape: [200, 3] } });
    const ref = d.toSdf(z)(x);
    expect(maxDiff(env.sdf.d, ref.map((v) => Math.max(-0.05, Math.min(0.05, v))))).toBeLessThan(1e-5);
    const acts = await d.activations(z, x, [0, 1, 2, 3]);
    for (let k = 0; k < 4; k++) expect(maxDiff(env[`h${k}`].d, acts[k])).toBeLessThan(1e-5);
    // a wrong weight breaks it (the oracle can fail)
    const w = d.getWeights();
    w[0][3] += 0.5;
    const bad = evalOnnx(buildDecoderOnnx(d.specs, w), { latent: { d: Float64Array.from(z), shape: [1, 8] }, xyz: { d: Float64Array.from(x), shape: [200, 3] } });
    expect(maxDiff(bad.sdf.d, ref)).toBeGreaterThan(1e-4);
    d.dispose();
  });
  it("rejects weights that do not fit the specs", () => {
    const d = DeepSdfDecoder.fromSpecs(SMALL);
    expect(() => buildDecoderOnnx(d.specs, d.getWeights().slice(1))).toThrow(InvalidArgumentError);
    expect(() => buildDecoderOnnx(d.specs, d.getWeights(), { clamp: -1 })).toThrow(/clamp/);
    d.dispose();
  });
});

describe("createInferenceEngine", () => {
  beforeAll(async () => {
    await selectBackend({ prefer: "wasm", log: false });
  });
  it("tfjs engine: predict and activations equal the decoder's; typed errors on bad input", async () => {
    const d = DeepSdfDecoder.fromSpecs(SMALL, { seed: 2 });
    const e = await createInferenceEngine(d, { engine: "tfjs", clamp: 0.1 });
    expect(e.kind).toBe("tfjs");
    const z = latentOf(8), x = points(300, 2);
    expect(maxDiff(await e.predict(z, x), d.toSdf(z)(x).map((v) => Math.max(-0.1, Math.min(0.1, v))))).toBe(0);
    await expect(e.predict(new Float32Array(3), x)).rejects.toThrow(InvalidArgumentError);
    await expect(e.predict(z, new Float32Array(4))).rejects.toThrow(/xyz triples/);
    await expect(e.predict(z, Float32Array.of(0, NaN, 0))).rejects.toThrow(/finite/);
    await expect(e.activations(z, x, [9])).rejects.toThrow(/hidden layer indices/);
    await expect(createInferenceEngine(d, { engine: "torch" as never })).rejects.toThrow(InvalidArgumentError);
    await e.dispose();
    d.dispose();
  });
});

describe("sampleGridAsync", () => {
  it("gives sampleGrid's grid for an async SDF and validates like it", async () => {
    const s = sphere(0.5);
    const a = sampleGrid(s, { res: [9, 7, 5], batchSize: 37 });
    const b = await sampleGridAsync(async (p, out) => s(p, out), { res: [9, 7, 5], batchSize: 11 });
    expect(maxDiff(a.data, b.data)).toBe(0);
    await expect(sampleGridAsync(async () => new Float32Array(1), { res: 4 })).rejects.toThrow(/length >= /);
    await expect(sampleGridAsync(s, { res: 1 })).rejects.toThrow(InvalidArgumentError);
  });
});

const ort = await loadOnnxRuntime();
describe.skipIf(!ort)(`onnx engine${ort ? "" : " (skipped: optional peer onnxruntime-node is not installed)"}`, () => {
  beforeAll(async () => {
    await selectBackend({ prefer: "wasm", log: false });
  });
  for (const preset of ["seed-v1", "seed-v2", "deepsdf"] as const) {
    it(`${preset}: predict and activations match tfjs within 1e-5`, async () => {
      const d = DeepSdfDecoder.fromSpecs(preset, { seed: 7 });
      const z = latentOf(d.specs.latentSize), x = points(preset === "deepsdf" ? 500 : 2000, 3);
      const onnx = await createInferenceEngine(d, { engine: "onnx", batchSize: 1024 });
      expect(onnx.kind).toBe("onnx");
      expect(maxDiff(await onnx.predict(z, x), d.toSdf(z)(x))).toBeLessThan(1e-5);
      const layers = [0, d.specs.dims.length - 1];
      const a = await d.activations(z, x, layers), b = await onnx.activations(z, x, layers);
      layers.forEach((_, j) => expect(maxDiff(a[j], b[j])).toBeLessThan(1e-5));
      await onnx.dispose();
      d.dispose();
    });
  }
  it("meshes a decoder grid through sampleGridAsync like the tfjs path; decoder.activations delegates", async () => {
    const d = DeepSdfDecoder.fromSpecs("seed-v1", { seed: 4 });
    const z = latentOf(64);
    const e = await createInferenceEngine(d, { engine: "onnx", batchSize: 4096 });
    const ref = sampleGrid(d.toSdf(z), { res: 24 });
    const got = await sampleGridAsync(e.toSdf(z), { res: 24 });
    expect(maxDiff(got.data, ref.data)).toBeLessThan(1e-5);
    const iso = ref.data[ref.data.length >> 1];
    const m1 = marchingCubes(ref, { iso }), m2 = marchingCubes(got, { iso });
    expect(m1.indices.length).toBeGreaterThan(0);
    expect(Math.abs(m1.indices.length - m2.indices.length)).toBeLessThanOrEqual(6);
    const x = points(500, 9);
    const viaEngine = await d.activations(z, x, [1], { engine: e });
    const fwd = e.layerForward(z, [1]);
    expect(maxDiff((await fwd(x))[0], viaEngine[0])).toBe(0);
    expect(maxDiff(viaEngine[0], (await d.activations(z, x, [1]))[0])).toBeLessThan(1e-5);
    await e.dispose();
    d.dispose();
  });
  it("auto picks onnx; writes into out; clamps", async () => {
    const d = DeepSdfDecoder.fromSpecs(SMALL, { seed: 1 });
    const e = await createInferenceEngine(d, { clamp: 0.02 });
    expect(e.kind).toBe("onnx");
    const z = latentOf(8), x = points(100, 4), out = new Float32Array(100);
    expect(await e.predict(z, x, out)).toBe(out);
    expect(maxDiff(out, d.toSdf(z)(x).map((v) => Math.max(-0.02, Math.min(0.02, v))))).toBeLessThan(1e-5);
    await e.dispose();
    d.dispose();
  });
});

describe.skipIf(!!ort)("onnx engine when onnxruntime-node is missing", () => {
  it("engine 'onnx' throws UnsupportedError naming the package", async () => {
    const d = DeepSdfDecoder.fromSpecs(SMALL);
    await expect(createInferenceEngine(d, { engine: "onnx" })).rejects.toThrow(UnsupportedError);
    d.dispose();
  });
});
