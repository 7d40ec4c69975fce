import * as tf from "@tensorflow/tfjs";
import { InvalidArgumentError, UnsupportedError } from "../errors.js";

/**
 * @internal Is a tfjs-node package installed WITH its native binding? (Package managers that skip
 * install scripts leave the package without libtensorflow; importing it then fails half-way after
 * registering its kernels, and a second attempt prints hundreds of "already registered" lines.)
 */
const __nativeTfjs = async (pkg: string): Promise<boolean> => {
  try {
    // node-only modules loaded lazily so the /model subpath still bundles for browsers
    const { existsSync, readdirSync } = await import("node:fs");
    const { createRequire } = await import("node:module");
    const { dirname, join } = await import("node:path");
    const req = createRequire(join(process.cwd(), "noop.js"));
    let dir: string;
    try {
      dir = dirname(req.resolve(`${pkg}/package.json`));
    } catch {
      dir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
    }
    const lib = join(dir, "lib");
    return existsSync(lib) && readdirSync(lib).some((d) => d.startsWith("napi-v") && existsSync(join(lib, d, "tfjs_binding.node")));
  } catch {
    return false;
  }
};

/** Backends `selectBackend` knows, in its order of preference. */
export type BackendName = "tensorflow" | "wasm" | "cpu";
const ORDER: BackendName[] = ["tensorflow", "wasm", "cpu"];

let _logged = false;

/**
 * Choose the TensorFlow.js backend once for an application (libraries never call this): `tensorflow`
 * when @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node is installed, then `wasm`
 * (@tensorflow/tfjs-backend-wasm), then `cpu`. `prefer` or the environment variable
 * SDFKIT_TF_BACKEND forces one; the choice is logged once (to stderr) unless `log` is false.
 */
export const selectBackend = async (opts: { prefer?: BackendName; log?: boolean } = {}): Promise<BackendName> => {
  const forced = (opts.prefer ?? process.env.SDFKIT_TF_BACKEND) as BackendName | undefined;
  if (forced !== undefined && !ORDER.includes(forced)) throw new InvalidArgumentError("selectBackend", "prefer", ORDER.join(", "), forced);
  const tryOne = async (name: BackendName): Promise<boolean> => {
    try {
      if (name === "tensorflow") {
        let pkg: string | undefined;
        for (const p of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) if (!pkg && (await __nativeTfjs(p))) pkg = p;
        if (!pkg) return false;
        await import(/* @vite-ignore */ pkg as string);
      } else if (name === "wasm") await import("@tensorflow/tfjs-backend-wasm");
      return await tf.setBackend(name);
    } catch {
      return false;
    }
  };
  const candidates = forced ? [forced] : ORDER;
  for (const name of candidates) {
    if (await tryOne(name)) {
      await tf.ready();
      if (opts.log !== false && !_logged) {
        _logged = true;
        process.stderr.write(`sdfkit: TensorFlow.js backend '${name}'\n`);
      }
      return name;
    }
  }
  throw new UnsupportedError(`selectBackend: backend '${forced}' is not available (install its package: ${forced === "tensorflow" ? "@tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu" : forced === "wasm" ? "@tensorflow/tfjs-backend-wasm" : "@tensorflow/tfjs"})`);
};
