import { describe, expect, it } from "vitest";
import { ParseError } from "@sdfkit/sdf-core";
import { DeepSdfDecoder, packInferenceBundle, unpackInferenceBundle } from "@sdfkit/sdf-core/model";

describe("inference bundle", () => {
  it("packs and unpacks decoder + latents + normalisation; sdf() works in the original units", () => {
    const decoder = DeepSdfDecoder.fromSpecs({ latentSize: 4, dims: [16, 16], latentIn: [], dropout: [], dropoutProb: 0, weightNorm: false, peFrequencies: 0 }, { seed: 2 });
    const latents = Float32Array.from({ length: 8 }, (_, i) => i / 10 - 0.3);
    const normalization = { a: { offset: [1, 2, 3] as [number, number, number], scale: 4 } };
    const { json, data } = packInferenceBundle({ decoder, latents, shapes: ["a", "b"], normalization, meta: { note: "x" } });
    const back = unpackInferenceBundle(JSON.parse(JSON.stringify(json)), data.buffer.slice(0));
    expect(back.shapes).toEqual(["a", "b"]);
    expect(back.latent("b")).toEqual(latents.slice(4));
    expect(back.meta).toEqual({ note: "x" });
    const p = new Float32Array([1.1, 2.2, 2.9, 0, 0, 0]);
    const q = new Float32Array([(1.1 - 1) * 4, (2.2 - 2) * 4, (2.9 - 3) * 4, -4, -8, -12]);
    const orig = back.sdf("a")(p), norm = decoder.toSdf(latents.slice(0, 4))(q);
    for (let i = 0; i < 2; i++) expect(orig[i]).toBeCloseTo(norm[i] / 4, 6);
    expect(back.sdf("b", { units: "normalized" })(p)).toEqual(decoder.toSdf(latents.slice(4))(p));
    expect(() => unpackInferenceBundle({ format: "nope" }, data)).toThrow(ParseError);
    expect(() => unpackInferenceBundle(json, data.slice(1))).toThrow(/float32 values/);
    expect(() => back.latent("c")).toThrow(/one of a, b/);
    decoder.dispose();
    back.decoder.dispose();
  });
});
