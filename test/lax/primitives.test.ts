// The acceptance harness of issue 3 for the primitives of lib/lax/{elementwise,convert,shape,
// reduce,dot}.ts. For every primitive and each dtype it supports:
//   - the eager result has the expected dtype, shape and values: exact for exact operations
//     (hand-computed, with XLA's integer semantics: wrapping, x / 0 == -1, x % 0 == x), and for
//     transcendental functions Math.* (or a tabulated value) within a relative tolerance;
//   - the same computations under one `jit` per dtype give the same bits as the eager ones;
//   - bad dtypes and shapes raise errors naming the op (one of each per family, below).
// Where a lowering is op for op JAX's (all but those listed in KNOWN DIFFERENCES below), XLA's
// CPU kernels are the ones JAX runs, so these bits are JAX's bits. Known bugs are `test.failing`
// with the JAX behaviour as the expectation: they start passing, and so fail, once fixed.
import { config, jit, lax, numpy as jnp, type Array } from '../../lib/index.js';
import type { DType } from '../../lib/core/dtypes.js';
import { Primitive, type Params } from '../../lib/core/primitive.js';
import * as convertModule from '../../lib/lax/convert.js';
import * as dotModule from '../../lib/lax/dot.js';
import * as elementwiseModule from '../../lib/lax/elementwise.js';
import * as reduceModule from '../../lib/lax/reduce.js';
import * as shapeModule from '../../lib/lax/shape.js';

// KNOWN DIFFERENCES from JAX 0.11's lowerings (values agree on the inputs below; bits may not):
// logistic lowers to stablehlo.logistic (JAX: 1 / (1 + exp(-x)) on CPU); sin/cos of complex
// lower to stablehlo.sine/cosine (JAX: its own expm1-based formula); tan lowers to chlo.tan
// (JAX: stablehlo.tan); square of floats lowers to multiply (JAX: chlo.square, the same for reals).

type Scalar = number | boolean | bigint;

interface Case {
  name: string;
  prim: Primitive;
  args: Array[];
  params?: Params;
  /** Flat expected values (complex: re, im interleaved); with `rtol`, approximately. */
  expected: Scalar[];
  rtol?: number;
  dtype?: DType;
  shape?: number[];
  /** A known bug: the case describes JAX's behaviour and runs as test.failing. */
  bug?: string;
}

// ---- inputs and readback ----

const A = (dtype: DType, values: Scalar | Scalar[] | Scalar[][], shape?: number[]): Array => {
  const x = jnp.array(values as number[], { dtype });
  return shape ? x.reshape(shape) : x;
};
const f32 = (...v: number[]) => A('float32', v);
const f64 = (...v: number[]) => A('float64', v);
const i32 = (...v: number[]) => A('int32', v);
const u8 = (...v: number[]) => A('uint8', v);
const bf16 = (...v: number[]) => A('bfloat16', v);
const f16 = (...v: number[]) => A('float16', v);
const bool = (...v: boolean[]) => A('bool', v);
/** Complex from [re, im] pairs. */
const C = (dtype: 'complex64' | 'complex128', ...pairs: [number, number][]): Array => {
  const part = dtype === 'complex64' ? 'float32' : 'float64';
  return lax.complex.bind1([A(part, pairs.map((p) => p[0])), A(part, pairs.map((p) => p[1]))]);
};

function valuesOf(x: Array): Scalar[] {
  const data = x.dataSync();
  return x.dtype === 'bool' ? [...data].map((v) => v !== 0) : [...(data as Iterable<Scalar>)];
}

const bytesOf = (x: Array): Buffer => {
  const d = x.dataSync();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};

/** |got - expected| <= rtol * |expected| (rtol itself around zero); NaNs and infinities exactly. */
function expectClose(got: Scalar[], expected: Scalar[], rtol: number): void {
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => {
    const [a, e] = [Number(g), Number(expected[i])];
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(a).toBe(e);
    else if (Math.abs(a - e) > rtol * Math.max(Math.abs(e), 1e-30) && !(e === 0 && Math.abs(a) <= rtol)) {
      throw new Error(`element ${i}: got ${a}, expected ${e} within relative ${rtol}`);
    }
  });
}

function checkValues(c: Case, out: Array): void {
  expect(out.dtype).toBe(c.dtype ?? c.args[0]!.dtype);
  expect(out.shape).toEqual(c.shape ?? c.args[0]!.shape);
  if (c.rtol === undefined) expect(valuesOf(out)).toEqual(c.expected);
  else expectClose(valuesOf(out), c.expected, c.rtol);
}

// ---- case builders ----

// XLA's CPU default is xla_cpu_enable_fast_min_max=true (max(1, NaN) = 1, reduce_max skips NaN,
// clamp(0, NaN, 1) = 0); JAX's CompileOptions, and jaxts', set it and xla_gpu_enable_fast_min_max to false.

const fr = Math.fround;
const F32_RTOL = 1e-6;
const F64_RTOL = 1e-13;

/** The same primitive on the same inputs, with the expected values. */
const cse = (name: string, prim: Primitive, args: Array[], expected: Scalar[], more: Partial<Case> = {}): Case => ({ name, prim, args, expected, ...more });

// Transcendental functions against Math.* (or tabulated values, where JS has no function).
/** A function given by its values at a few points (looked up by the nearest tabulated x). */
const table = (points: [number, number][]) => (x: number): number => points.find(([k]) => Math.abs(k - x) < 1e-6)![1];
const ERF: [number, number][] = [[-2, -0.9953222650189527], [0.5, 0.5204998778130465], [1, 0.8427007929497149]];
const erf = table(ERF);
const erfc = table(ERF.map(([x, y]) => [x, 1 - y]));
const erfInv = table([[-0.9, -1.1630871536766743], [0.25, 0.2253120550121781], [0.5, 0.4769362762044699]]);
const lgamma = table([[0.5, 0.5723649429247001], [3, Math.LN2], [10, Math.log(362880)]]);
const digamma = table([[0.5, -1.9635100260214235], [1, -0.5772156649015329], [2, 0.42278433509846713]]);
const WIDE = [-2.5, -0.75, 0.5, 1.25, 3];
const UNIT = [-0.9, -0.25, 0.5, 0.75];
const POSITIVE = [0.25, 1, 2.5, 100];
const MATH: [string, Primitive, (x: number) => number, number[]][] = [
  ['exp', lax.exp, Math.exp, WIDE],
  ['exp2', lax.exp2, (x) => 2 ** x, WIDE],
  ['expm1', lax.expm1, Math.expm1, WIDE],
  ['log', lax.log, Math.log, POSITIVE],
  ['log1p', lax.log1p, Math.log1p, POSITIVE],
  ['tanh', lax.tanh, Math.tanh, WIDE],
  ['logistic', lax.logistic, (x) => 1 / (1 + Math.exp(-x)), WIDE],
  ['sin', lax.sin, Math.sin, WIDE],
  ['cos', lax.cos, Math.cos, WIDE],
  ['tan', lax.tan, Math.tan, WIDE],
  ['asin', lax.asin, Math.asin, UNIT],
  ['acos', lax.acos, Math.acos, UNIT],
  ['atan', lax.atan, Math.atan, WIDE],
  ['sinh', lax.sinh, Math.sinh, WIDE],
  ['cosh', lax.cosh, Math.cosh, WIDE],
  ['asinh', lax.asinh, Math.asinh, WIDE],
  ['acosh', lax.acosh, Math.acosh, [1.5, 3, 10]],
  ['atanh', lax.atanh, Math.atanh, UNIT],
  ['sqrt', lax.sqrt, Math.sqrt, POSITIVE],
  ['rsqrt', lax.rsqrt, (x) => 1 / Math.sqrt(x), POSITIVE],
  ['cbrt', lax.cbrt, Math.cbrt, WIDE],
  ['erf', lax.erf, erf, [-2, 0.5, 1]],
  ['erfc', lax.erfc, erfc, [-2, 0.5, 1]],
  ['erf_inv', lax.erfInv, erfInv, [-0.9, 0.25, 0.5]],
  ['lgamma', lax.lgamma, lgamma, [0.5, 3, 10]],
  ['digamma', lax.digamma, digamma, [0.5, 1, 2]],
];

