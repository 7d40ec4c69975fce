import type { Rng } from "./api.js";
import { InvalidArgumentError } from "./errors.js";

/** @internal splitmix32: seeds the main generator from one integer. */
const __splitmix32 = (seed: number) => {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
};

/**
 * Create a seeded generator (xoshiro128**, 128-bit state; normals by Box-Muller with a cached spare).
 * The same seed gives the same stream on every platform; `getState`/`setState` make it resumable.
 * @example const rng = createRng(42); rng.next(); rng.normal();
 */
export const createRng = (seed: number = 0): Rng => {
  if (!Number.isFinite(seed)) throw new InvalidArgumentError("createRng", "seed", "a finite number", seed);
  const sm = __splitmix32(Math.floor(seed) >>> 0 ^ Math.floor(seed / 4294967296));
  const s = new Uint32Array([sm(), sm(), sm(), sm()]);
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  let spare = NaN;
  const nextU32 = (): number => {
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  };
  const next = () => nextU32() / 4294967296;
  const rng: Rng = {
    next,
    int: (n: number) => Math.floor(next() * n),
    uniform: (lo: number, hi: number) => lo + (hi - lo) * next(),
    normal: () => {
      if (!Number.isNaN(spare)) {
        const v = spare;
        spare = NaN;
        return v;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    getState: () => [s[0], s[1], s[2], s[3], spare],
    setState: (state: readonly number[]) => {
      if (!Array.isArray(state) || state.length !== 5)
        throw new InvalidArgumentError("Rng.setState", "state", "an array of 5 numbers from getState()", state);
      s[0] = state[0];
      s[1] = state[1];
      s[2] = state[2];
      s[3] = state[3];
      spare = state[4] === null ? NaN : state[4];
    },
    fork: () => createRng(nextU32() + nextU32() * 4294967296),
  };
  return rng;
};

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** Fisher-Yates shuffle in place with the given generator. */
export const shuffleInPlace = <T extends { length: number; [i: number]: unknown }>(arr: T, rng: Rng): T => {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = arr[i];
    arr[i] = arr[j];
    arr[j] = t;
  }
  return arr;
};
