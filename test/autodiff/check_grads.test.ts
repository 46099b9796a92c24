// checkGrads (finite differences in float64, forward and reverse, orders 1 and 2) over the
// differentiable primitives and a catalogue of composite functions.
import { config, lax, numpy as jnp, type Array } from '../../lib/index.js';
import { checkGrads } from './check_grads.js';

const x64 = <T>(fn: () => T): T => config.with({ enableX64: true }, fn);
const f64 = (values: unknown) => jnp.array(values as number[], { dtype: 'float64' });
const un = (p: { bind1(args: Array[], params?: Record<string, unknown>): Array }, params: Record<string, unknown> = {}) => (x: Array) => p.bind1([x], params);
const bin = (p: { bind1(args: Array[], params?: Record<string, unknown>): Array }) => (x: Array, y: Array) => p.bind1([x, y]);

// name, function, arguments (inside the domain, away from kinks), order
const unary: [string, (x: Array) => Array, number[], number][] = [
  ['neg', un(lax.neg), [0.3, -1.2, 2.5], 2],
  ['exp', un(lax.exp), [0.3, -1.2, 1.5], 2],
  ['exp2', un(lax.exp2), [0.3, -1.2, 1.5], 2],
  ['log', un(lax.log), [0.3, 1.2, 2.5], 2],
  ['log1p', un(lax.log1p), [0.3, -0.6, 2.5], 2],
  ['expm1', un(lax.expm1), [0.3, -1.2, 1.5], 2],
  ['tanh', un(lax.tanh), [0.3, -1.2, 1.5], 2],
  ['logistic', un(lax.logistic), [0.3, -1.2, 1.5], 2],
  ['sin', un(lax.sin), [0.3, -1.2, 2.5], 2],
  ['cos', un(lax.cos), [0.3, -1.2, 2.5], 2],
  ['tan', un(lax.tan), [0.3, -1.2, 0.9], 2],
  ['asin', un(lax.asin), [0.3, -0.6, 0.7], 2],
  ['acos', un(lax.acos), [0.3, -0.6, 0.7], 2],
  ['atan', un(lax.atan), [0.3, -1.2, 2.5], 2],
  ['sinh', un(lax.sinh), [0.3, -1.2, 1.5], 2],
  ['cosh', un(lax.cosh), [0.3, -1.2, 1.5], 2],
  ['asinh', un(lax.asinh), [0.3, -1.2, 2.5], 2],
  ['acosh', un(lax.acosh), [1.3, 2.2, 3.5], 2],
  ['atanh', un(lax.atanh), [0.3, -0.6, 0.7], 2],
  ['sqrt', un(lax.sqrt), [0.3, 1.2, 2.5], 2],
  ['rsqrt', un(lax.rsqrt), [0.3, 1.2, 2.5], 2],
  ['cbrt', un(lax.cbrt), [0.3, -1.2, 2.5], 2],
  ['abs', un(lax.abs), [0.3, -1.2, 2.5], 2],
  ['square', un(lax.square), [0.3, -1.2, 2.5], 2],
  ['erf', un(lax.erf), [0.3, -1.2, 1.5], 2],
  ['erfc', un(lax.erfc), [0.3, -1.2, 1.5], 2],
  ['erf_inv', un(lax.erfInv), [0.3, -0.6, 0.7], 2],
  ['lgamma', un(lax.lgamma), [0.3, 1.2, 2.5], 2],
  ['digamma', un(lax.digamma), [0.3, 1.2, 2.5], 2],
  // polygamma(m, x) in x (JAX has no derivative in m)
  ['polygamma 1', (x) => lax.polygamma.bind1([jnp.fullLike(x, 1), x]), [0.3, 1.2, 2.5], 2],
  ['integer_pow 3', un(lax.integerPow, { y: 3 }), [0.3, -1.2, 2.5], 2],
  ['integer_pow -2', un(lax.integerPow, { y: -2 }), [0.3, -1.2, 2.5], 2],
];

