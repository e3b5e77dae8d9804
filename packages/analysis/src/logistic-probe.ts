import { createRng, type Matrix } from '@msae/core';
import { AnalysisError } from './errors.js';
import type { LinearClassifier } from './linear-classifier.js';

export interface ProbeOptions {
  /** L2 weight lambda in mean log-loss + lambda/2 ||w||^2 (default 1e-3). */
  l2?: number;
  /** Fraction of rows held out for the reported accuracy (default 0.2). */
  holdout?: number;
  seed?: number;
  maxIterations?: number;
}

export interface ProbeResult {
  /** Two-class linear classifier: logits [0, x w + b], so softmax gives P(target) = sigmoid(x w + b). */
  classifier: LinearClassifier;
  w: Float64Array;
  b: number;
  trainAccuracy: number;
  heldOutAccuracy: number;
  trainRows: number;
  heldOutRows: number;
  iterations: number;
  loss: number;
}

/** Mean log-loss + lambda/2 ||w||^2 and its gradient at theta = [w, b] over the given rows. */
export function probeLossAndGradient(x: Matrix, y: Uint8Array, rows: Uint32Array, theta: Float64Array, l2: number): { loss: number; grad: Float64Array } {
  const d = x.cols;
  const grad = new Float64Array(d + 1);
  let loss = 0;
  for (const r of rows) {
    const o = r * d;
    let t = theta[d];
    for (let k = 0; k < d; k++) t += theta[k] * x.data[o + k];
    // log(1 + e^t) - y t, computed stably
    loss += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - y[r] * t;
    const g = 1 / (1 + Math.exp(-t)) - y[r]; // d/dt = sigmoid(t) - y
    for (let k = 0; k < d; k++) grad[k] += g * x.data[o + k];
    grad[d] += g;
  }
  const n = rows.length;
  let reg = 0;
  for (let k = 0; k <= d; k++) grad[k] /= n;
  for (let k = 0; k < d; k++) {
    reg += theta[k] * theta[k];
    grad[k] += l2 * theta[k];
  }
  return { loss: loss / n + 0.5 * l2 * reg, grad };
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);

/**
 * L2-regularized logistic regression by L-BFGS (memory 10, Armijo backtracking) on a seeded train split;
 * the objective is strictly convex, so the result does not depend on the start.
 */
export function trainLogisticProbe(x: Matrix, y: Uint8Array, options: ProbeOptions = {}): ProbeResult {
  if (y.length !== x.rows) throw new AnalysisError(`probe: ${y.length} labels for ${x.rows} rows`);
  const l2 = options.l2 ?? 1e-3;
  const rng = createRng(options.seed ?? 42);
  const order = rng.permutation(x.rows);
  const nHeld = Math.round(x.rows * (options.holdout ?? 0.2));
  const held = order.slice(0, nHeld).sort();
  const train = order.slice(nHeld).sort();
  if (train.length === 0) throw new AnalysisError('probe: no training rows');
  const d = x.cols;
  let theta = new Float64Array(d + 1);
  let { loss, grad } = probeLossAndGradient(x, y, train, theta, l2);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const maxIt = options.maxIterations ?? 200;
  let it = 0;
  for (; it < maxIt; it++) {
    if (Math.sqrt(dot(grad, grad)) < 1e-6) break;
    // two-loop recursion: direction = -H grad
    const q = grad.slice();
    const alpha: number[] = [];
    for (let i = S.length - 1; i >= 0; i--) {
      const a = dot(S[i], q) / dot(Y[i], S[i]);
      alpha[i] = a;
      for (let k = 0; k <= d; k++) q[k] -= a * Y[i][k];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1;
    for (let k = 0; k <= d; k++) q[k] *= gamma;
    for (let i = 0; i < S.length; i++) {
      const b = dot(Y[i], q) / dot(Y[i], S[i]);
      for (let k = 0; k <= d; k++) q[k] += S[i][k] * (alpha[i] - b);
    }
    const dir = q.map((v) => -v);
    const slope = dot(grad, dir);
    let step = 1;
    let next = theta;
    let trial = { loss, grad };
    for (let ls = 0; ls < 40; ls++) {
      next = theta.map((v, k) => v + step * dir[k]);
      trial = probeLossAndGradient(x, y, train, next, l2);
      if (trial.loss <= loss + 1e-4 * step * slope) break; // Armijo
      step /= 2;
    }
    const s = next.map((v, k) => v - theta[k]);
    const yv = trial.grad.map((v, k) => v - grad[k]);
    if (dot(s, yv) > 1e-12) {
      S.push(s);
      Y.push(yv);
      if (S.length > 10) {
        S.shift();
        Y.shift();
      }
    }
    const improvement = loss - trial.loss;
    theta = next;
    loss = trial.loss;
    grad = trial.grad;
    if (improvement >= 0 && improvement < 1e-12) break;
  }
  const w = theta.slice(0, d);
  const b = theta[d];
  const weights = new Float32Array(2 * d);
  weights.set(Float32Array.from(w), d);
  return {
    classifier: { kind: 'linear', weights: { data: weights, rows: 2, cols: d }, bias: Float32Array.from([0, b]), classes: ['not target', 'target'] },
    w,
    b,
    trainAccuracy: probeAccuracy(x, y, train, w, b),
    heldOutAccuracy: held.length ? probeAccuracy(x, y, held, w, b) : Number.NaN,
    trainRows: train.length,
    heldOutRows: held.length,
    iterations: it,
    loss,
  };
}

/** Fraction of rows with (x w + b > 0) == y. */
export function probeAccuracy(x: Matrix, y: Uint8Array, rows: Uint32Array, w: Float64Array, b: number): number {
  let right = 0;
  for (const r of rows) {
    let t = b;
    for (let k = 0; k < x.cols; k++) t += w[k] * x.data[r * x.cols + k];
    if ((t > 0 ? 1 : 0) === y[r]) right++;
  }
  return right / Math.max(1, rows.length);
}
