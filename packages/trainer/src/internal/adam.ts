import * as tf from "@tensorflow/tfjs";

/**
 * @internal Adam (Kingma & Ba; PyTorch's defaults β1 0.9, β2 0.999, ε 1e-8) whose whole state is
 * the step count and the two moment tensors per variable, so a checkpoint restores it exactly. The
 * bias corrections are computed from the step count in float64 on every step (tfjs' own Adam
 * accumulates β^t in float32 and recomputes it differently after `setWeights`, so a resumed run
 * drifts from an uninterrupted one in the last bits).
 */
export class ExactAdam {
  t = 0;
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  constructor(readonly vars: tf.Variable[], readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-8) {
    this.m = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
    this.v = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  /** One update with gradients in `vars` order. */
  apply(grads: tf.Tensor[], lr: number): void {
    this.t++;
    const c1 = 1 - Math.pow(this.beta1, this.t), c2 = 1 - Math.pow(this.beta2, this.t);
    const step = (lr * Math.sqrt(c2)) / c1, epsHat = this.eps * Math.sqrt(c2);
    tf.tidy(() => {
      this.vars.forEach((x, i) => {
        const g = grads[i];
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        x.assign(tf.sub(x, tf.mul(step, tf.div(m, tf.add(tf.sqrt(v), epsHat)))));
      });
    });
  }

  /** State as plain arrays: the step count, then every m, then every v. */
  getState(): Float32Array[] {
    return [Float32Array.of(this.t), ...this.m.map((x) => Float32Array.from(x.dataSync())), ...this.v.map((x) => Float32Array.from(x.dataSync()))];
  }

  setState(s: Float32Array[]): void {
    const n = this.vars.length;
    this.t = s[0][0];
    for (let i = 0; i < n; i++) {
      this.m[i].assign(tf.tensor(s[1 + i], this.m[i].shape));
      this.v[i].assign(tf.tensor(s[1 + n + i], this.v[i].shape));
    }
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
