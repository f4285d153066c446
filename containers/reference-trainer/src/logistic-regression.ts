/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), deterministic: the same
 * data and hyperparameters give bit-identical weights on every machine running IEEE doubles.
 * Objective, over features standardised with the training mean and population standard
 * deviation, intercept unpenalised:
 *
 *   sum_i [log(1 + e^{z_i}) - y_i z_i] + (l2 / 2) * ||w||^2,   z_i = b + w . x_i
 *
 * which is sklearn's LogisticRegression(C = 1 / l2) objective, so sklearn is the test oracle.
 * @see https://scikit-learn.org/1.2/modules/linear_model.html#logistic-regression
 */

export interface TrainingOptions {
  /** L2 penalty on the standardised weights (sklearn's 1 / C). @default 1 */
  readonly l2?: number;
  /** Newton iterations at most. @default 100 */
  readonly maxIterations?: number;
  /** Stop when no coefficient moves more than this in one step. @default 1e-10 */
  readonly tolerance?: number;
}

/** A fitted model on RAW features: the standardisation is folded into the weights. */
export interface LogisticModel {
  readonly weights: readonly number[];
  readonly bias: number;
  readonly iterations: number;
  /** Mean log loss on the training data at the solution. */
  readonly trainLoss: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** P(y = 1 | x) for each row. */
export function predictProbabilities(
  model: Pick<LogisticModel, 'weights' | 'bias'>,
  rows: readonly number[][],
): number[] {
  return rows.map((x) => sigmoid(model.bias + dot(model.weights, x)));
}

/** Fits the model; `labels` are 0 or 1. Throws on empty data, ragged rows or one class only. */
export function fitLogisticRegression(
  rows: readonly number[][],
  labels: readonly number[],
  options: TrainingOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  const n = rows.length;
  if (n === 0) throw new Error('no training rows');
  if (labels.length !== n) throw new Error(`${n} rows but ${labels.length} labels`);
  const d = rows[0].length;
  if (rows.some((r) => r.length !== d)) throw new Error(`every row must have ${d} features`);
  if (labels.some((y) => y !== 0 && y !== 1)) throw new Error('labels must be 0 or 1');
  if (!(l2 > 0)) throw new Error(`l2 must be > 0, got ${l2}`);

  const { mean, scale } = standardisation(rows);
  // Design matrix with a leading 1 for the intercept.
  const X = rows.map((r) => [1, ...r.map((v, j) => (v - mean[j]) / scale[j])]);
  const penalty = (j: number) => (j === 0 ? 0 : l2);
  let beta = new Array<number>(d + 1).fill(0);
  let loss = objective(X, labels, beta, l2);
  let iterations = 0;

  for (; iterations < maxIterations; iterations++) {
    const gradient = new Array<number>(d + 1).fill(0);
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const p = sigmoid(dot(beta, X[i]));
      const r = p - labels[i];
      const w = p * (1 - p);
      const xi = X[i];
      for (let a = 0; a <= d; a++) {
        gradient[a] += r * xi[a];
        const wa = w * xi[a];
        for (let b = 0; b <= a; b++) hessian[a][b] += wa * xi[b];
      }
    }
    for (let a = 0; a <= d; a++) {
      gradient[a] += penalty(a) * beta[a];
      hessian[a][a] += penalty(a);
      for (let b = 0; b < a; b++) hessian[b][a] = hessian[a][b];
    }
    const step = choleskySolve(hessian, gradient);
    // Damped Newton: halve the step until the objective does not increase (it almost never
    // has to on this convex problem, but separable data can overshoot).
    let t = 1;
    let next = beta.map((v, j) => v - t * step[j]);
    let nextLoss = objective(X, labels, next, l2);
    while (nextLoss > loss && t > 1e-8) {
      t /= 2;
      next = beta.map((v, j) => v - t * step[j]);
      nextLoss = objective(X, labels, next, l2);
    }
    const moved = Math.max(...next.map((v, j) => Math.abs(v - beta[j])));
    beta = next;
    loss = nextLoss;
    if (moved < tolerance) {
      iterations++;
      break;
    }
  }

  // Fold standardisation into raw-feature weights: w_j / s_j, b - sum w_j m_j / s_j.
  const weights = beta.slice(1).map((w, j) => w / scale[j]);
  const bias = beta[0] - beta.slice(1).reduce((acc, w, j) => acc + (w * mean[j]) / scale[j], 0);
  const probabilities = predictProbabilities({ weights, bias }, rows as number[][]);
  return { weights, bias, iterations, trainLoss: meanLogLoss(labels, probabilities) };
}

/** Mean binary cross-entropy, probabilities clipped to [1e-15, 1 - 1e-15] as sklearn does. */
export function meanLogLoss(labels: readonly number[], probabilities: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probabilities[i], 1e-15), 1 - 1e-15);
    total -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return total / labels.length;
}

function standardisation(rows: readonly number[][]): { mean: number[]; scale: number[] } {
  const d = rows[0].length;
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / rows.length;
  const scale = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) scale[j] += (r[j] - mean[j]) ** 2 / rows.length;
  // A constant column keeps scale 1, as sklearn's StandardScaler does.
  return { mean, scale: scale.map((v) => (v > 0 ? Math.sqrt(v) : 1)) };
}

function objective(
  X: readonly number[][],
  y: readonly number[],
  beta: readonly number[],
  l2: number,
): number {
  let total = 0;
  for (let i = 0; i < X.length; i++) {
    const z = dot(beta, X[i]);
    total += softplus(z) - y[i] * z;
  }
  for (let j = 1; j < beta.length; j++) total += (l2 / 2) * beta[j] ** 2;
  return total;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Solves A x = b for symmetric positive definite A. */
function choleskySolve(A: readonly number[][], b: readonly number[]): number[] {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) throw new Error('Hessian is not positive definite');
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
    z[i] = s / L[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}
