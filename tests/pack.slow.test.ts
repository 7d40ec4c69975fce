/**
 * Publishing test (issue 9): builds every published package, packs it with `pnpm pack` (which rewrites
 * `workspace:*` to real versions), installs each tarball into its OWN empty temporary project together
 * with only the tarballs of the sdfkit packages it declares (everything else comes from the npm registry),
 * then, inside that project, imports it from ESM (`import`) and CommonJS (`require`), checks named
 * exports, runs one function, and type-checks a consumer against the shipped `.d.ts` / `.d.cts`.
 * Also runs `changeset version` in a throw-away copy of the repository.
 *
 * Needs the npm registry (to install third-party dependencies). Set SDFKIT_SKIP_PACK=1 to skip.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot, sharedDataDir } from "../test-utils/shared-data.js";

const run = promisify(execFile);
const skip = process.env.SDFKIT_SKIP_PACK === "1";
const shared = sharedDataDir();

/** What each published package must provide: subpath → named exports, and a script body run in ESM and CJS. */
interface PackCheck {
  exports: Record<string, string[]>;
  /** Body of an async function; `load(spec)` is `import()` in ESM and `require()` in CJS; throw to fail. */
  run: string;
  /** A TypeScript consumer line compiled against the shipped types (ESM and CJS). */
  types: string;
  /** Optional peer dependencies a subpath in `exports` needs (installed from the registry beside the tarballs). */
  peers?: string[];
}

