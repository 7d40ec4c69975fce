import type { Rng } from "@sdfkit/sdf-core";

/**
 * @internal Eigen-decomposition of a symmetric tridiagonal matrix by the implicit QL method (the
 * `tql2` routine of EISPACK as ported in JAMA, public domain). `diag` (length m) and `sub` (length m,
 * `sub[i]` = T[i][i−1], `sub[0]` ignored) are consumed. Returns eigenvalues in ascending order and the
 * eigenvectors as the columns of an m × m row-major matrix (with `lastRowOnly`, only its last row: 1 × m).
 */
export const __tridiagonalEigen = (diag: Float64Array, sub: Float64Array, lastRowOnly = false): { values: Float64Array; vectors: Float64Array } => {
  // every rotation acts on the rows of V independently, so the last row alone (all a convergence test
  // needs) costs O(m) per sweep instead of O(m²)
  const n = diag.length, d = Float64Array.from(diag), e = new Float64Array(n), rows = lastRowOnly ? 1 : n, r0 = lastRowOnly ? n - 1 : 0;
  const V = new Float64Array(rows * n);
  for (let k = 0; k < rows; k++) V[k * n + k + r0] = 1;
  for (let i = 1; i < n; i++) e[i - 1] = sub[i];
  e[n - 1] = 0;
  let f = 0, tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) break; // cannot happen for finite input; guards against NaN loops
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < rows; k++) {
            const row = k * n;
            h = V[row + i + 1];
            V[row + i + 1] = s * V[row + i] + c * h;
            V[row + i] = c * V[row + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a] - d[b]);
  const values = new Float64Array(n), vectors = new Float64Array(rows * n);
  order.forEach((src, dst) => {
    values[dst] = d[src];
    for (let k = 0; k < rows; k++) vectors[k * n + dst] = V[k * n + src];
  });
  return { values, vectors };
};

/** @internal Options of {@link __topEigenpairs}. */
export interface TopEigenpairsOptions {
  /** Largest Krylov basis. */
  maxIter: number;
  /** A Ritz pair counts as converged when its residual ‖Ay − θy‖ is below tol. */
  tol: number;
  rng: Rng;
}

/**
 * @internal The `count` algebraically largest eigenpairs of a symmetric linear operator of size n, by
 * Lanczos with full re-orthogonalisation (Gram–Schmidt against the whole basis every step, repeated
 * when needed, so the basis stays orthonormal and close eigenvalues separate cleanly). `apply(x, y)` writes A·x into y. The basis grows
 * until every wanted Ritz pair's residual (β·|last component|) is below `tol` or `maxIter` is reached.
 * Values come back in descending order with unit eigenvectors (n each) and their residual bounds.
 */
export const __topEigenpairs = (
  apply: (x: Float64Array, y: Float64Array) => void,
  n: number,
  count: number,
  opts: TopEigenpairsOptions,
): { values: Float64Array; vectors: Float64Array[]; residuals: Float64Array; iterations: number } => {
  const maxIter = Math.min(n, Math.max(opts.maxIter, count + 1));
  const Q: Float64Array[] = [];
  const alpha: number[] = [], beta: number[] = [];
  let q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = opts.rng.normal();
  __normalize(q);
  const w = new Float64Array(n);
  let result: { values: Float64Array; vectors: Float64Array; m: number } | undefined;
  for (let j = 0; j < maxIter; j++) {
    Q.push(q);
    apply(q, w);
    let a = 0;
    for (let i = 0; i < n; i++) a += w[i] * q[i];
    alpha.push(a);
    // Gram–Schmidt against the whole basis; a second pass only when the first removed most of w
    // (Kahan–Parlett "twice is enough" criterion), which keeps the basis orthonormal to rounding
    let before = __norm(w), bj = before;
    for (let pass = 0; pass < 2; pass++) {
      // classical Gram–Schmidt: all projections from the same w, then one subtraction sweep
      const h = new Float64Array(Q.length);
      for (let b = 0; b < Q.length; b++) h[b] = __dot(w, Q[b], n);
      for (let b = 0; b < Q.length; b++) __axpy(-h[b], Q[b], w, n);
      bj = __norm(w);
      if (bj > 0.7071 * before) break;
      before = bj;
    }
    const m = j + 1;
    const last = bj < 1e-12 || m === maxIter;
    if (m >= count && (last || m % 8 === 0)) {
      const T = __tridiagonalEigen(Float64Array.from(alpha), Float64Array.from([0, ...beta]), true);
      let ok = true;
      for (let t = 0; t < count && ok; t++) if (bj * Math.abs(T.vectors[m - 1 - t]) > opts.tol) ok = false;
      if (ok || last) {
        const full = __tridiagonalEigen(Float64Array.from(alpha), Float64Array.from([0, ...beta]));
        result = { values: full.values, vectors: full.vectors, m };
        break;
      }
    }
    beta.push(bj);
    q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = w[i] / bj;
  }
  const { values: tv, vectors: tV, m } = result!;
  const values = new Float64Array(count), vectors: Float64Array[] = [], residuals = new Float64Array(count);
  const y = new Float64Array(n);
  for (let t = 0; t < count; t++) {
    const col = m - 1 - t;
    values[t] = tv[col];
    const v = new Float64Array(n);
    for (let j = 0; j < m; j++) {
      const s = tV[j * m + col], b = Q[j];
      for (let i = 0; i < n; i++) v[i] += s * b[i];
    }
    __normalize(v);
    apply(v, y);
    let r = 0;
    for (let i = 0; i < n; i++) r += (y[i] - values[t] * v[i]) ** 2;
    residuals[t] = Math.sqrt(r);
    vectors.push(v);
  }
  return { values, vectors, residuals, iterations: m };
};

const __dot = (a: Float64Array, b: Float64Array, n: number): number => {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
};

/** y += a·x */
const __axpy = (a: number, x: Float64Array, y: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) y[i] += a * x[i];
};

const __norm = (v: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
};

const __normalize = (v: Float64Array): void => {
  const inv = 1 / __norm(v);
  for (let i = 0; i < v.length; i++) v[i] *= inv;
};
