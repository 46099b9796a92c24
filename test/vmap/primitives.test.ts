// For every primitive of lib/lax/{elementwise,convert,shape,reduce,dot,stop_gradient}.ts and jit's
// pjit: vmap(op) over several in/out axes equals the op applied to each example with the results
// stacked (as JAX's own batching tests check, lax_vmap_test.py). Primitives are grouped into
// families sharing argument shapes, so one program per family and axes is compiled; each output
// of a family's function is one primitive application. Under jit for every axes combination and
// eagerly for one, with identical bits between the two.
import { jit, lax, numpy as jnp, vmap, type Array } from '../../lib/index.js';
import { Primitive, type Params } from '../../lib/core/primitive.js';
import * as convertModule from '../../lib/lax/convert.js';
import * as dotModule from '../../lib/lax/dot.js';
import * as elementwiseModule from '../../lib/lax/elementwise.js';
import * as reduceModule from '../../lib/lax/reduce.js';
import * as shapeModule from '../../lib/lax/shape.js';
import * as stopGradientModule from '../../lib/lax/stop_gradient.js';
import { pjit } from '../../lib/api/jit.js';
import { primitivesOf, type ArgSpec, type OutFn, describeFamilies, type Family } from './helpers.js';

/** A unary primitive on the first argument; `p2` a binary one on the first two. */
const p = (prim: Primitive, params: Params = {}) => (x: Array) => prim.bind1([x], params);
const p2 = (prim: Primitive, params: Params = {}) => (x: Array, y: Array) => prim.bind1([x, y], params);
/** A float32 scalar constant (not weakly typed: lax does not promote). */
const c32 = (v: number) => jnp.asarray(v, 'float32');
const ops = (entries: Record<string, (...xs: Array[]) => Array>): OutFn => (...xs) => Object.fromEntries(Object.entries(entries).map(([k, f]) => [k, f(...xs)]));

const f32 = (shape: number[], gen?: ArgSpec['gen']): ArgSpec => ({ shape, dtype: 'float32', ...(gen && { gen }) });
const i32 = (shape: number[], gen: ArgSpec['gen'] = (k) => (k % 7) + 1): ArgSpec => ({ shape, dtype: 'int32', gen });
const u8 = (shape: number[]): ArgSpec => ({ shape, dtype: 'uint8', gen: (k) => (k * 37) % 256 });
const bool = (shape: number[]): ArgSpec => ({ shape, dtype: 'bool', gen: (k) => (k * 5) % 3 === 0 });
/** Signed values in (-0.9, 0.9), some repeated (ties for max/min/argmax). */
const signed = (k: number) => Math.round(((k * 7919) % 19) - 9) / 10;


const unaryFloat = ops({
  neg: p(lax.neg), sign: p(lax.sign), floor: p(lax.floor), ceil: p(lax.ceil), round0: p(lax.round, { rounding_method: 0 }), round1: p(lax.round, { rounding_method: 1 }),
  is_finite: p(lax.isFinite), exp: p(lax.exp), log: p(lax.log), tanh: p(lax.tanh), sin: p(lax.sin), cos: p(lax.cos), sqrt: p(lax.sqrt), rsqrt: p(lax.rsqrt),
  abs: p(lax.abs), square: p(lax.square), pow3: p(lax.integerPow, { y: 3 }), pow_2: p(lax.integerPow, { y: -2 }), stop_gradient: p(lax.stopGradientP),
  to_i32: p(lax.convertElementType, { new_dtype: 'int32', weak_type: false }), to_bool: p(lax.convertElementType, { new_dtype: 'bool', weak_type: false }),
  bits: p(lax.bitcastConvertType, { new_dtype: 'int32' }),
});

/** The same `unary` factory (so the same batching rule) as above, with slow-compiling kernels: fewer axes. */
const specialFloat = ops({
  exp2: p(lax.exp2), log1p: p(lax.log1p), expm1: p(lax.expm1), logistic: p(lax.logistic), tan: p(lax.tan), asin: p(lax.asin), acos: p(lax.acos),
  atan: p(lax.atan), sinh: p(lax.sinh), cosh: p(lax.cosh), asinh: p(lax.asinh), acosh: p(lax.acosh), atanh: p(lax.atanh), cbrt: p(lax.cbrt),
  erf: p(lax.erf), erfc: p(lax.erfc), erf_inv: p(lax.erfInv), lgamma: p(lax.lgamma), digamma: p(lax.digamma),
});