const CHECKS: Record<string, PackCheck> = {
  "sdf-core": {
    exports: {
      ".": ["sphere", "box", "union", "sampleGrid", "marchingCubes", "createRng", "parseObj", "SEED_SHAPES", "InvalidArgumentError", "encodePng"],
      "./node": ["readMesh", "writeMesh", "importCad", "writeFileAtomic"],
      "./model": ["DeepSdfDecoder", "DECODER_PRESETS", "selectBackend"],
    },
    run: `
      const { sphere, sampleGrid, marchingCubes, InvalidArgumentError } = await load("@sdfkit/sdf-core");
      const mesh = marchingCubes(sampleGrid(sphere(0.5), { res: 24 }));
      if (!(mesh.indices.length > 300)) throw new Error("marchingCubes gave " + mesh.indices.length + " indices");
      let typed = false; try { sampleGrid(sphere(0.5), { res: 1 }); } catch (e) { typed = InvalidArgumentError.isInstance(e); }
      if (!typed) throw new Error("sampleGrid res 1 did not throw InvalidArgumentError");
      const { importCad } = await load("@sdfkit/sdf-core/node");
      const fs = await load("node:fs");
      const cad = await importCad(new Uint8Array(fs.readFileSync(${JSON.stringify(join(shared, "step", "cube.stp"))})), "step");
      if (cad.mesh.indices.length !== 36) throw new Error("STEP cube: " + cad.mesh.indices.length / 3 + " triangles, expected 12");`,
    types: `import { sphere, sampleGrid, marchingCubes, type Mesh } from "@sdfkit/sdf-core";
import { readMesh } from "@sdfkit/sdf-core/node";
const m: Mesh = marchingCubes(sampleGrid(sphere(0.5), { res: 8 })); const r: Promise<Mesh> = readMesh("x.obj"); void m; void r;`,
    // `./model` needs the optional peer; the other subpaths must load without it (checked first, below)
    peers: ["@tensorflow/tfjs@4.22.0"],
  },
  sampling: {
    exports: { ".": ["MeshSdf", "sampleBands", "sampleBandsParallel", "SAMPLE_MIXES", "encodeNpz", "decodeNpz"], "./node": ["cachedSampleBands"] },
    run: `
      const { box, sampleGrid, marchingCubes, createRng } = await load("@sdfkit/sdf-core");
      const { MeshSdf, sampleBandsParallel } = await load("@sdfkit/sampling");
      const mesh = marchingCubes(sampleGrid(box([0.4, 0.3, 0.2]), { res: 20 }));
      const d = new MeshSdf(mesh).evaluate(new Float32Array([0, 0, 0, 0.9, 0, 0]));
      if (!(d[0] < -0.15 && d[1] > 0.45)) throw new Error("MeshSdf signs/distances wrong: " + Array.from(d));
      // two worker threads: checks that the worker file ships in dist and is found from the bundle
      const s = (await sampleBandsParallel(mesh, 2000, { rng: createRng(1), threads: 2 })).samples;
      if (s.points.length !== 6000 || !s.sdf.every(Number.isFinite)) throw new Error("sampleBandsParallel gave " + s.points.length / 3 + " points");`,
    types: `import { MeshSdf, sampleBands } from "@sdfkit/sampling";
const f: typeof sampleBands = sampleBands; const c: typeof MeshSdf = MeshSdf; void f; void c;`,
  },
  render: {
    exports: { ".": ["renderMesh", "renderSdf", "encodePng", "tileImages", "DEFAULT_PALETTE"], "./node": ["writePng", "renderBatch"] },
    run: `
      const { sphere, sampleGrid, marchingCubes } = await load("@sdfkit/sdf-core");
      const { renderMesh, encodePng } = await load("@sdfkit/render");
      const img = renderMesh(marchingCubes(sampleGrid(sphere(0.5), { res: 16 })), { size: 64 });
      const png = encodePng(img);
      if (img.width !== 64 || png[1] !== 0x50 || png[2] !== 0x4e || png[3] !== 0x47) throw new Error("render/encodePng output wrong");
      const { renderBatch } = await load("@sdfkit/render/node");
      const os = await load("node:os"); const fs = await load("node:fs"); const path = await load("node:path");
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "sdfkit-pack-render-"));
      // one worker thread: checks that the worker file ships in dist and is found from the bundle
      const rep = await renderBatch([${JSON.stringify(join(shared, "stl"))} + "/" + fs.readdirSync(${JSON.stringify(join(shared, "stl"))}).filter((f) => f.endsWith(".stl"))[0]], { outDir: out, workers: 1, size: 64 });
      const pngs = fs.readdirSync(out).filter((f) => f.endsWith(".png"));
      fs.rmSync(out, { recursive: true, force: true });
      if (pngs.length === 0) throw new Error("renderBatch wrote no PNG: " + JSON.stringify(rep).slice(0, 300));`,
    types: `import { renderMesh, type RenderOptions } from "@sdfkit/render";
import { writePng } from "@sdfkit/render/node";
const o: Partial<RenderOptions> = { size: 32 }; const f: typeof renderMesh = renderMesh; void o; void f; void writePng;`,
  },
  segmentation: {
    exports: { ".": ["kmeans", "adjustedRandIndex", "ActivationClassifier", "segmentInstances", "probeActivations"] },
    run: `
      const { createRng } = await load("@sdfkit/sdf-core");
      const { kmeans, adjustedRandIndex } = await load("@sdfkit/segmentation");
      if (Math.abs(adjustedRandIndex([0, 0, 1, 1], [5, 5, 2, 2]) - 1) > 1e-12) throw new Error("ARI of a relabelling is not 1");
      const x = new Float32Array([0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1]);
      const r = kmeans(x, 2, 2, { rng: createRng(3) });
      if (adjustedRandIndex(r.labels, [0, 0, 0, 1, 1, 1]) !== 1) throw new Error("kmeans split two far clusters wrongly: " + Array.from(r.labels));`,
    types: `import { adjustedRandIndex } from "@sdfkit/segmentation";
const a: number = adjustedRandIndex([0, 1], [1, 0]); void a;`,
  },
  trainer: {
    exports: { ".": ["CurriculumTrainer", "DEFAULT_SPECS", "SEED_CURRICULUM", "learningRateAt", "saveCheckpoint", "loadCheckpoint"] },
    run: `
      const { learningRateAt } = await load("@sdfkit/trainer");
      const lr = learningRateAt({ Type: "Step", Initial: 0.001, Interval: 2, Factor: 0.5 }, 5);
      if (Math.abs(lr - 0.00025) > 1e-15) throw new Error("Step schedule at epoch 5 gave " + lr);`,
    types: `import { learningRateAt, DEFAULT_SPECS } from "@sdfkit/trainer";
const lr: number = learningRateAt({ Type: "Constant", Value: 1 }, 0); void lr; void DEFAULT_SPECS;`,
  },
  "vlm-data": {
    exports: {
      ".": ["parseDeepCad", "buildSolid", "encodeCadVec", "decodeCadVec", "toOpenEcadCode", "EXTRUDE_OPERATIONS"],
      "./node": ["extractSubset", "renderDataset", "convertDataset", "validateDataset", "resolveInside"],
    },
    run: `
      const fs = await load("node:fs");
      const { parseDeepCad, buildSolid, encodeCadVec } = await load("@sdfkit/vlm-data");
      const model = parseDeepCad(fs.readFileSync(${JSON.stringify(join(shared, "deepcad", "00000007.json"))}, "utf8"));
      // manifold-3d (ESM-only, WebAssembly) must load from the CJS build too
      const solid = await buildSolid(model);
      if (!solid.watertight || !(Math.abs(solid.bbox.max[2] - 0.0254) < 1e-6)) throw new Error("DeepCAD 00000007 solid wrong: " + JSON.stringify(solid.bbox));
      const v = encodeCadVec(model);
      if (!v.ok || v.vec.rows !== 4) throw new Error("cad_vec of 00000007: " + JSON.stringify(v).slice(0, 200));`,
    types: `import { parseDeepCad, type CadModel } from "@sdfkit/vlm-data";
import { validateDataset } from "@sdfkit/vlm-data/node";
const f: (t: string) => CadModel = (t) => parseDeepCad(t); void f; void validateDataset;`,
  },
  cli: {
    exports: { ".": ["runCli", "COMMANDS"] },
    run: `
      const { runCli } = await load("@sdfkit/cli");
      const logs = []; const orig = console.log; console.log = (...a) => logs.push(a.join(" "));
      let code; try { code = await runCli(["info", "--json", ${JSON.stringify(join(shared, "step", "cube.stp"))}]); } finally { console.log = orig; }
      const out = logs.join("\\n");
      if (code !== 0 || !out.includes("12")) throw new Error("sdfkit info exit " + code + ": " + out.slice(0, 300));`,
    types: `import { runCli } from "@sdfkit/cli";
const p: Promise<number> = runCli(["--help"]); void p;`,
  },
};