function transcendental(dtype: 'float32' | 'float64'): Case[] {
  const round = dtype === 'float32' ? fr : (x: number) => x;
  const rtol = dtype === 'float32' ? F32_RTOL : F64_RTOL;
  const cases = MATH.map(([name, prim, f, xs]) => cse(name, prim, [A(dtype, xs)], xs.map((x) => f(round(x))), { rtol }));
  cases.push(
    cse('pow', lax.pow, [A(dtype, [2, 0.5, 9]), A(dtype, [10, 3, 0.5])], [1024, 0.125, 3], { rtol }),
    cse('atan2', lax.atan2, [A(dtype, [1, -1, 0.5]), A(dtype, [1, -2, -3])], [Math.PI / 4, Math.atan2(-1, -2), Math.atan2(0.5, -3)], { rtol }),
    // scipy.special.polygamma([0, 1, 2, 3], [0.5, 2, 3, 1.5]) and scipy.special.zeta([2, 3, 4, 1.5], [1, 2, 0.5, 3])
    cse('polygamma', lax.polygamma, [A(dtype, [0, 1, 2, 3]), A(dtype, [0.5, 2, 3, 1.5])], [-1.9635100260214235, 0.6449340668482266, -0.15411380631918856, 1.4090910340024367], { rtol }),
    cse('zeta', lax.zeta, [A(dtype, [2, 3, 4, 1.5]), A(dtype, [1, 2, 0.5, 3])], [1.6449340668482266, 0.2020569031595943, 16.23484850566707, 1.2588219580922144], { rtol }),
  );
  return cases;
}

/** Exact floating-point cases, shared by float32 and float64. */
function exactFloat(dtype: 'float32' | 'float64'): Case[] {
  const x = (...v: number[]) => A(dtype, v);
  const s = [-2.5, -0, 0, 1.5, NaN];
  const eps = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
  const tiny = dtype === 'float32' ? 2 ** -149 : 2 ** -1074;
  return [
    cse('neg', lax.neg, [x(...s, -Infinity)], [2.5, 0, -0, -1.5, NaN, Infinity]),
    cse('sign', lax.sign, [x(...s, -Infinity)], [-1, -0, 0, 1, NaN, -1]),
    cse('floor', lax.floor, [x(-2.5, -0.5, 0.5, 2.5, -0)], [-3, -1, 0, 2, -0]),
    cse('ceil', lax.ceil, [x(-2.5, -0.5, 0.5, 2.5, -0)], [-2, -0, 1, 3, -0]),
    cse('round (away from zero)', lax.round, [x(-2.5, -0.5, 0.5, 1.5, 2.5)], [-3, -1, 1, 2, 3], { params: { rounding_method: 0 } }),
    cse('round (to nearest even)', lax.round, [x(-2.5, -0.5, 0.5, 1.5, 2.5)], [-2, -0, 0, 2, 2], { params: { rounding_method: 1 } }),
    cse('is_finite', lax.isFinite, [x(1, Infinity, -Infinity, NaN, -0)], [true, false, false, false, true], { dtype: 'bool' }),
    cse('abs', lax.abs, [x(-2.5, -0, 3, -Infinity, NaN)], [2.5, 0, 3, Infinity, NaN]),
    cse('square', lax.square, [x(-3, 0.5, 1e20, NaN)], [9, 0.25, dtype === 'float32' ? Infinity : 1e20 * 1e20, NaN]),
    cse('exp (special values)', lax.exp, [x(-Infinity, 0, Infinity, NaN)], [0, 1, Infinity, NaN]),
    cse('log (special values)', lax.log, [x(0, 1, -1, Infinity)], [-Infinity, 0, NaN, Infinity]),
    cse('sqrt (special values)', lax.sqrt, [x(-0, 4, -1, Infinity)], [-0, 2, NaN, Infinity]),
    cse('integer_pow y=3', lax.integerPow, [x(-2, 0.5, 3)], [-8, 0.125, 27], { params: { y: 3 } }),
    cse('integer_pow y=-2', lax.integerPow, [x(-2, 0.5, 0)], [0.25, 4, Infinity], { params: { y: -2 } }),
    cse('integer_pow y=0', lax.integerPow, [x(-2, NaN, 0)], [1, 1, 1], { params: { y: 0 } }),
    cse('add', lax.add, [x(1.5, -0, Infinity, 1), x(2.25, 0, -Infinity, eps)], [3.75, 0, NaN, 1 + eps]),
    cse('sub', lax.sub, [x(1.5, 0, Infinity), x(2.25, 0, Infinity)], [-0.75, 0, NaN]),
    cse('mul', lax.mul, [x(1.5, -0, Infinity), x(-4, 3, 0)], [-6, -0, NaN]),
    cse('div', lax.div, [x(1, -1, 0, 7), x(0, 0, 0, 2)], [Infinity, -Infinity, NaN, 3.5]),
    cse('rem', lax.rem, [x(7.5, -7.5, 7.5, 1), x(2, 2, -2, 0)], [1.5, -1.5, 1.5, NaN]),
    // JAX compiles with xla_cpu_enable_fast_min_max=false: max/min propagate NaN from either side, max(-0, 0) = 0
    cse('max', lax.max, [x(1, -0, NaN, -Infinity, 1), x(2, 0, 1, 5, NaN)], [2, 0, NaN, 5, NaN]),
    cse('min', lax.min, [x(1, -0, NaN, -Infinity, 1), x(2, 0, 1, 5, NaN)], [1, -0, NaN, -Infinity, NaN]),
    cse('max (no NaN or signed zero)', lax.max, [x(1, -3, -Infinity), x(2, -4, 5)], [2, -3, 5]),
    cse('min (no NaN or signed zero)', lax.min, [x(1, -3, -Infinity), x(2, -4, 5)], [1, -4, -Infinity]),
    // JAX: digamma's poles give NaN (the plugin's chlo.digamma alone gives -inf at 0)
    cse('digamma (poles)', lax.digamma, [x(0, -0, -2, -Infinity)], [NaN, NaN, NaN, NaN]),
    // lax's implicit broadcasting (JAX's broadcasting_shape_rule): size-1 dimensions and rank-0 operands
    cse('add (broadcast [2,1] with [1,3])', lax.add, [x(1, 2).reshape([2, 1]), x(10, 20, 30).reshape([1, 3])], [11, 21, 31, 12, 22, 32], { shape: [2, 3] }),
    cse('mul (rank-0 operand)', lax.mul, [A(dtype, 2), x(1, -3, 0.5)], [2, -6, 1], { shape: [3] }),
    cse('lt (broadcast [1,2] with [2,1])', lax.lt, [x(1, 2).reshape([1, 2]), x(1.5, 0).reshape([2, 1])], [true, false, false, false], { dtype: 'bool', shape: [2, 2] }),
    cse('nextafter', lax.nextafter, [x(1, 0, 1, 2), x(2, 1, 0, 2)], [1 + eps, tiny, 1 - eps / 2, 2]),
    ...comparisons(x(1, NaN, -0, 2), x(1, NaN, 0, -3), [[true, false, true, false], [false, true, false, true], [false, false, false, false], [true, false, true, false], [false, false, false, true], [true, false, true, true]]),
    cse('select_n (bool which)', lax.selectN, [bool(true, false, true), x(1, 2, 3), x(-1, -2, -3)], [-1, 2, -3], { dtype, shape: [3] }),
    cse('clamp', lax.clamp, [x(0, 0, 0), x(-1, 0.5, 2), x(1, 1, 1)], [0, 0.5, 1], { dtype, shape: [3] }),
    cse('clamp (NaN passes through)', lax.clamp, [x(0, 0), x(NaN, -0), x(1, 1)], [NaN, 0], { dtype, shape: [2] }),
    cse('clamp (scalar bounds)', lax.clamp, [A(dtype, 0), x(-1, 0.5, 7), A(dtype, 1)], [0, 0.5, 1], { dtype, shape: [3] }),
  ];
}