const complexParts = ops({
  real: (a, b) => lax.real.bind1([lax.complex.bind1([a, b])]),
  imag: (a, b) => lax.imag.bind1([lax.complex.bind1([a, b])]),
  conj_imag: (a, b) => lax.imag.bind1([lax.conj.bind1([lax.complex.bind1([a, b])])]),
});

const binaryFloat = ops({
  add: p2(lax.add), sub: p2(lax.sub), mul: p2(lax.mul), div: p2(lax.div), rem: p2(lax.rem), pow: p2(lax.pow), max: p2(lax.max), min: p2(lax.min),
  atan2: p2(lax.atan2), nextafter: p2(lax.nextafter), eq: p2(lax.eq), ne: p2(lax.ne), lt: p2(lax.lt), le: p2(lax.le), gt: p2(lax.gt), ge: p2(lax.ge),
});

const integer = ops({
  neg: p(lax.neg), sign: p(lax.sign), abs: p(lax.abs), not: p(lax.not), square: p(lax.square), pow2: p(lax.integerPow, { y: 2 }),
  add: p2(lax.add), sub: p2(lax.sub), mul: p2(lax.mul), div: p2(lax.div), rem: p2(lax.rem), max: p2(lax.max), min: p2(lax.min),
  and: p2(lax.and), or: p2(lax.or), xor: p2(lax.xor), shift_left: p2(lax.shiftLeft), shift_right_logical: p2(lax.shiftRightLogical),
  shift_right_arithmetic: p2(lax.shiftRightArithmetic), to_f32: (x) => lax.convertElementType.bind1([x], { new_dtype: 'float32', weak_type: false }),
  to_u8: (x) => lax.bitcastConvertType.bind1([x], { new_dtype: 'uint8' }),
});

const boolean = ops({ not: p(lax.not), and: p2(lax.and), or: p2(lax.or), xor: p2(lax.xor), eq: p2(lax.eq) });