const published = readdirSync(join(repoRoot, "packages")).filter((d) => {
  const j = JSON.parse(readFileSync(join(repoRoot, "packages", d, "package.json"), "utf8"));
  return !j.private;
});

let work = "";
const tarballs = new Map<string, string>(); // package name → tarball path
const timings: Record<string, number> = {};

const sh = async (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) => {
  try {
    return await run(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`.slice(0, 6000));
  }
};

/** Names of the sdfkit packages `name` needs (itself plus transitive sdfkit dependencies), from the packed manifests. */
const closure = (name: string, seen = new Set<string>()): Set<string> => {
  if (seen.has(name)) return seen;
  seen.add(name);
  const j = JSON.parse(readFileSync(join(work, "manifests", `${name.replace("/", "+")}.json`), "utf8"));
  for (const d of Object.keys({ ...j.dependencies })) if (d.startsWith("@sdfkit/")) closure(d, seen);
  return seen;
};

describe.skipIf(skip)("published packages (pnpm pack → npm install → import/require)", () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "sdfkit-pack-"));
    let t = Date.now();
    await sh("pnpm", ["-r", "--filter", "./packages/*", "build"], repoRoot);
    timings.build = Date.now() - t;
    t = Date.now();
    mkdirSync(join(work, "tarballs"));
    mkdirSync(join(work, "manifests"));
    await Promise.all(
      published.map(async (d) => {
        const { stdout } = await sh("pnpm", ["pack", "--pack-destination", join(work, "tarballs")], join(repoRoot, "packages", d));
        const file = stdout.trim().split("\n").pop()!.trim();
        const { stdout: manifest } = await sh("tar", ["-xOzf", file, "package/package.json"], work);
        const j = JSON.parse(manifest);
        writeFileSync(join(work, "manifests", `${j.name.replace("/", "+")}.json`), manifest);
        tarballs.set(j.name, file);
      }),
    );
    timings.pack = Date.now() - t;
  }, 300_000);

  // Removing seven installed node_modules trees takes more than vitest's default 10 s hook limit on a
  // slow CI disk (it failed CI once at 10 s); the timings line is printed first so it is never lost.
  afterAll(async () => {
    // one line for the logs; the README/report quotes these
    console.log(`pack test timings (ms): ${JSON.stringify(timings)}`);
    if (work) await rm(work, { recursive: true, force: true, maxRetries: 3 });
  }, 300_000);

  it("packs every published package with no workspace: ranges, no missing files and no test files", async () => {
    expect([...tarballs.keys()].sort()).toEqual(published.map((d) => `@sdfkit/${d}`).sort());
    for (const [name, file] of tarballs) {
      const j = JSON.parse(readFileSync(join(work, "manifests", `${name.replace("/", "+")}.json`), "utf8"));
      const ranges = JSON.stringify({ ...j.dependencies, ...j.peerDependencies, ...j.optionalDependencies });
      expect(ranges, name).not.toContain("workspace:");
      const { stdout } = await sh("tar", ["-tzf", file], work);
      const files = new Set(stdout.split("\n").map((f) => f.replace(/^package\//, "")));
      expect([...files].filter((f) => /(^|\/)tests?\//.test(f) || f.endsWith(".test.ts")), name).toEqual([]);
      // every file named by the exports map, main/module/types and bin is in the tarball
      const targets: string[] = [j.main, j.module, j.types, ...Object.values(j.bin ?? {})].filter(Boolean) as string[];
      const walk = (v: unknown, key = ""): void => {
        if (typeof v === "string") { if (key !== "source") targets.push(v); }
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
      };
      walk(j.exports);
      const missing = targets.map((f) => f.replace(/^\.\//, "")).filter((f) => !files.has(f));
      expect(missing, name).toEqual([]);
      expect(files.has("README.md"), `${name} README.md`).toBe(true);
    }
  });

  it.concurrent.each(published)("@sdfkit/%s installs alone from its tarball and works from ESM, CJS and TypeScript", async (d) => {
    const name = `@sdfkit/${d}`;
    const check = CHECKS[d];
    expect(check, `no pack check written for ${name}: add one to tests/pack.slow.test.ts`).toBeDefined();
    const dir = join(work, `consumer-${d}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${d}`, private: true }));
    const t = Date.now();
    const files = [...closure(name)].map((n) => tarballs.get(n)!);
    const npmEnv = { npm_config_update_notifier: "false" };
    await sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files], dir, npmEnv);
    timings[`install:${d}`] = Date.now() - t;
    if (check.peers) {
      // without the optional peers, every subpath but the ones needing them loads (ESM and CJS)
      const light = Object.keys(check.exports).filter((s) => s !== "./model");
      for (const s of light) {
        await sh(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(name + s.slice(1))})`], dir);
        await sh(process.execPath, ["-e", `require(${JSON.stringify(name + s.slice(1))})`], dir);
      }
      await sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--no-save", ...check.peers], dir, npmEnv);
    }

    // named exports, ESM and CJS, for every subpath
    const subpaths = Object.entries(check.exports);
    const probe = (kind: "esm" | "cjs") =>
      kind === "esm"
        ? `const out = {}; for (const [s, names] of ${JSON.stringify(subpaths)}) { const m = await import(${JSON.stringify(name)} + s.slice(1)); out[s] = names.filter((n) => !(n in m)); } console.log(JSON.stringify(out));`
        : `const out = {}; for (const [s, names] of ${JSON.stringify(subpaths)}) { const m = require(${JSON.stringify(name)} + s.slice(1)); out[s] = names.filter((n) => !(n in m)); } console.log(JSON.stringify(out));`;
    writeFileSync(join(dir, "exports.mjs"), probe("esm"));
    writeFileSync(join(dir, "exports.cjs"), probe("cjs"));
    for (const f of ["exports.mjs", "exports.cjs"]) {
      const { stdout } = await sh(process.execPath, [f], dir);
      const missing = JSON.parse(stdout.trim().split("\n").pop()!);
      expect(missing, `${name} ${f}`).toEqual(Object.fromEntries(subpaths.map(([s]) => [s, []])));
    }

    // one function runs, from ESM and from CJS
    writeFileSync(join(dir, "run.mjs"), `const load = (s) => import(s);\nawait (async () => {${check.run}\n})();\nconsole.log("ran");\n`);
    writeFileSync(join(dir, "run.cjs"), `const load = async (s) => require(s);\n(async () => {${check.run}\n})().then(() => console.log("ran"), (e) => { console.error(e); process.exit(1); });\n`);
    for (const f of ["run.mjs", "run.cjs"]) {
      const { stdout } = await sh(process.execPath, [f], dir);
      expect(stdout, `${name} ${f}`).toMatch(/ran\s*$/);
    }

    // types: a consumer compiled with module node16 as ESM (.mts) and as CJS (.cts)
    writeFileSync(join(dir, "consumer.mts"), check.types);
    writeFileSync(join(dir, "consumer.cts"), check.types);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "node16", moduleResolution: "node16", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["consumer.mts", "consumer.cts"] }),
    );
    if (!existsSync(join(dir, "node_modules", "@types", "node"))) {
      mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
      symlinkSync(join(repoRoot, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"));
    }
    const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    await sh(process.execPath, [tsc, "-p", "tsconfig.json"], dir);
    // and with the legacy `moduleResolution: node` (tslab, older projects): subpaths need `typesVersions`
    writeFileSync(join(dir, "consumer-node10.ts"), check.types);
    writeFileSync(
      join(dir, "tsconfig.node10.json"),
      JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["consumer-node10.ts"] }),
    );
    await sh(process.execPath, [tsc, "-p", "tsconfig.node10.json"], dir);
  }, 240_000);

  it("`changeset version` runs clean on a copy of the repository", async () => {
    const copy = join(work, "repo-copy");
    const { stdout } = await sh("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], repoRoot);
    for (const f of stdout.split("\0").filter(Boolean)) {
      if (!existsSync(join(repoRoot, f))) continue;
      mkdirSync(join(copy, f, ".."), { recursive: true });
      cpSync(join(repoRoot, f), join(copy, f));
    }
    symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"));
    const pending = readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
    const { stdout: out, stderr } = await sh(process.execPath, [join(repoRoot, "node_modules", "@changesets", "cli", "bin.js"), "version"], copy);
    expect(`${out}\n${stderr}`).not.toMatch(/error/i);
    expect(readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md")).toEqual([]);
    for (const d of published) {
      const j = JSON.parse(readFileSync(join(copy, "packages", d, "package.json"), "utf8"));
      const before = JSON.parse(readFileSync(join(repoRoot, "packages", d, "package.json"), "utf8"));
      // every published package has a pending changeset today, so each must be bumped and get a changelog
      if (pending.some((p) => readFileSync(join(repoRoot, ".changeset", p), "utf8").includes(`"@sdfkit/${d}"`))) {
        expect(j.version, d).not.toBe(before.version);
        expect(existsSync(join(copy, "packages", d, "CHANGELOG.md")), `${d} CHANGELOG.md`).toBe(true);
      }
      for (const [dep, range] of Object.entries({ ...j.dependencies } as Record<string, string>)) {
        if (dep.startsWith("@sdfkit/")) expect(range, `${d} -> ${dep}`).toMatch(/^workspace:/);
      }
    }
  }, 120_000);
});