const COMPARISONS: [string, Primitive][] = [['eq', lax.eq], ['ne', lax.ne], ['lt', lax.lt], ['le', lax.le], ['gt', lax.gt], ['ge', lax.ge]];
/** eq ne lt le gt ge of x and y, with their six expected results. */
const comparisons = (x: Array, y: Array, expected: boolean[][], only = COMPARISONS): Case[] =>
  only.map(([name, prim]) => cse(name, prim, [x, y], expected[COMPARISONS.findIndex((c) => c[0] === name)]!, { dtype: 'bool' }));

/** Reductions over axis 1 of a 2x3 matrix, and the shape/type ops, for one dtype. */
function structural(dtype: DType, v: Scalar[], rows: { sum?: Scalar[]; prod?: Scalar[]; max: Scalar[]; min: Scalar[]; argmax: number[]; argmin: number[] }): Case[] {
  const m = A(dtype, v).reshape([2, 3]);
  const out: Case[] = [
    cse('reduce_max', lax.reduceMax, [m], rows.max, { params: { axes: [1] }, shape: [2] }),
    cse('reduce_min', lax.reduceMin, [m], rows.min, { params: { axes: [1] }, shape: [2] }),
    cse('argmax', lax.argmax, [m], rows.argmax, { params: { axes: [1], index_dtype: 'int32' }, shape: [2], dtype: 'int32' }),
    cse('argmin', lax.argmin, [m], rows.argmin, { params: { axes: [1], index_dtype: 'int32' }, shape: [2], dtype: 'int32' }),
    cse('broadcast_in_dim', lax.broadcastInDim, [m], [...v.slice(0, 3), ...v.slice(0, 3), ...v.slice(3), ...v.slice(3)], { params: { shape: [2, 2, 3], broadcast_dimensions: [0, 2] }, shape: [2, 2, 3] }),
    cse('reshape', lax.reshape, [m], v, { params: { new_sizes: [3, 2] }, shape: [3, 2] }),
    cse('reshape (dimensions: transposed first)', lax.reshape, [m], [v[0]!, v[3]!, v[1]!, v[4]!, v[2]!, v[5]!], { params: { new_sizes: [6], dimensions: [1, 0] }, shape: [6] }),
    cse('transpose', lax.transpose, [m], [v[0]!, v[3]!, v[1]!, v[4]!, v[2]!, v[5]!], { params: { permutation: [1, 0] }, shape: [3, 2] }),
    cse('squeeze', lax.squeeze, [A(dtype, v).reshape([1, 6, 1])], v, { params: { dimensions: [0, 2] }, shape: [6] }),
    cse('rev', lax.rev, [m], [v[2]!, v[1]!, v[0]!, v[5]!, v[4]!, v[3]!], { params: { dimensions: [1] } }),
  ];
  if (rows.sum) out.push(cse('reduce_sum', lax.reduceSum, [m], rows.sum, { params: { axes: [1] }, shape: [2] }));
  if (rows.prod) out.push(cse('reduce_prod', lax.reduceProd, [m], rows.prod, { params: { axes: [1] }, shape: [2] }));
  return out;
}

/** and / or / xor / not over integer or bool values. */
function bitwise(dtype: DType, x: Scalar[], y: Scalar[], and: Scalar[], or: Scalar[], xor: Scalar[], not: Scalar[]): Case[] {
  const [a, b] = [A(dtype, x), A(dtype, y)];
  return [cse('and', lax.and, [a, b], and), cse('or', lax.or, [a, b], or), cse('xor', lax.xor, [a, b], xor), cse('not', lax.not, [a], not)];
}

/** dot_general of [[1, 2, 3], [4, 5, 6]] with [[1, 0], [2, 1], [0, 3]] (a matmul). */
const matmul = (dtype: DType, expected: Scalar[]): Case =>
  cse('dot_general', lax.dotGeneral, [A(dtype, [[1, 2, 3], [4, 5, 6]]), A(dtype, [[1, 0], [2, 1], [0, 3]])], expected, {
    params: { dimension_numbers: [[[1], [0]], [[], []]], preferred_element_type: null }, shape: [2, 2],
  });

// ---- the groups: one jit per group ----

interface Group {
  name: string;
  x64?: boolean;
  cases: () => Case[];
}

