// The catalogue of test functions for the `transforms` parity family: the same functions as
// scripts/parity/catalogue.py, operation for operation, written with the jaxts API. Keep the
// two in step (same names, same arithmetic in the same order).
import { checkpoint, customJvp, customVjp, lax, numpy as jnp, stopGradient, type Array } from '../../lib/index.js';

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

// stop_gradient inside a differentiated function: parts of both arguments are constants.
const stopGradFn = (x: Array, y: Array) =>
  jnp.sum(jnp.add(jnp.multiply(jnp.sin(x), stopGradient(jnp.multiply(jnp.cos(x), y))), jnp.multiply(jnp.power(stopGradient(x), 2), y)));

// ---- custom derivatives: the rules differ from autodiff on purpose (so that they are used) ----

const cjFn = customJvp(function cj_fn(x: Array, y: Array) {
  return jnp.multiply(jnp.sin(x), y);
});
cjFn.defjvp(function cj_fn_jvp([x, y]: Array[], [tx, ty]: Array[]) {
  return [cjFn(x!, y!), jnp.add(jnp.multiply(jnp.multiply(jnp.multiply(0.5, jnp.cos(x!)), y!), tx!), jnp.multiply(jnp.sin(x!), ty!))] as const;
});
const cjLoss = (x: Array, y: Array) => jnp.sum(jnp.power(cjFn(x, y), 2));

// defjvps: one rule per argument; y's is null (no dependence).
const cjsFn = customJvp(function cjs_fn(x: Array, y: Array) {
  return jnp.multiply(jnp.exp(x), y);
});
cjsFn.defjvps((t: Array, ans: Array) => jnp.multiply(jnp.multiply(2.5, ans), t), null);
const cjsLoss = (x: Array, y: Array) => jnp.sum(jnp.sin(cjsFn(x, y)));

// A pytree argument and output.
const cjTree = customJvp(function cj_tree(p: Params, x: Array) {
  return { u: jnp.multiply(p.a!, x), v: jnp.tanh(p.b!) };
});
cjTree.defjvp(function cj_tree_jvp([p, x]: [Params, Array], [tp, tx]: [Params, Array]) {
  const out = cjTree(p, x);
  return [out, { u: jnp.add(jnp.multiply(tp.a!, x), jnp.multiply(jnp.multiply(p.a!, tx), 0.25)), v: jnp.multiply(tp.b!, jnp.subtract(1, jnp.power(out.v, 2))) }] as const;
});
const cjTreeLoss = (p: Params, x: Array) => {
  const out = cjTree(p, x);
  return jnp.add(jnp.sum(out.u), jnp.sum(jnp.multiply(out.v, x)));
};

// nondiffArgnums: k is a static number, given to the rule first.
const cjNondiff = customJvp(
  function cj_nondiff(x: Array, k: Array | number) {
    return jnp.multiply(jnp.sin(x), k);
  },
  { nondiffArgnums: [1] },
);
cjNondiff.defjvp(function cj_nondiff_jvp(k: Array | number, [x]: Array[], [t]: Array[]) {
  return [cjNondiff(x!, k), jnp.multiply(jnp.multiply(jnp.cos(x!), t!), jnp.add(k, 1))] as const;
});
const cjNondiffLoss = (x: Array, k: Array | number) => jnp.sum(cjNondiff(x, k));

const cvFn = customVjp(function cv_fn(x: Array, y: Array) {
  return jnp.multiply(jnp.sin(x), y);
});
cvFn.defvjp(
  function cv_fn_fwd(x: Array, y: Array) {
    return [cvFn(x, y), [jnp.cos(x), jnp.sin(x), y]] as const;
  },
  function cv_fn_bwd([c, s, y]: Array[], g: Array) {
    return [jnp.multiply(jnp.multiply(jnp.multiply(0.5, c!), y!), g), jnp.multiply(s!, g)];
  },
);
const cvLoss = (x: Array, y: Array) => jnp.sum(jnp.power(cvFn(x, y), 2));

// Pytree argument and output; the bwd rule gives a null (zero) cotangent for x.
const cvTree = customVjp(function cv_tree(p: Params, x: Array) {
  return [jnp.multiply(p.a!, jnp.sum(x)), jnp.tanh(p.b!)] as const;
});
cvTree.defvjp(
  function cv_tree_fwd(p: Params, x: Array) {
    const out = cvTree(p, x);
    return [out, [jnp.sum(x), out[1]]] as const;
  },
  function cv_tree_bwd([s, t]: Array[], [ga, gb]: Array[]) {
    return [{ a: jnp.multiply(ga!, s!), b: jnp.multiply(jnp.multiply(gb!, jnp.subtract(1, jnp.power(t!, 2))), 2.5) }, null];
  },
);
const cvTreeLoss = (p: Params, x: Array) => {
  const [u, v] = cvTree(p, x);
  return jnp.add(jnp.sum(jnp.multiply(u, x)), jnp.sum(v));
};