const binary: [string, (x: Array, y: Array) => Array, number[], number[]][] = [
  ['add', bin(lax.add), [0.3, -1.2, 2.5], [1.1, 0.4, -0.7]],
  ['sub', bin(lax.sub), [0.3, -1.2, 2.5], [1.1, 0.4, -0.7]],
  ['mul', bin(lax.mul), [0.3, -1.2, 2.5], [1.1, 0.4, -0.7]],
  ['div', bin(lax.div), [0.3, -1.2, 2.5], [1.1, 0.4, -0.7]],
  ['rem', bin(lax.rem), [2.3, -1.2, 2.5], [1.1, 0.7, -0.7]],
  ['pow', bin(lax.pow), [0.3, 1.2, 2.5], [1.1, 0.4, -0.7]],
  ['max', bin(lax.max), [0.3, -1.2, 2.5], [1.1, 0.4, -0.7]],
  ['min', bin(lax.min), [0.3, -1.2, 2.5], [1.1, 0.4, -0.7]],
  ['atan2', bin(lax.atan2), [0.3, -1.2, 2.5], [1.1, 0.4, -0.7]],
];

describe('checkGrads over the elementwise primitives (float64, fwd and rev)', () => {
  test.each(unary)('%s', (_name, f, xs, order) => x64(() => checkGrads(f, [f64(xs)], { order })));
  test.each(binary)('%s', (_name, f, xs, ys) => x64(() => checkGrads(f, [f64(xs), f64(ys)], { order: 2 })));
  test('clamp, select_n, convert_element_type', () =>
    x64(() => {
      const lo = f64([-1, -1, -1]);
      const hi = f64([1, 1, 1]);
      checkGrads((l: Array, x: Array, h: Array) => lax.clamp.bind1([l, x, h]), [lo.add(f64([0.1, 1.5, 0.2])), f64([0.3, -0.2, 2.5]), hi.sub(f64([0.3, 0.1, 0]))], { order: 2 });
      checkGrads((x: Array, y: Array) => jnp.where(x.greater(y), x.mul(y), jnp.sin(y)), [f64([0.3, -1.2, 2.5]), f64([1.1, -2, -0.7])], { order: 2 });
      checkGrads((x: Array) => x.astype('float32').astype('float64'), [f64([0.3, -1.2, 2.5])], { eps: 1e-2, atol: 1e-4, rtol: 1e-4 });
    }));
});

describe("checkGrads over lax's implicit broadcasting (size-1 dimensions, rank-0 operands)", () => {
  const ops: [string, (x: Array, y: Array) => Array][] = [
    ['add', bin(lax.add)], ['sub', bin(lax.sub)], ['mul', bin(lax.mul)], ['div', bin(lax.div)], ['rem', bin(lax.rem)],
    ['pow', bin(lax.pow)], ['max', bin(lax.max)], ['min', bin(lax.min)], ['atan2', bin(lax.atan2)],
  ];
  test.each(ops)('%s', (_name, f) =>
    x64(() => {
      const col = f64([[2.3], [0.7]]);
      checkGrads(f, [col, f64([[1.1, 0.4, 1.7]])], { order: 2 });
      checkGrads(f, [f64(1.3), col], { order: 1 });
    }));
});