const GROUPS: Group[] = [
  {
    name: 'float32',
    cases: () => [
      ...transcendental('float32'),
      // JAX-derived: jnp.expm1([1e-4, 1e-6, 2e-10]) prints [1.0000500e-04, 1.0000005e-06, 2.0000000e-10]
      cse('expm1 (JAX docs)', lax.expm1, [f32(1e-4, 1e-6, 2e-10)], [fr(1.00005e-4), fr(1.0000005e-6), fr(2e-10)]),
      ...exactFloat('float32'),
      cse('atan2 (signed zeros)', lax.atan2, [f32(0, -0, 0, -0), f32(1, 1, -1, -1)], [0, -0, fr(Math.PI), -fr(Math.PI)]),
      cse('complex', lax.complex, [f32(1, -0), f32(2, 3)], [1, 2, -0, 3], { dtype: 'complex64' }),
      cse('convert f32→i32 (toward zero; NaN→0, saturating)', lax.convertElementType, [f32(-1.5, 2.7, NaN, 3e9)], [-1, 2, 0, 2147483647], { params: { new_dtype: 'int32', weak_type: false }, dtype: 'int32' }),
      cse('convert f32→u8 (saturating)', lax.convertElementType, [f32(-1.5, 2.7, 300)], [0, 2, 255], { params: { new_dtype: 'uint8', weak_type: false }, dtype: 'uint8' }),
      cse('convert f32→bool (x != 0)', lax.convertElementType, [f32(0, -0, 0.5, NaN)], [false, false, true, true], { params: { new_dtype: 'bool', weak_type: false }, dtype: 'bool' }),
      cse('convert f32→bf16 (to nearest even)', lax.convertElementType, [f32(1.00390625, 1.01171875, 3.4e38)], [1, 1.015625, Infinity], { params: { new_dtype: 'bfloat16', weak_type: false }, dtype: 'bfloat16' }),
      cse('convert f32→f16', lax.convertElementType, [f32(1 / 3, 65520, -0)], [0.333251953125, Infinity, -0], { params: { new_dtype: 'float16', weak_type: false }, dtype: 'float16' }),
      cse('convert f32→c64', lax.convertElementType, [f32(1.5, -2)], [1.5, 0, -2, 0], { params: { new_dtype: 'complex64', weak_type: false }, dtype: 'complex64' }),
      cse('bitcast_convert_type f32→i32', lax.bitcastConvertType, [f32(1, -2, -0)], [0x3f800000, -0x40000000, -0x80000000], { params: { new_dtype: 'int32' }, dtype: 'int32' }),
      cse('bitcast_convert_type f32→u8[4]', lax.bitcastConvertType, [f32(1)], [0, 0, 0x80, 0x3f], { params: { new_dtype: 'uint8' }, dtype: 'uint8', shape: [1, 4] }),
      cse('iota f32', lax.iota, [], [0, 0, 0, 1, 1, 1], { params: { dtype: 'float32', shape: [2, 3], dimension: 0 }, dtype: 'float32', shape: [2, 3] }),
      ...structural('float32', [1.5, 0.5, -2, 4, 4, -Infinity], {
        sum: [0, 8 - Infinity], prod: [-1.5, -Infinity], max: [1.5, 4], min: [-2, -Infinity], argmax: [0, 0], argmin: [2, 2],
      }),
      // NaN: reductions give NaN; argmax/argmin pick the first NaN, as JAX's
      cse('reduce_max (NaN)', lax.reduceMax, [f32(1.5, NaN, -2)], [NaN], { params: { axes: [0] }, shape: [] }),
      cse('reduce_min (NaN)', lax.reduceMin, [f32(1.5, NaN, -2)], [NaN], { params: { axes: [0] }, shape: [] }),
      cse('reduce_sum (NaN)', lax.reduceSum, [f32(1.5, NaN, -2)], [NaN], { params: { axes: [0] }, shape: [] }),
      cse('argmax (NaN)', lax.argmax, [f32(1.5, NaN, 7, NaN)], [1], { params: { axes: [0], index_dtype: 'int32' }, shape: [], dtype: 'int32' }),
      cse('argmin (NaN)', lax.argmin, [f32(1.5, -7, NaN)], [2], { params: { axes: [0], index_dtype: 'int32' }, shape: [], dtype: 'int32' }),
      matmul('float32', [5, 11, 14, 23]),
      cse('dot_general (batch dims)', lax.dotGeneral, [f32(1, 2, 3, 4).reshape([2, 1, 2]), f32(5, 6, 7, 8).reshape([2, 2, 1])], [17, 53], {
        params: { dimension_numbers: [[[2], [1]], [[0], [0]]], preferred_element_type: null }, shape: [2, 1, 1],
      }),
    ],
  },
  {
    name: 'float64 (x64)',
    x64: true,
    cases: () => [
      ...transcendental('float64'),
      ...exactFloat('float64'),
      cse('convert f64→f32 (rounding)', lax.convertElementType, [f64(0.1, 1e300)], [fr(0.1), Infinity], { params: { new_dtype: 'float32', weak_type: false }, dtype: 'float32' }),
      cse('convert f64→i64', lax.convertElementType, [f64(-2.5, 2 ** 53)], [-2n, 2n ** 53n], { params: { new_dtype: 'int64', weak_type: false }, dtype: 'int64' }),
      cse('bitcast_convert_type f64→i64', lax.bitcastConvertType, [f64(1)], [0x3ff0000000000000n], { params: { new_dtype: 'int64' }, dtype: 'int64' }),
      ...structural('float64', [0.5, 0.25, 0.125, 1e308, 1e308, -1], { sum: [0.875, Infinity], prod: [0.015625, -Infinity], max: [0.5, 1e308], min: [0.125, -1], argmax: [0, 0], argmin: [2, 2] }),
      matmul('float64', [5, 11, 14, 23]),
    ],
  },
  {
    name: 'int32',
    cases: () => {
      const MAX = 2147483647;
      const MIN = -2147483648;
      return [
        cse('neg (wraps)', lax.neg, [i32(5, -7, MIN)], [-5, 7, MIN]),
        cse('sign', lax.sign, [i32(-5, 0, 7)], [-1, 0, 1]),
        cse('abs (wraps)', lax.abs, [i32(-5, 0, MIN)], [5, 0, MIN]),
        cse('square', lax.square, [i32(-3, 46341, 7)], [9, -2147479015, 49]),
        cse('integer_pow y=5', lax.integerPow, [i32(-2, 3, 0)], [-32, 243, 0], { params: { y: 5 } }),
        cse('add (wraps)', lax.add, [i32(MAX, -1, 5), i32(1, 1, -7)], [MIN, 0, -2]),
        cse('sub (wraps)', lax.sub, [i32(MIN, 5), i32(1, 7)], [MAX, -2]),
        cse('mul (wraps)', lax.mul, [i32(65536, -3, MAX), i32(65536, 4, 2)], [0, -12, -2]),
        cse('div (toward zero; x/0 = -1; MIN/-1 = MIN)', lax.div, [i32(7, -7, 7, MIN), i32(2, 2, 0, -1)], [3, -3, -1, MIN]),
        cse('rem (sign of x; x%0 = x)', lax.rem, [i32(7, -7, 7, MIN), i32(2, 2, 0, -1)], [1, -1, 7, 0]),
        cse('max', lax.max, [i32(MIN, 3), i32(0, -3)], [0, 3]),
        cse('min', lax.min, [i32(MIN, 3), i32(0, -3)], [MIN, -3]),
        ...bitwise('int32', [12, -1, 0], [10, 5, 0], [8, 5, 0], [14, -1, 0], [6, -6, 0], [-13, 0, -1]),
        cse('shift_left (>= 32 gives 0)', lax.shiftLeft, [i32(1, 1, 1, 3), i32(31, 32, 40, 2)], [MIN, 0, 0, 12]),
        cse('shift_right_arithmetic', lax.shiftRightArithmetic, [i32(-8, -8, 8, 8), i32(1, 40, 32, 2)], [-4, -1, 0, 2]),
        cse('shift_right_logical', lax.shiftRightLogical, [i32(-8, -8, 8), i32(1, 40, 32)], [2147483644, 0, 0]),
        ...comparisons(i32(1, MIN, 5), i32(1, MAX, -5), [[true, false, false], [false, true, true], [false, true, false], [true, true, false], [false, false, true], [true, false, true]]),
        cse('select_n (int32 which, 3 cases)', lax.selectN, [i32(0, 1, 2), i32(1, 1, 1), i32(2, 2, 2), i32(3, 3, 3)], [1, 2, 3]),
        cse('select_n (scalar which)', lax.selectN, [A('bool', true), i32(1, 2), i32(3, 4)], [3, 4], { dtype: 'int32', shape: [2] }),
        cse('clamp', lax.clamp, [i32(0, 0, 0), i32(-1, 5, 11), i32(10, 10, 10)], [0, 5, 10], { dtype: 'int32', shape: [3] }),
        cse('convert i32→f32 (rounds)', lax.convertElementType, [i32(16777217, -3)], [16777216, -3], { params: { new_dtype: 'float32', weak_type: false }, dtype: 'float32' }),
        cse('convert i32→u8 (wraps)', lax.convertElementType, [i32(-1, 300)], [255, 44], { params: { new_dtype: 'uint8', weak_type: false }, dtype: 'uint8' }),
        cse('convert i32→bool', lax.convertElementType, [i32(0, -2, 256)], [false, true, true], { params: { new_dtype: 'bool', weak_type: false }, dtype: 'bool' }),
        cse('bitcast_convert_type i32→f32', lax.bitcastConvertType, [i32(0x3f800000, -0x80000000)], [1, -0], { params: { new_dtype: 'float32' }, dtype: 'float32' }),
        cse('iota i32', lax.iota, [], [0, 1, 2, 0, 1, 2], { params: { dtype: 'int32', shape: [2, 3], dimension: 1 }, dtype: 'int32', shape: [2, 3] }),
        ...structural('int32', [3, -1, 3, MAX, 1, MIN], { sum: [5, 0], prod: [-9, MIN], max: [3, MAX], min: [-1, MIN], argmax: [0, 0], argmin: [1, 2] }),
        cse('reduce_and', lax.reduceAnd, [i32(12, 10, -1)], [8], { params: { axes: [0] }, shape: [] }),
        cse('reduce_or', lax.reduceOr, [i32(12, 10, 1)], [15], { params: { axes: [0] }, shape: [] }),
        cse('reduce_xor', lax.reduceXor, [i32(12, 10, 1)], [7], { params: { axes: [0] }, shape: [] }),
        matmul('int32', [5, 11, 14, 23]),
      ];
    },
  },
  {
    name: 'uint8',
    cases: () => [
      cse('neg (wraps)', lax.neg, [u8(0, 3, 255)], [0, 253, 1]),
      cse('sign', lax.sign, [u8(0, 3, 255)], [0, 1, 1]),
      cse('add (wraps)', lax.add, [u8(200, 1), u8(100, 2)], [44, 3]),
      cse('sub (wraps)', lax.sub, [u8(3, 9), u8(5, 2)], [254, 7]),
      cse('mul (wraps)', lax.mul, [u8(16, 3), u8(16, 5)], [0, 15]),
      cse('div (x/0 = 255)', lax.div, [u8(7, 7), u8(2, 0)], [3, 255]),
      cse('rem (x%0 = x)', lax.rem, [u8(7, 7), u8(2, 0)], [1, 7]),
      cse('max', lax.max, [u8(0, 255), u8(1, 254)], [1, 255]),
      cse('min', lax.min, [u8(0, 255), u8(1, 254)], [0, 254]),
      cse('integer_pow y=2', lax.integerPow, [u8(3, 16)], [9, 0], { params: { y: 2 } }),
      ...bitwise('uint8', [12, 255, 0], [10, 5, 0], [8, 5, 0], [14, 255, 0], [6, 250, 0], [243, 0, 255]),
      cse('shift_left', lax.shiftLeft, [u8(1, 200, 1), u8(7, 1, 8)], [128, 144, 0]),
      cse('shift_right_logical', lax.shiftRightLogical, [u8(200, 200), u8(1, 8)], [100, 0]),
      cse('shift_right_arithmetic (sign-extends the top bit)', lax.shiftRightArithmetic, [u8(200, 7, 128), u8(1, 1, 7)], [228, 3, 255]),
      ...comparisons(u8(0, 255, 7), u8(255, 0, 7), [[false, false, true], [true, true, false], [true, false, false], [true, false, true], [false, true, false], [false, true, true]]),
      cse('convert u8→i32', lax.convertElementType, [u8(255, 0)], [255, 0], { params: { new_dtype: 'int32', weak_type: false }, dtype: 'int32' }),
      cse('bitcast_convert_type u8[4]→f32', lax.bitcastConvertType, [A('uint8', [[0, 0, 0x80, 0x3f]])], [1], { params: { new_dtype: 'float32' }, dtype: 'float32', shape: [1] }),
      ...structural('uint8', [200, 100, 1, 0, 255, 7], { sum: [45, 6], prod: [32, 0], max: [200, 255], min: [1, 0], argmax: [0, 1], argmin: [2, 0] }),
      cse('reduce_and', lax.reduceAnd, [u8(12, 10, 255)], [8], { params: { axes: [0] }, shape: [] }),
      cse('reduce_or', lax.reduceOr, [u8(12, 10, 1)], [15], { params: { axes: [0] }, shape: [] }),
      cse('reduce_xor', lax.reduceXor, [u8(12, 10, 1)], [7], { params: { axes: [0] }, shape: [] }),
      matmul('uint8', [5, 11, 14, 23]),
      cse('dot_general (wraps)', lax.dotGeneral, [A('uint8', [[200, 100]]), A('uint8', [[2], [1]])], [244], { params: { dimension_numbers: [[[1], [0]], [[], []]], preferred_element_type: null }, shape: [1, 1] }),
    ],
  },
  {
    name: 'bool',
    cases: () => [
      ...bitwise('bool', [true, true, false], [true, false, false], [true, false, false], [true, true, false], [false, true, false], [false, false, true]),
      cse('max', lax.max, [bool(true, false), bool(false, false)], [true, false]),
      cse('min', lax.min, [bool(true, false), bool(true, true)], [true, false]),
      ...comparisons(bool(true, false, true), bool(false, false, true), [[false, true, true], [true, false, false], [false, false, false], [false, true, true], [true, false, false], [true, true, true]]),
      cse('select_n', lax.selectN, [bool(false, true), bool(true, true), bool(false, false)], [true, false]),
      cse('convert bool→f32', lax.convertElementType, [bool(true, false)], [1, 0], { params: { new_dtype: 'float32', weak_type: false }, dtype: 'float32' }),
      cse('convert bool→i32', lax.convertElementType, [bool(true, false)], [1, 0], { params: { new_dtype: 'int32', weak_type: false }, dtype: 'int32' }),
      ...structural('bool', [false, true, true, false, false, false], { max: [true, false], min: [false, false], argmax: [1, 0], argmin: [0, 0] }),
      cse('reduce_and', lax.reduceAnd, [A('bool', [[true, false], [true, true]])], [false, true], { params: { axes: [1] }, shape: [2] }),
      cse('reduce_or', lax.reduceOr, [A('bool', [[true, false], [false, false]])], [true, false], { params: { axes: [1] }, shape: [2] }),
      cse('reduce_xor', lax.reduceXor, [A('bool', [[true, true], [true, false]])], [false, true], { params: { axes: [1] }, shape: [2] }),
      cse('dot_general (or of ands)', lax.dotGeneral, [A('bool', [[true, false], [false, false]]), A('bool', [[false], [true]])], [false, false], { params: { dimension_numbers: [[[1], [0]], [[], []]], preferred_element_type: null }, shape: [2, 1] }),
    ],
  },
  {
    name: 'bfloat16 and float16',
    cases: () => [
      cse('add bf16', lax.add, [bf16(1.5, 256), bf16(2.25, 1)], [3.75, 256]),
      cse('mul bf16', lax.mul, [bf16(1.5, -3), bf16(-2, 0.5)], [-3, -1.5]),
      cse('neg bf16', lax.neg, [bf16(1.5, 0)], [-1.5, -0]),
      cse('floor bf16', lax.floor, [bf16(-1.5, 2.5)], [-2, 2]),
      cse('max bf16', lax.max, [bf16(1, -3), bf16(2, 0)], [2, 0]),
      cse('lt bf16', lax.lt, [bf16(1, 2), bf16(2, 2)], [true, false], { dtype: 'bool' }),
      cse('exp bf16', lax.exp, [bf16(0, 1)], [1, 2.71875]),
      cse('convert bf16→f32', lax.convertElementType, [bf16(1.015625)], [1.015625], { params: { new_dtype: 'float32', weak_type: false }, dtype: 'float32' }),
      cse('reduce_sum bf16', lax.reduceSum, [bf16(1.5, 2.25, 4)], [7.75], { params: { axes: [0] }, shape: [] }),
      // JAX: x != 0 is true for a subnormal (0x0001); -0 (0x8000) is false, NaN (0x7fc0) true
      cse('convert bf16→bool (subnormals are nonzero)', lax.convertElementType, [lax.bitcastConvertType.bind1([A('uint16', [1, 0, 0x8000, 0x7fc0, 0x8001])], { new_dtype: 'bfloat16' })], [true, false, false, true, true], {
        params: { new_dtype: 'bool', weak_type: false }, dtype: 'bool',
      }),
      // JAX: mixed operand dtypes give the wider one (XLA's HigherPrecisionType): f32 x bf16 → f32
      cse('dot_general f32 x bf16', lax.dotGeneral, [A('float32', [[1.5, 2]]), A('bfloat16', [[2], [0.25]])], [3.5], { params: { dimension_numbers: [[[1], [0]], [[], []]], preferred_element_type: null }, shape: [1, 1], dtype: 'float32' }),
      cse('dot_general bf16', lax.dotGeneral, [A('bfloat16', [[1.5, 2]]), A('bfloat16', [[2], [0.25]])], [3.5], { params: { dimension_numbers: [[[1], [0]], [[], []]], preferred_element_type: null }, shape: [1, 1] }),
      cse('add f16', lax.add, [f16(1.5, 65504), f16(2.25, 32)], [3.75, Infinity]),
      cse('sqrt f16', lax.sqrt, [f16(4, 2)], [2, 1.4140625]),
      cse('convert f16→f32', lax.convertElementType, [f16(0.1)], [0.0999755859375], { params: { new_dtype: 'float32', weak_type: false }, dtype: 'float32' }),
    ],
  },
  {
    name: 'complex64',
    cases: () => {
      const z = () => C('complex64', [3, -4], [0, 1], [-1.5, 0]);
      const w = () => C('complex64', [1, 2], [0, 2], [2, -0.5]);
      const zs: [number, number][] = [[3, -4], [0, 1], [-1.5, 0]];
      const approx = (name: string, prim: Primitive, f: (re: number, im: number) => [number, number]) =>
        cse(name, prim, [z()], zs.flatMap(([re, im]) => f(re, im)), { rtol: F32_RTOL });
      return [
        cse('neg', lax.neg, [z()], [-3, 4, -0, -1, 1.5, -0]),
        cse('add', lax.add, [z(), w()], [4, -2, 0, 3, 0.5, -0.5]),
        cse('sub', lax.sub, [z(), w()], [2, -6, 0, -1, -3.5, 0.5]),
        cse('mul', lax.mul, [z(), w()], [11, 2, -2, 0, -3, 0.75]),
        cse('div', lax.div, [C('complex64', [11, 2], [4, 2]), C('complex64', [1, 2], [2, 0])], [3, -4, 2, 1]),
        cse('square', lax.square, [z()], [-7, -24, -1, 0, 2.25, -0]),
        cse('integer_pow y=2', lax.integerPow, [z()], [-7, -24, -1, 0, 2.25, -0], { params: { y: 2 } }),
        cse('abs', lax.abs, [z()], [5, 1, 1.5], { dtype: 'float32' }),
        cse('sign', lax.sign, [z()], [0.6, -0.8, 0, 1, -1, 0], { rtol: F32_RTOL }),
        cse('real', lax.real, [z()], [3, 0, -1.5], { dtype: 'float32' }),
        cse('imag', lax.imag, [z()], [-4, 1, 0], { dtype: 'float32' }),
        cse('conj', lax.conj, [z()], [3, 4, 0, -1, -1.5, -0]),
        cse('eq', lax.eq, [z(), C('complex64', [3, -4], [0, 2], [-1.5, 0])], [true, false, true], { dtype: 'bool' }),
        cse('ne', lax.ne, [z(), C('complex64', [3, -4], [0, 2], [-1.5, 0])], [false, true, false], { dtype: 'bool' }),
        approx('exp', lax.exp, (a, b) => [Math.exp(a) * Math.cos(b), Math.exp(a) * Math.sin(b)]),
        approx('log', lax.log, (a, b) => [Math.log(Math.hypot(a, b)), Math.atan2(b, a)]),
        approx('sqrt', lax.sqrt, (a, b) => {
          const r = Math.hypot(a, b);
          return [Math.sqrt((r + a) / 2), Math.sign(b || 1) * Math.sqrt((r - a) / 2)];
        }),
        approx('sin', lax.sin, (a, b) => [Math.sin(a) * Math.cosh(b), Math.cos(a) * Math.sinh(b)]),
        approx('cos', lax.cos, (a, b) => [Math.cos(a) * Math.cosh(b), -Math.sin(a) * Math.sinh(b)]),
        cse('convert c64→f32 (the real part)', lax.convertElementType, [z()], [3, 0, -1.5], { params: { new_dtype: 'float32', weak_type: false }, dtype: 'float32' }),
        cse('convert c64→bool (the real part != 0, as JAX)', lax.convertElementType, [z()], [true, false, true], {
          params: { new_dtype: 'bool', weak_type: false }, dtype: 'bool',
        }),
        // JAX: lexicographic (real part, then imaginary); a NaN real part compares false, so y wins
        cse('max (lexicographic, as JAX)', lax.max, [C('complex64', [0, 1], [1, 0], [2, -1], [NaN, 0]), C('complex64', [0, 2], [1, -1], [1, 5], [1, 0])], [0, 2, 1, 0, 2, -1, 1, 0]),
        cse('min (lexicographic, as JAX)', lax.min, [C('complex64', [0, 1], [1, 0], [2, -1], [NaN, 0]), C('complex64', [0, 2], [1, -1], [1, 5], [1, 0])], [0, 1, 1, -1, 1, 5, 1, 0]),
        cse('reduce_sum', lax.reduceSum, [z()], [1.5, -3], { params: { axes: [0] }, shape: [] }),
        cse('reduce_prod', lax.reduceProd, [C('complex64', [0, 1], [0, 1])], [-1, 0], { params: { axes: [0] }, shape: [] }),
        cse('dot_general', lax.dotGeneral, [z(), w()], [11 - 2 - 3, 2 + 0 + 0.75], { params: { dimension_numbers: [[[0], [0]], [[], []]], preferred_element_type: null }, shape: [] }),
      ];
    },
  },
  {
    name: 'int64, uint64, complex128 (x64)',
    x64: true,
    cases: () => {
      const i64 = (...v: bigint[]) => A('int64', v);
      const u64 = (...v: bigint[]) => A('uint64', v);
      const MAX = 2n ** 63n - 1n;
      return [
        cse('add i64 (wraps)', lax.add, [i64(MAX, 2n ** 40n), i64(1n, 2n ** 40n)], [-(2n ** 63n), 2n ** 41n]),
        cse('mul u64 (wraps)', lax.mul, [u64(2n ** 63n, 3n), u64(2n, 5n)], [0n, 15n]),
        cse('reduce_sum i64', lax.reduceSum, [i64(2n ** 40n, 2n ** 40n, -1n)], [2n ** 41n - 1n], { params: { axes: [0] }, shape: [] }),
        cse('reduce_min i64', lax.reduceMin, [i64(5n, -3n, 7n)], [-3n], { params: { axes: [0] }, shape: [] }),
        cse('reduce_max i64', lax.reduceMax, [i64(5n, -3n, 7n)], [7n], { params: { axes: [0] }, shape: [] }),
        cse('reduce_min u64', lax.reduceMin, [u64(5n, 3n, 7n)], [3n], { params: { axes: [0] }, shape: [] }),
        cse('reduce_and u64', lax.reduceAnd, [u64(12n, 10n)], [8n], { params: { axes: [0] }, shape: [] }),
        cse('argmin i64', lax.argmin, [i64(5n, -3n, 7n)], [1], { params: { axes: [0], index_dtype: 'int32' }, shape: [], dtype: 'int32' }),
        cse('argmax i64', lax.argmax, [i64(5n, -3n, 7n)], [2], { params: { axes: [0], index_dtype: 'int32' }, shape: [], dtype: 'int32' }),
        cse('mul c128', lax.mul, [C('complex128', [3, -4], [0.1, 0]), C('complex128', [3, -4], [0.1, 0])], [-7, -24, 0.1 * 0.1, 0]),
        cse('exp c128', lax.exp, [C('complex128', [0.5, 0.25])], [Math.exp(0.5) * Math.cos(0.25), Math.exp(0.5) * Math.sin(0.25)], { rtol: F64_RTOL }),
        cse('real c128', lax.real, [C('complex128', [1.25, -1])], [1.25], { dtype: 'float64' }),
      ];
    },
  },
];