const cvNondiff = customVjp(
  function cv_nondiff(x: Array, k: Array | number) {
    return jnp.multiply(jnp.sin(x), k);
  },
  { nondiffArgnums: [1] },
);
cvNondiff.defvjp(
  function cv_nondiff_fwd(x: Array, k: Array | number) {
    return [cvNondiff(x, k), jnp.cos(x)] as const;
  },
  function cv_nondiff_bwd(k: Array | number, c: Array, g: Array) {
    return [jnp.multiply(jnp.multiply(c, g), jnp.add(k, 1))];
  },
);
const cvNondiffLoss = (x: Array, k: Array | number) => jnp.sum(cvNondiff(x, k));

// ---- checkpoint (the `checkpoint` / `remat` transformations cover the policies) ----

// A batched matmul (dot_general with batch dimensions) and an unbatched one.
const bmmLoss = (a: Array, b: Array) => {
  const h = jnp.tanh(jnp.matmul(a, b));
  return jnp.sum(jnp.power(jnp.matmul(h, jnp.swapaxes(b, 1, 2)), 2));
};

// An RNN whose cell is checkpointed inside the scan (the usual remat pattern).
const rematRnnLoss = (p: Params, xs: Array) => {
  const cell = (h: Array, x: Array) => {
    const next = jnp.tanh(jnp.add(jnp.add(jnp.matmul(p.wh!, h), jnp.matmul(p.wx!, x)), p.b!));
    return [next, jnp.sum(next)] as const;
  };
  const [h, ys] = lax.scan(checkpoint(cell) as (h: Array, x: Array) => readonly [Array, Array], jnp.zerosLike(p.b!), xs);
  return jnp.add(jnp.sum(h), jnp.mean(ys));
};

// ---- control flow ----

// cond with several pytree operands and a pytree result.
const condTree = (p: Params, x: Array) =>
  lax.cond(
    jnp.greater(jnp.sum(x), 0),
    (q: Params, y: Array, s: Array) => [{ u: jnp.multiply(q.a!, y), v: jnp.multiply(jnp.sin(q.b!), s) }, jnp.sum(y)] as const,
    (q: Params, y: Array, s: Array) => [{ u: jnp.subtract(q.a!, y), v: jnp.cos(q.b!) }, jnp.multiply(jnp.max(y), s)] as const,
    p,
    x,
    p.a!.slice(0),
  );
const condTreeLoss = (p: Params, x: Array) => {
  const [out, s] = condTree(p, x);
  return jnp.add(jnp.add(jnp.sum(jnp.power(out.u, 2)), jnp.sum(out.v)), s);
};

// switch with an int32 index (clamped to the branches) and two operands.
const switchFn = (i: Array, x: Array, y: Array) =>
  lax.switch(
    i,
    [
      (a: Array, b: Array) => jnp.multiply(jnp.sin(a), b),
      (a: Array, b: Array) => jnp.subtract(a, jnp.cos(b)),
      (a: Array, b: Array) => jnp.multiply(jnp.multiply(a, a), b),
    ],
    x,
    y,
  );

type WhileCarry = { i: Array; x: Array; s: Array };
// while_loop with a dict carry and a trip count from an argument.
const whileTree = (x: Array, n: Array) =>
  lax.whileLoop(
    (c: WhileCarry) => jnp.less(c.i, n),
    (c: WhileCarry) => ({ i: jnp.add(c.i, 1), x: jnp.add(jnp.multiply(jnp.sin(c.x), x), 0.5), s: jnp.add(c.s, jnp.sum(c.x)) }),
    { i: 0, x, s: jnp.sum(x) } as unknown as WhileCarry,
  ) as unknown as WhileCarry;
const whileTreeLoss = (x: Array, n: Array) => {
  const out = whileTree(x, n);
  return jnp.add(jnp.sum(out.x), out.s);
};

// fori_loop to n: a scan where n is concrete, a while_loop where it is traced (jit, vmap).
const foriDyn = (x: Array, n: Array) => lax.foriLoop(0, n, (i: Array, c: Array) => jnp.add(jnp.multiply(jnp.sin(c), x), jnp.multiply(0.25, i)), x);

// scan with reverse and unroll 2; ys a pair.
const scanRev = (c0: Array, xs: Array) =>
  lax.scan(
    (c: Array, x: Array) => {
      const next = jnp.add(jnp.multiply(jnp.sin(c), x), c);
      return [next, [jnp.multiply(next, 2.5), jnp.sum(x)]] as const;
    },
    c0,
    xs,
    { reverse: true, unroll: 2 },
  );
const scanRevLoss = (c0: Array, xs: Array) => {
  const [c, [ys, zs]] = scanRev(c0, xs);
  return jnp.add(jnp.add(jnp.sum(c), jnp.sum(jnp.power(ys, 2))), jnp.sum(zs));
};

// scan with xs null and length 4.
const scanLen = (x: Array) => lax.scan((c: Array) => [jnp.multiply(jnp.cos(c), x), jnp.sum(c)] as const, x, null, { length: 4 });
const scanLenLoss = (x: Array) => {
  const [c, ys] = scanLen(x);
  return jnp.add(jnp.sum(c), jnp.sum(jnp.multiply(ys, ys)));
};