const FAMILIES: Family[] = [
  // XLA's CPU kernels for exp, log, atan, ... may differ in the last bit between array shapes.
  { name: 'unary float', fn: unaryFloat, args: [f32([2, 4])], axes: [[[1], 0], [[2], -1], [[-1], 1]], rtol: 1e-6 },
  { name: 'special functions', fn: specialFloat, args: [f32([2, 4])], axes: [[[2], 0]], rtol: 1e-6, eager: false },
  {
    name: 'polygamma and zeta',
    fn: ops({ polygamma: p2(lax.polygamma), zeta: (m, x) => lax.zeta.bind1([lax.add.bind1([m, c32(1)]), x]) }),
    args: [f32([2, 3], (k) => (k % 3) + 1), f32([2, 3], (k) => 0.5 + k * 0.25)],
    axes: [[[0, 0], 0], [[1, null], -1]],
    rtol: 1e-6,
    eager: false,
  },
  { name: 'complex parts', fn: complexParts, args: [f32([2, 4]), f32([2, 4])], axes: [[[0, 1], 0], [[null, 2], 1], [[1, null], -1]] },
  { name: 'binary float', fn: binaryFloat, args: [f32([2, 4]), f32([2, 4], (k) => signed(k) * 2)], axes: [[[0, 0], 0], [[1, null], 1], [[2, 0], -1]] },
  { name: 'integer', fn: integer, args: [i32([2, 4], (k) => (k % 11) - 5), i32([2, 4], (k) => (k % 5) + 1)], axes: [[[1, 1], 0], [[null, 0], -1], [[2, 1], 1]] },
  { name: 'bool', fn: boolean, args: [bool([4]), bool([4])], axes: [[[0, 0], 0], [[1, null], 1], [[null, 0], 0]] },
  {
    name: 'narrowing bitcast (the last axis is consumed)',
    fn: ops({ to_i32: p(lax.bitcastConvertType, { new_dtype: 'int32' }) }),
    args: [u8([2, 4])],
    axes: [[[2], 0], [[0], 1], [[-1], -1]],
  },
  {
    name: 'select_n and clamp with scalars',
    fn: ops({
      select_scalar_which: (w, x, y) => lax.selectN.bind1([lax.gt.bind1([w, c32(0.5)]), x, y]),
      clamp_scalar_bounds: (w, x) => lax.clamp.bind1([w, x, lax.add.bind1([w, c32(0.25)])]),
      clamp_scalar_operand: (w, _x, _y) => lax.clamp.bind1([c32(0.3), w, c32(0.6)]),
    }),
    args: [f32([]), f32([3, 2]), f32([3, 2], signed)],
    axes: [[[0, null, 0], 0], [[0, 1, null], -1], [[null, 2, 0], -1], [[0, null, null], 0], [[null, 0, 1], 0]],
  },
  {
    name: 'select_n and clamp with full operands',
    fn: ops({
      select_bool: (w, x, y) => lax.selectN.bind1([lax.gt.bind1([w, x]), x, y]),
      select_int3: (w, x, y) => lax.selectN.bind1([lax.convertElementType.bind1([lax.mul.bind1([w, jnp.full(w.shape, 3, { dtype: 'float32' })])], { new_dtype: 'int32', weak_type: false }), w, x, y]),
      clamp: (w, x, y) => lax.clamp.bind1([lax.min.bind1([w, y]), x, lax.max.bind1([w, y])]),
    }),
    args: [f32([2, 3]), f32([2, 3], signed), f32([2, 3], (k) => 1 - ((k * 13) % 17) / 8)],
    axes: [[[1, 1, 1], 1], [[0, null, 2], 0], [[null, 2, null], -1], [[2, 0, null], 1]],
  },
  {
    name: 'shape',
    fn: ops({
      broadcast_in_dim: p(lax.broadcastInDim, { shape: [2, 5, 4], broadcast_dimensions: [0, 2] }),
      broadcast_in_dim_1s: (x) => lax.broadcastInDim.bind1([lax.reshape.bind1([x], { new_sizes: [2, 1, 4] })], { shape: [3, 2, 6, 4], broadcast_dimensions: [1, 2, 3] }),
      reshape: p(lax.reshape, { new_sizes: [4, 2] }),
      transpose: p(lax.transpose, { permutation: [1, 0] }),
      squeeze: (x) => lax.squeeze.bind1([lax.reshape.bind1([x], { new_sizes: [1, 2, 1, 4] })], { dimensions: [0, 2] }),
      rev: p(lax.rev, { dimensions: [1] }),
      rev_both: p(lax.rev, { dimensions: [0, 1] }),
    }),
    args: [f32([2, 4])],
    axes: [[[1], 0], [[0], 1], [[2], -1], [[-2], 2]],
  },
  {
    name: 'reductions',
    fn: ops({
      sum0: p(lax.reduceSum, { axes: [0] }), sum12: p(lax.reduceSum, { axes: [1, 2] }), prod: p(lax.reduceProd, { axes: [2] }),
      max: p(lax.reduceMax, { axes: [0, 2] }), min: p(lax.reduceMin, { axes: [1] }), sum_all: p(lax.reduceSum, { axes: [0, 1, 2] }),
      argmax: p(lax.argmax, { axes: [1], index_dtype: 'int32' }), argmin: p(lax.argmin, { axes: [2], index_dtype: 'int32' }),
    }),
    args: [f32([2, 3, 4], signed)],
    axes: [[[0], 0], [[1], -1], [[2], 0], [[3], -1]],
    rtol: 1e-6,
  },
  {
    name: 'logical reductions',
    fn: ops({ and: p(lax.reduceAnd, { axes: [1] }), or: p(lax.reduceOr, { axes: [0] }), xor: p(lax.reduceXor, { axes: [0, 1] }) }),
    args: [i32([3, 4], (k) => (k * 2654435761) % 256)],
    axes: [[[0], 0], [[1], -1], [[2], 0]],
  },
  {
    name: 'dot_general',
    fn: ops({
      matmul: (a, b) => lax.dotGeneral.bind1([a, b], { dimension_numbers: [[[1], [0]], [[], []]] }),
      matmul_t: (a, b) => lax.dotGeneral.bind1([b, a], { dimension_numbers: [[[0], [1]], [[], []]] }),
      outer: (a, b) => lax.dotGeneral.bind1([a, b], { dimension_numbers: [[[], []], [[], []]] }),
      contract2: (a) => lax.dotGeneral.bind1([a, a], { dimension_numbers: [[[0, 1], [0, 1]], [[], []]] }),
    }),
    args: [f32([2, 3]), f32([3, 4])],
    axes: [[[0, 0], 0], [[1, null], -1], [[null, 2], -1], [[2, 1], 0], [[null, 0], 0]],
    rtol: 1e-6,
  },
  {
    name: 'dot_general with batch dimensions',
    fn: ops({
      bmm: (a, b) => lax.dotGeneral.bind1([a, b], { dimension_numbers: [[[2], [1]], [[0], [0]]] }),
      bmm_mixed: (a, b) => lax.dotGeneral.bind1([b, a], { dimension_numbers: [[[1], [2]], [[0], [0]]] }),
      preferred: (a, b) => lax.dotGeneral.bind1([a, b], { dimension_numbers: [[[2], [1]], [[0], [0]]], preferred_element_type: 'float32' }),
    }),
    args: [f32([2, 3, 4]), f32([2, 4, 5])],
    axes: [[[0, 0], 0], [[3, null], 1], [[null, 1], -1], [[2, 3], 2]],
    rtol: 1e-6,
  },
  {
    name: 'pjit (jit inside vmap)',
    fn: ops({
      jitted: jit((a: Array, b: Array) => lax.tanh.bind1([lax.dotGeneral.bind1([a, b], { dimension_numbers: [[[1], [0]], [[], []]] })])),
      jitted_unbatched_out: jit((a: Array, _b: Array) => lax.reduceSum.bind1([a], { axes: [0] })),
    }),
    args: [f32([2, 3]), f32([3, 4])],
    axes: [[[0, 1], 0], [[null, 2], 1], [[1, null], -1]],
    rtol: 1e-6,
  },
];

