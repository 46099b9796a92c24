// The catalogue of test functions for the `transforms` parity family: the same functions as
// scripts/parity/catalogue.py, operation for operation, written with the jaxts API. Keep the
// two in step (same names, same arithmetic in the same order).
import { lax, numpy as jnp, type Array } from '../../lib/index.js';

type Params = Record<string, Array>;

const softmaxXent = (logits: Array, labels: Array) => {
  const shifted = jnp.subtract(logits, jnp.max(logits, -1, { keepdims: true }));
  const logp = jnp.subtract(shifted, jnp.log(jnp.sum(jnp.exp(shifted), -1, { keepdims: true })));
  return jnp.negative(jnp.mean(jnp.sum(jnp.multiply(labels, logp), -1)));
};

const mlp = (p: Params, x: Array) => {
  const h = jnp.tanh(jnp.add(jnp.matmul(x, p.w1!), p.b1!));
  return jnp.add(jnp.matmul(h, p.w2!), p.b2!);
};

const mlpLoss = (p: Params, x: Array, y: Array) => jnp.mean(jnp.power(jnp.subtract(mlp(p, x), y), 2));

const layerNorm = (x: Array, gamma: Array, beta: Array) => {
  const mean = jnp.mean(x, -1, { keepdims: true });
  const variance = jnp.mean(jnp.power(jnp.subtract(x, mean), 2), -1, { keepdims: true });
  return jnp.add(jnp.multiply(jnp.divide(jnp.subtract(x, mean), jnp.sqrt(jnp.add(variance, 1e-5))), gamma), beta);
};

const rosenbrock = (x: Array) => {
  const head = x.slice([null, -1]);
  const tail = x.slice([1]);
  return jnp.sum(jnp.add(jnp.multiply(100, jnp.power(jnp.subtract(tail, jnp.power(head, 2)), 2)), jnp.power(jnp.subtract(1, head), 2)));
};

const COEFFS = [0.5, -1.25, 2.5, 0.75];
// A JS loop over constants and a closed-over constant array.
const horner = (x: Array) => {
  let y = jnp.zerosLike(x);
  for (const c of COEFFS) y = jnp.add(jnp.multiply(y, x), c);
  return jnp.sum(jnp.multiply(y, jnp.array([0.5, -1.5, 2.25])));
};

const sinCos = (x: Array, y: Array) => jnp.add(jnp.multiply(jnp.sin(x), jnp.cos(y)), jnp.cos(jnp.sin(jnp.multiply(x, y))));

// where / abs / maximum / max at their non-differentiable points (inputs hold 0, 0.5 and ties).
const kinks = (x: Array) =>
  jnp.add(jnp.sum(jnp.add(jnp.add(jnp.where(jnp.greater(x, 0), x, jnp.multiply(0.1, x)), jnp.abs(x)), jnp.maximum(x, 0.5))), jnp.max(x));

const intPow = (x: Array) => jnp.sum(jnp.add(jnp.subtract(jnp.power(x, 3), jnp.multiply(2, jnp.power(x, 2))), jnp.power(x, -1)));

const condFn = (x: Array, y: Array) =>
  lax.cond(jnp.greater(jnp.sum(x), 0), (a: Array, b: Array) => jnp.multiply(jnp.sin(a), b), (a: Array, b: Array) => jnp.subtract(jnp.cos(a), b), x, y);

// An RNN cell scanned over the leading axis of xs: [final state, per-step outputs].
const rnn = (p: Params, xs: Array) =>
  lax.scan((h: Array, x: Array) => {
    const next = jnp.tanh(jnp.add(jnp.add(jnp.matmul(p.wh!, h), jnp.matmul(p.wx!, x)), p.b!));
    return [next, jnp.sum(next)] as const;
  }, jnp.zerosLike(p.b!), xs);

const rnnLoss = (p: Params, xs: Array) => {
  const [h, ys] = rnn(p, xs);
  return jnp.add(jnp.sum(h), jnp.mean(ys));
};

const foriFn = (x: Array) => lax.foriLoop(0, 3, (i: Array, c: Array) => jnp.add(jnp.multiply(jnp.sin(c), x), jnp.multiply(0.25, i)), x);

const whileFn = (x: Array) =>
  lax.whileLoop(
    (c: [Array, Array]) => jnp.less(c[0], 4),
    (c: [Array, Array]) => [jnp.add(c[0], 1), jnp.add(jnp.multiply(jnp.sin(c[1]), x), c[1])] as [Array, Array],
    [0, x] as [number, Array],
  )[1];

// [loss, aux] for hasAux.
const auxLoss = (x: Array) => [jnp.sum(jnp.power(jnp.sin(x), 2)), [jnp.mean(x), jnp.cos(x)]] as const;

// A tuple of outputs of different shapes (Jacobians of pytrees).
const multiOut = (x: Array, y: Array) => [jnp.multiply(x, y), jnp.sum(jnp.sin(x))] as const;

/** By the Python names (scripts/parity/catalogue.py CATALOGUE). */
export const CATALOGUE: Record<string, (...args: never[]) => unknown> = {
  softmax_xent: softmaxXent,
  mlp,
  mlp_loss: mlpLoss,
  layer_norm: layerNorm,
  rosenbrock,
  horner,
  sin_cos: sinCos,
  sin_cos_sum: (x: Array, y: Array) => jnp.sum(sinCos(x, y)),
  kinks,
  int_pow: intPow,
  cond_fn: condFn,
  cond_loss: (x: Array, y: Array) => jnp.sum(condFn(x, y)),
  rnn,
  rnn_loss: rnnLoss,
  fori_fn: foriFn,
  fori_loss: (x: Array) => jnp.sum(foriFn(x)),
  while_fn: whileFn,
  while_loss: (x: Array) => jnp.sum(whileFn(x)),
  aux_loss: auxLoss,
  multi_out: multiOut,
};