type TreeCarry = { h: Array; acc: [Array, Array] };
// A pytree carry (a dict and a pair) and pytree xs.
const scanTree = (p: Params, xs: Params) =>
  lax.scan(
    (c: TreeCarry, x: Params) => {
      const h = jnp.tanh(jnp.add(jnp.multiply(c.h, x.a!), p.w!));
      const next: TreeCarry = { h, acc: [jnp.add(c.acc[0], jnp.sum(h)), jnp.multiply(c.acc[1], x.b!)] };
      return [next, jnp.multiply(h, x.b!)] as const;
    },
    { h: p.h0!, acc: [jnp.sum(p.w!), p.w!] } as TreeCarry,
    xs,
  ) as unknown as [TreeCarry, Array];
const scanTreeLoss = (p: Params, xs: Params) => {
  const [c, ys] = scanTree(p, xs);
  return jnp.add(jnp.add(jnp.add(jnp.sum(c.h), c.acc[0]), jnp.sum(c.acc[1])), jnp.mean(ys));
};

// lax.map over a pair with batchSize 2 (x has 5 rows: two batches and a remainder).
const mapFn = (x: Array, y: Array) => lax.map((t: [Array, Array]) => [jnp.multiply(jnp.sin(t[0]), t[1]), jnp.sum(t[0])] as const, [x, y] as [Array, Array], { batchSize: 2 });
const mapLoss = (x: Array, y: Array) => {
  const [a, b] = mapFn(x, y);
  return jnp.add(jnp.sum(jnp.power(a, 2)), jnp.sum(b));
};

// associative_scan: a cumulative sum along axis 1 and a linear recurrence (a pytree) in reverse.
const assocFn = (x: Array) => {
  const s = lax.associativeScan((a: Array, b: Array) => jnp.add(a, b), x, { axis: 1 });
  const [a, b] = lax.associativeScan(
    (p: [Array, Array], q: [Array, Array]) => [jnp.multiply(p[0], q[0]), jnp.add(jnp.multiply(q[0], p[1]), q[1])],
    [jnp.tanh(x), x] as [Array, Array],
    { reverse: true },
  );
  return jnp.add(s, jnp.multiply(a, b));
};

const W_LIN = [
  [0.5, -1.25, 0.75, 2.5],
  [1.5, 0.25, -0.5, -2.25],
  [-0.75, 1.25, 0.5, 0.25],
];
// Linear in (x, y) (for linear_transpose): a matmul with a constant, slices, a transpose, a sum.
const linearFn = (x: Array, y: Array) => {
  const a = jnp.subtract(jnp.matmul(x, jnp.array(W_LIN)), jnp.multiply(2.5, y));
  const b = jnp.concatenate([x.slice([], [1]), jnp.transpose(y).slice([undefined, 2])], 0);
  return [a, jnp.multiply(jnp.sum(b, 1), 0.5)] as const;
};

// A linear scan (a decaying cumulative sum) for linear_transpose.
const linearScan = (xs: Array) => lax.scan((c: Array, x: Array) => [jnp.add(jnp.multiply(c, 0.5), x), c] as const, jnp.zerosLike(xs.slice(0)), xs);

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
  stop_grad_fn: stopGradFn,
  cj_fn: cjFn,
  cj_loss: cjLoss,
  cjs_fn: cjsFn,
  cjs_loss: cjsLoss,
  cj_tree: cjTree,
  cj_tree_loss: cjTreeLoss,
  cj_nondiff: cjNondiff,
  cj_nondiff_loss: cjNondiffLoss,
  cv_fn: cvFn,
  cv_loss: cvLoss,
  cv_tree: cvTree,
  cv_tree_loss: cvTreeLoss,
  cv_nondiff: cvNondiff,
  cv_nondiff_loss: cvNondiffLoss,
  bmm_loss: bmmLoss,
  remat_rnn_loss: rematRnnLoss,
  cond_tree: condTree,
  cond_tree_loss: condTreeLoss,
  switch_fn: switchFn,
  switch_loss: (i: Array, x: Array, y: Array) => jnp.sum(switchFn(i, x, y)),
  while_tree: whileTree,
  while_tree_loss: whileTreeLoss,
  fori_dyn: foriDyn,
  fori_dyn_loss: (x: Array, n: Array) => jnp.sum(foriDyn(x, n)),
  scan_rev: scanRev,
  scan_rev_loss: scanRevLoss,
  scan_len: scanLen,
  scan_len_loss: scanLenLoss,
  scan_tree: scanTree,
  scan_tree_loss: scanTreeLoss,
  map_fn: mapFn,
  map_loss: mapLoss,
  assoc_fn: assocFn,
  assoc_loss: (x: Array) => jnp.sum(jnp.sin(assocFn(x))),
  linear_fn: linearFn,
  linear_scan: linearScan,
};