describe('checkGrads over the structural primitives', () => {
  test('broadcast, reshape, transpose, squeeze, rev, reductions, dot_general', () =>
    x64(() => {
      const a = f64([0.3, -1.2, 2.5, 0.7, -0.1, 1.9]).reshape([2, 3]);
      const b = f64([1.1, 0.4, -0.7, 0.5, 1.3, -0.2]).reshape([3, 2]);
      checkGrads((x: Array) => lax.broadcastInDim.bind1([x], { shape: [4, 2, 3], broadcast_dimensions: [1, 2] }), [a], { order: 2 });
      checkGrads((x: Array) => lax.broadcastInDim.bind1([x.reshape([1, 3, 2])], { shape: [2, 3, 2], broadcast_dimensions: [0, 1, 2] }), [b], { order: 2 });
      checkGrads((x: Array) => x.reshape([3, 2]).T.mul(x), [a], { order: 2 });
      checkGrads((x: Array) => jnp.squeeze(x.reshape([1, 6, 1]), [0, 2]), [a], { order: 2 });
      checkGrads((x: Array) => lax.rev.bind1([x], { dimensions: [1] }).mul(x), [a], { order: 2 });
      checkGrads((x: Array) => x.sum(0), [a], { order: 2 });
      checkGrads((x: Array) => x.max(1).add(x.min(0).sum()), [a], { order: 2 });
      checkGrads((x: Array) => x.prod(1), [a], { order: 2 });
      checkGrads((x: Array, y: Array) => jnp.matmul(x, y), [a, b], { order: 2 });
      const batched = f64([0.3, -1.2, 2.5, 0.7, -0.1, 1.9, 0.2, 0.8, -0.4, 1.4, 0.6, -0.9]).reshape([2, 3, 2]);
      checkGrads(
        (x: Array, y: Array) => lax.dotGeneral.bind1([x, y], { dimension_numbers: [[[1], [2]], [[0], [0]]], preferred_element_type: null }),
        [batched, batched.reshape([2, 2, 3])],
        { order: 2 },
      );
      // two contracting dimensions, in swapped order
      checkGrads(
        (x: Array, y: Array) => lax.dotGeneral.bind1([x, y], { dimension_numbers: [[[0, 2], [2, 0]], [[], []]], preferred_element_type: null }),
        [batched.reshape([3, 2, 2]), batched.mul(0.5).reshape([2, 2, 3])],
        { order: 1 },
      );
    }));
});

describe('checkGrads over composite functions', () => {
  test('softmax cross-entropy', () =>
    x64(() => {
      const loss = (logits: Array, labels: Array) => {
        const shifted = logits.sub(logits.max(-1, { keepdims: true }));
        return shifted.sub(jnp.log(jnp.exp(shifted).sum(-1, { keepdims: true }))).mul(labels).sum(-1).mean().neg();
      };
      checkGrads(loss, [f64([[1, 2, 0.5], [-1, 0, 3]]), f64([[0, 1, 0], [0.3, 0.3, 0.4]])], { order: 2 });
    }));

  test('an MLP (the seed predict/loss)', () =>
    x64(() => {
      const loss = (params: [Array, Array][], inputs: Array, targets: Array) => {
        let outputs = inputs;
        for (const [W, b] of params) {
          outputs = jnp.dot(inputs, W).add(b);
          inputs = jnp.tanh(outputs);
        }
        return jnp.sum(outputs.sub(targets).square());
      };
      const params: [Array, Array][] = [
        [f64([0.3, -0.2, 0.5, 0.1, -0.4, 0.2]).reshape([2, 3]), f64([0.1, -0.1, 0.05])],
        [f64([0.2, -0.3, 0.4]).reshape([3, 1]), f64([0.02])],
      ];
      checkGrads(loss, [params, f64([[0.5, -1], [1.5, 0.2]]), f64([[0.3], [-0.2]])], { order: 2 });
    }));

  test('a layer norm', () =>
    x64(() => {
      const layerNorm = (x: Array, gamma: Array, beta: Array) => {
        const centered = x.sub(x.mean(-1, { keepdims: true }));
        const variance = centered.square().mean(-1, { keepdims: true });
        return centered.div(jnp.sqrt(variance.add(1e-5))).mul(gamma).add(beta).mul(f64([1, -2, 3]));
      };
      checkGrads(layerNorm, [f64([[0.3, -1.2, 2.5], [1, 2, 4]]), f64([1, 2, 0.5]), f64([0.1, 0, -0.1])], { order: 2 });
    }));

  test('a closure over a JS loop', () =>
    x64(() => {
      const weights = [0.5, -1.5, 2];
      const f = (x: Array) => {
        let acc = x;
        for (const w of weights) acc = jnp.sin(acc.mul(w)).add(acc.mul(acc).mul(0.1));
        return acc;
      };
      checkGrads(f, [f64([0.3, -0.7])], { order: 2 });
    }));
});