const within = <T>(group: Group, fn: () => T): T => (group.x64 ? config.with({ enableX64: true }, fn) : fn());

describe.each(GROUPS.map((g) => [g.name, g] as const))('%s', (_name, group) => {
  const cases = within(group, group.cases);
  const working = cases.filter((c) => !c.bug);
  // One jitted program computes every working case of the group.
  let jitted: Array[] | undefined;
  const jittedResult = (c: Case): Array => {
    jitted ??= within(group, () =>
      jit((inputs: Array[][]) => working.map((k, i) => k.prim.bind1(inputs[i]!, k.params ?? {})))(working.map((k) => k.args)),
    );
    return jitted[working.indexOf(c)]!;
  };

  test.each(working.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const eager = within(group, () => c.prim.bind1(c.args, c.params ?? {}));
    checkValues(c, eager);
    const compiled = jittedResult(c);
    expect(compiled.dtype).toBe(eager.dtype);
    expect(bytesOf(compiled).equals(bytesOf(eager))).toBe(true);
  });

  const bugs = cases.filter((c) => c.bug);
  if (bugs.length) {
    test.failing.each(bugs.map((c) => [c.name, c.bug!, c] as const))('KNOWN BUG %s: %s', (_n, _b, c) => {
      checkValues(c, within(group, () => c.prim.bind1(c.args, c.params ?? {})));
    });
  }
});

