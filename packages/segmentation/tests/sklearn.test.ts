import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRng } from "@sdfkit/sdf-core";
import { adjustedRandIndex, kmeans } from "@sdfkit/segmentation";
import { blobs } from "./helpers.js";

const PY = "/usr/bin/python3";
const hasSklearn = existsSync(PY) && spawnSync(PY, ["-c", "import sklearn"], { encoding: "utf8" }).status === 0;

const runPy = (script: string, input: unknown): any => {
  const r = spawnSync(PY, ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, OMP_NUM_THREADS: "1" } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

describe.skipIf(!hasSklearn)("against scikit-learn", () => {
  it("adjustedRandIndex equals sklearn.metrics.adjusted_rand_score", () => {
    const rng = createRng(21);
    const pairs = Array.from({ length: 20 }, (_, t) => {
      const n = 5 + rng.int(400), ka = 1 + rng.int(6), kb = 1 + rng.int(6);
      const a = Array.from({ length: n }, () => rng.int(ka));
      // correlated half the time
      const b = a.map((v) => (t % 2 === 0 && rng.next() < 0.7 ? v : rng.int(kb)));
      return [a, b];
    });
    const ref: number[] = runPy(
      "import json,sys\nfrom sklearn.metrics import adjusted_rand_score as s\nprint(json.dumps([s(a,b) for a,b in json.load(sys.stdin)]))",
      pairs,
    );
    pairs.forEach(([a, b], i) => expect(adjustedRandIndex(a, b)).toBeCloseTo(ref[i], 12));
  });

  it("kmeans: same initial centroids → same labels and inertia as sklearn KMeans(init=array, n_init=1)", () => {
    const dim = 16;
    const { x } = blobs(5, 300, dim, 1.5, 4);
    const init = new Float32Array(5 * dim);
    for (let j = 0; j < 5; j++) init.set(x.subarray(j * 97 * dim, j * 97 * dim + dim), j * dim);
    const ours = kmeans(x, dim, 5, { initialCentroids: init, restarts: 1, maxIter: 300, tol: 1e-4 });
    const ref = runPy(
      "import json,sys,numpy as np\nfrom sklearn.cluster import KMeans\nd=json.load(sys.stdin)\nX=np.array(d['x'],dtype=np.float64).reshape(-1,d['dim'])\nC=np.array(d['init'],dtype=np.float64).reshape(-1,d['dim'])\n" +
        "m=KMeans(n_clusters=len(C),init=C,n_init=1,max_iter=300,tol=1e-4,algorithm='lloyd').fit(X)\nprint(json.dumps({'labels':m.labels_.tolist(),'inertia':float(m.inertia_)}))",
      { x: Array.from(x), init: Array.from(init), dim },
    );
    expect(adjustedRandIndex(ours.labels, ref.labels)).toBeGreaterThan(0.999);
    expect(Math.abs(ours.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-3);
  });

  it("kmeans++ with restarts reaches sklearn's best inertia (n_init=10) within 0.5 %", () => {
    const dim = 32;
    const { x } = blobs(6, 200, dim, 1.2, 12);
    const ours = kmeans(x, dim, 6, { rng: createRng(3), restarts: 10 });
    const ref = runPy(
      "import json,sys,numpy as np\nfrom sklearn.cluster import KMeans\nd=json.load(sys.stdin)\nX=np.array(d['x']).reshape(-1,d['dim'])\nprint(json.dumps(float(KMeans(6,n_init=10,random_state=0).fit(X).inertia_)))",
      { x: Array.from(x), dim },
    );
    expect(ours.inertia).toBeLessThan(ref * 1.005);
  });
});