describeFamilies(FAMILIES);

test('iota has no operands, so it is never batched; under vmap it broadcasts with the rest', () => {
  const io = () => lax.iota.bind1([], { dtype: 'int32', shape: [4], dimension: 0 });
  expect(vmap(io, { axisSize: 2 })().tolistSync()).toEqual([[0, 1, 2, 3], [0, 1, 2, 3]]);
  const f = (x: Array) => lax.add.bind1([x, io()]);
  expect(vmap(f, { inAxes: 1 })(jnp.array([[10, 20], [30, 40], [50, 60], [70, 80]])).tolistSync()).toEqual([[10, 31, 52, 73], [20, 41, 62, 83]]);
});

test('a primitive without a batching rule names itself', () => {
  const noRule = new Primitive('no_batch_rule', { abstractEval: ([x]) => [x!], lower: (_c, [x]) => [x!] });
  expect(() => vmap((x: Array) => noRule.bind1([x]))(jnp.ones([2]))).toThrow("Batching rule for 'no_batch_rule' not implemented");
  // Unbatched operands need no rule: the primitive runs once, and its result is broadcast.
  expect(vmap((x: Array) => noRule.bind1([jnp.ones([2])]).add(x))(jnp.zeros([3, 2])).shape).toEqual([3, 2]);
});

describe('coverage', () => {
  const modules = { ...elementwiseModule, ...convertModule, ...shapeModule, ...reduceModule, ...dotModule, ...stopGradientModule };
  const exported = [...Object.values(modules).filter((v): v is Primitive => v instanceof Primitive), pjit];

  test('every primitive with operands has a batching rule (iota has none: it has no operands)', () => {
    expect(exported.filter((prim) => !prim.rules.batch).map((prim) => prim.name)).toEqual(['iota']);
  });

  test('every primitive is exercised by a family above', () => {
    const covered = new Set(FAMILIES.flatMap((f) => primitivesOf(f.fn, f.args)));
    expect(exported.map((prim) => prim.name).filter((name) => name !== 'iota' && !covered.has(name))).toEqual([]);
  });
});