describe('coverage', () => {
  test('every exported primitive has cases', () => {
    const modules = { ...elementwiseModule, ...convertModule, ...shapeModule, ...reduceModule, ...dotModule };
    const exported = Object.values(modules).filter((v): v is Primitive => v instanceof Primitive).map((p) => p.name);
    const covered = new Set(GROUPS.flatMap((g) => within(g, g.cases)).map((c) => c.prim.name));
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
  });
});

// ---- errors: one bad dtype and one bad shape per family, eagerly and under jit ----

describe('errors name the op, the shapes and the dtypes', () => {
  const x3 = f32(1, 2, 3);
  const throwsBoth = (fn: (...xs: Array[]) => Array, args: Array[], message: string) => {
    expect(() => fn(...args)).toThrow(message);
    expect(() => jit(fn)(...args)).toThrow(message);
  };

  test('unary: dtype (shapes cannot mismatch)', () => {
    throwsBoth((x) => lax.sin.bind1([x]), [i32(1)], 'sin does not accept dtype int32. Accepted dtypes are subtypes of inexact.');
    throwsBoth((x) => lax.not.bind1([x]), [x3], 'not does not accept dtype float32. Accepted dtypes are subtypes of integer or bool.');
    throwsBoth((x) => lax.integerPow.bind1([x], { y: -2 }), [i32(2)], 'integer_pow: negative power -2 of an integer dtype int32');
  });

  test('binary: dtype and shape', () => {
    throwsBoth((x, y) => lax.add.bind1([x, y]), [x3, i32(1, 2, 3)], 'lax.add requires arguments to have the same dtypes, got float32, int32.');
    throwsBoth((x, y) => lax.and.bind1([x, y]), [x3, x3], 'and does not accept dtype float32. Accepted dtypes are subtypes of integer or bool.');
    throwsBoth((x, y) => lax.mul.bind1([x, y]), [x3, f32(1, 2)], 'mul got incompatible shapes for broadcasting: (3,), (2,).');
    throwsBoth((x, y) => lax.add.bind1([x, y]), [x3, x3.reshape([1, 3])], 'add: arrays must have the same number of dimensions, got {1, 2}');
  });

  test('comparisons: dtype and shape', () => {
    const z = C('complex64', [1, 0]);
    throwsBoth((x, y) => lax.lt.bind1([x, y]), [z, z], 'lt does not accept dtype complex64.');
    throwsBoth((x, y) => lax.eq.bind1([x, y]), [x3.reshape([3, 1]), f32(1, 2).reshape([2, 1])], 'eq got incompatible shapes for broadcasting: (3, 1), (2, 1).');
  });

  test('select_n and clamp: dtype and shape', () => {
    throwsBoth((w, a, b) => lax.selectN.bind1([w, a, b]), [x3, x3, x3], 'select_n: which must be bool or int32, got float32');
    throwsBoth((w, a, b) => lax.selectN.bind1([w, a, b]), [bool(true, false), x3, x3], 'select_n: which must be a scalar or have the shape of the cases, got bool[2] and f32[3]');
    throwsBoth((lo, x, hi) => lax.clamp.bind1([lo, x, hi]), [i32(0), x3, i32(1)], 'lax.clamp requires arguments to have the same dtypes, got int32, float32, int32.');
    throwsBoth((lo, x, hi) => lax.clamp.bind1([lo, x, hi]), [f32(0, 0), x3, f32(1)], "clamp: min and max must be scalars or have the operand's shape f32[3], got f32[2] and f32[1]");
  });

  test('conversions and iota: dtype and shape', () => {
    throwsBoth((x) => lax.convertElementType.bind1([x], { new_dtype: 'float31', weak_type: false }), [x3], 'convert_element_type: unknown dtype "float31"');
    throwsBoth((x) => lax.bitcastConvertType.bind1([x], { new_dtype: 'float32' }), [u8(1, 2, 3)], 'bitcast_convert_type: uint8 to float32 needs a trailing dimension of 4, got shape [3]');
    expect(() => lax.iota.bind1([], { dtype: 'int32', shape: [2, 3], dimension: 2 })).toThrow('iota: dimension 2 out of range for shape [2,3]');
    expect(() => lax.iota.bind1([], { dtype: 'int31', shape: [2], dimension: 0 })).toThrow('iota: unknown dtype "int31"');
  });

  test('shape ops: shape (they accept every dtype)', () => {
    throwsBoth((x) => lax.broadcastInDim.bind1([x], { shape: [2, 4], broadcast_dimensions: [1] }), [x3],
      'broadcast_in_dim operand dimension sizes must either be 1, or be equal to their corresponding dimensions in the target broadcast shape; got operand of shape (3,), target broadcast shape (2, 4), broadcast_dimensions (1,)');
    throwsBoth((x) => lax.reshape.bind1([x], { new_sizes: [2, 2] }), [x3], 'reshape total size must be unchanged, got new_sizes (2, 2) (of size 4) for shape (3,) (of size 3).');
    throwsBoth((x) => lax.reshape.bind1([x], { new_sizes: [3], dimensions: [1, 0] }), [x3], 'reshape dimensions must be a permutation of operand dimensions, got dimensions (1, 0) for shape (3,).');
    throwsBoth((x) => lax.transpose.bind1([x], { permutation: [0, 0] }), [f32(1, 2).reshape([1, 2])], 'transpose: duplicate axis 0 in [0,0]');
    throwsBoth((x) => lax.squeeze.bind1([x], { dimensions: [0] }), [x3], 'cannot select an axis to squeeze out which has size not equal to one, got shape=(3,) and dimensions=(0,)');
    throwsBoth((x) => lax.rev.bind1([x], { dimensions: [1] }), [x3], 'rev: axis 1 is out of bounds for array of rank 1');
  });

  test('reductions: dtype and shape', () => {
    throwsBoth((x) => lax.reduceSum.bind1([x], { axes: [0] }), [bool(true)], 'reduce_sum does not accept dtype bool. Accepted dtypes are subtypes of number.');
    throwsBoth((x) => lax.reduceAnd.bind1([x], { axes: [0] }), [x3], 'reduce_and does not accept dtype float32. Accepted dtypes are subtypes of integer or bool.');
    throwsBoth((x) => lax.reduceMax.bind1([x], { axes: [1] }), [x3], 'reduce_max: axis 1 is out of bounds for array of rank 1');
    throwsBoth((x) => lax.argmax.bind1([x], { axes: [0], index_dtype: 'float32' }), [x3], 'argmax: index_dtype must be an integer type, got float32');
    throwsBoth((x) => lax.argmin.bind1([x], { axes: [0, 1], index_dtype: 'int32' }), [x3.reshape([3, 1])], 'argmin: exactly one axis is supported, got [0,1]');
  });

  test('dot_general: dtype and shape', () => {
    const dims = { dimension_numbers: [[[0], [0]], [[], []]], preferred_element_type: null };
    throwsBoth((x, y) => lax.dotGeneral.bind1([x, y], { ...dims, preferred_element_type: 'int8' }), [i32(1, 2, 3), i32(1, 2, 3)],
      '`preferred_element_type` must not be narrower than the original type, got preferred_element_type of int8 for result type of int32.');
    throwsBoth((x, y) => lax.dotGeneral.bind1([x, y], dims), [x3, f32(1, 2)], 'dot_general requires contracting dimensions to have the same shape, got (3,) and (2,).');
  });
});
