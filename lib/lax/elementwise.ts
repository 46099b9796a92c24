// Elementwise primitives: unary math, binary arithmetic and bitwise ops, comparisons,
// select_n and clamp. Each is one stanza; the factories carry the shared rules.
import { ShapedArray } from '../core/aval.js';
import { isBool, isComplex, isFloating, isInexact, isInteger, isSignedInteger, isUnsignedInteger, type DType } from '../core/dtypes.js';
import { Primitive, type Params } from '../core/primitive.js';
import { i64Array, type LoweringContext, type Value } from '../lowering/context.js';
import type { Array } from '../core/array.js';
import { UndefinedPrimal } from '../core/primitive.js';
import { constLike, defjvp, defjvpZero, deflinear, defrules, zerosLike, type JvpRule, type TangentRule, type TransposeRule } from '../interpreters/ad.js';
import { axisSizeOf, broadcastBatch, defbatch, defvectorized, matchAxis, moveaxis, type BatchDim, type BatchResult } from '../interpreters/batching.js';
import { convertElementType } from './convert.js';
import { reduceSum } from './reduce.js';
import { broadcastingAval, checkDTypes, naryAval, type DTypeClass } from './rules.js';
import { broadcastInDim, reshape } from './shape.js';

const any: DTypeClass = () => true;
const numeric: DTypeClass = (d) => !isBool(d);
const intOrBool: DTypeClass = (d) => isInteger(d) || isBool(d);
const signedOrInexact: DTypeClass = (d) => isSignedInteger(d) || isInexact(d);
const floatOrComplex = isInexact;
const realFloat = isFloating;

type Lower = string | ((ctx: LoweringContext, args: Value[], params: Params, out: ShapedArray) => Value);

function lowering(lower: Lower) {
  return (ctx: LoweringContext, args: Value[], params: Params, outAvals: ShapedArray[]): Value[] => [
    typeof lower === 'string' ? ctx.op1(lower, args, outAvals[0]!) : lower(ctx, args, params, outAvals[0]!),
  ];
}

/** A unary elementwise primitive on `dtypes` lowered to `lower`. */
export function unary(name: string, dtypes: DTypeClass, typeName: string, lower: Lower, outDType?: (d: DType) => DType): Primitive {
  return defvectorized(new Primitive(name, {
    abstractEval: ([x], _params) => {
      checkDTypes(name, [x!], dtypes, typeName);
      return [new ShapedArray(x!.shape, outDType ? outDType(x!.dtype) : x!.dtype, x!.weakType)];
    },
    lower: lowering(lower),
  }));
}

/**
 * A binary (or n-ary) elementwise primitive: same dtypes; shapes broadcast as JAX's lax allows
 * (rank-0 operands, and size-1 dimensions of equal-rank operands). The lowering broadcasts the
 * operands to the result shape first (`broadcast_in_dim` on the trailing dimensions, as JAX).
 */
export function binary(name: string, dtypes: DTypeClass, typeName: string, lower: Lower, outDType?: (d: DType) => DType): Primitive {
  const prim: Primitive = defbatch(new Primitive(name, {
    abstractEval: (avals) => {
      checkDTypes(name, avals, dtypes, typeName);
      const out = broadcastingAval(name, avals);
      return [outDType ? new ShapedArray(out.shape, outDType(out.dtype), false) : out];
    },
    lower: (ctx, args, params, outAvals) => lowering(lower)(ctx, args.map((a) => broadcastValue(ctx, a, outAvals[0]!.shape)), params, outAvals),
  }), (args, dims, params) => broadcastingBatch(prim, args, dims, params));
  return prim;
}

/** `x` broadcast to `shape` (same rank with size-1 dimensions, or rank 0), as JAX's multi_broadcast_in_dim. */
function broadcastValue(ctx: LoweringContext, x: Value, shape: readonly number[]): Value {
  const { aval } = x;
  if (aval.ndim === shape.length && aval.shape.every((d, i) => d === shape[i])) return x;
  const dims = aval.shape.map((_, i) => i + shape.length - aval.ndim);
  return ctx.op1('stablehlo.broadcast_in_dim', [x], new ShapedArray(shape, aval.dtype), { broadcast_dimensions: i64Array(dims) });
}

/**
 * Batching a broadcasting op. Operands of one per-example shape line up at the first batched
 * operand's axis (unbatched ones broadcast there): no transpose when the batch axes agree.
 * Otherwise JAX's broadcast_batcher: batch axes to the front, a size-1 leading axis for unbatched
 * operands (rank-0 ones stay scalars), trailing size-1 axes for batched per-example scalars, and
 * the op's own broadcasting does the rest.
 */
function broadcastingBatch(prim: Primitive, args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const perExample = args.map((x, j) => (dims[j] === null ? x.shape : x.shape.filter((_, k) => k !== dims[j])));
  if (perExample.every((s) => sameSizes(s, perExample[0]!))) {
    const size = axisSizeOf(args, dims);
    const d = dims.find((b) => b !== null)!;
    return [prim.bind(args.map((x, j) => matchAxis(x, dims[j] ?? null, d, size)), params), [d]];
  }
  const front = args.map((x, j) => (x.ndim === 0 ? x : matchAxis(x, dims[j] ?? null, 0, 1)));
  const ndim = Math.max(...front.map((x) => x.ndim));
  const trailingOnes = (x: Array) => reshape.bind1([x], { new_sizes: [...x.shape, ...new globalThis.Array<number>(ndim - x.ndim).fill(1)] });
  return [prim.bind(front.map((x, j) => (dims[j] === null || x.ndim === ndim ? x : trailingOnes(x))), params), [0]];
}

const realOf = (d: DType): DType => (d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d);

// ---- unary ----
export const neg = deflinear(unary('neg', numeric, 'number', 'stablehlo.negate'), (ct) => op.neg(ct));
// stablehlo.sign takes no unsigned integers: sign is then x != 0, as JAX lowers it.
export const sign = defjvpZero(
  unary('sign', numeric, 'number', (ctx, [x], _p, out) =>
    isUnsignedInteger(out.dtype)
      ? ctx.op1('stablehlo.select', [
          ctx.op1('stablehlo.compare', [x!, ctx.constant(0, out)], new ShapedArray(out.shape, 'bool'), {
            comparison_direction: '#stablehlo<comparison_direction EQ>',
            compare_type: '#stablehlo<comparison_type UNSIGNED>',
          }),
          ctx.constant(0, out),
          ctx.constant(1, out),
        ], out)
      : ctx.op1('stablehlo.sign', [x!], out),
  ),
);
export const floor = defjvpZero(unary('floor', realFloat, 'floating', 'stablehlo.floor'));
export const ceil = defjvpZero(unary('ceil', realFloat, 'floating', 'stablehlo.ceil'));
/** rounding_method: 0 away from zero (lax default), 1 to nearest even. */
export const round = defjvpZero(unary('round', realFloat, 'floating', (ctx, [x], p, out) =>
  ctx.op1(p.rounding_method === 1 ? 'stablehlo.round_nearest_even' : 'stablehlo.round_nearest_afz', [x!], out),
));
export const isFinite = defjvpZero(unary('is_finite', realFloat, 'floating', 'stablehlo.is_finite', () => 'bool'));
export const exp = defjvp(unary('exp', floatOrComplex, 'inexact', 'stablehlo.exponential'), (g, _, ans) => op.mul(g, ans));
export const exp2 = defjvp(unary('exp2', floatOrComplex, 'inexact', (ctx, [x], _p, out) =>
  // exp2(x) = exp(x * ln 2), as JAX lowers it
  ctx.op1('stablehlo.exponential', [ctx.op1('stablehlo.multiply', [x!, ctx.constant(Math.LN2, out)], out)], out),
), (g, [x], ans) => op.mul(constLike(x!, Math.LN2), op.mul(g, ans)));
export const log = defjvp(unary('log', floatOrComplex, 'inexact', 'stablehlo.log'), (g, [x]) => op.div(g, x!));
export const log1p = defjvp(unary('log1p', floatOrComplex, 'inexact', 'stablehlo.log_plus_one'), (g, [x]) => op.div(g, op.add(x!, constLike(x!, 1))));
export const expm1 = defjvp(unary('expm1', floatOrComplex, 'inexact', 'stablehlo.exponential_minus_one'), (g, _, ans) => op.mul(g, op.add(ans, constLike(ans, 1))));
export const tanh = defjvp(unary('tanh', floatOrComplex, 'inexact', 'stablehlo.tanh'), (g, _, ans) => op.mul(op.add(g, op.mul(g, ans)), op.sub(constLike(ans, 1), ans)));
export const logistic = defjvp(unary('logistic', floatOrComplex, 'inexact', 'stablehlo.logistic'), (g, _, ans) => op.mul(g, op.mul(ans, op.sub(constLike(ans, 1), ans))));
export const sin = defjvp(unary('sin', floatOrComplex, 'inexact', 'stablehlo.sine'), (g, [x]) => op.mul(g, op.cos(x!)));
export const cos = defjvp(unary('cos', floatOrComplex, 'inexact', 'stablehlo.cosine'), (g, [x]) => op.neg(op.mul(g, op.sin(x!))));
export const tan = defjvp(unary('tan', floatOrComplex, 'inexact', 'chlo.tan'), (g, [x], ans) => op.mul(g, op.add(constLike(x!, 1), op.square(ans))));
export const asin = defjvp(unary('asin', floatOrComplex, 'inexact', 'chlo.asin'), (g, [x]) => op.mul(g, op.rsqrt(op.sub(constLike(x!, 1), op.square(x!)))));
export const acos = defjvp(unary('acos', floatOrComplex, 'inexact', 'chlo.acos'), (g, [x]) => op.mul(g, op.neg(op.rsqrt(op.sub(constLike(x!, 1), op.square(x!))))));
export const atan = defjvp(unary('atan', floatOrComplex, 'inexact', 'chlo.atan'), (g, [x]) => op.div(g, op.add(constLike(x!, 1), op.square(x!))));
export const sinh = defjvp(unary('sinh', floatOrComplex, 'inexact', 'chlo.sinh'), (g, [x]) => op.mul(g, op.cosh(x!)));
export const cosh = defjvp(unary('cosh', floatOrComplex, 'inexact', 'chlo.cosh'), (g, [x]) => op.mul(g, op.sinh(x!)));
export const asinh = defjvp(unary('asinh', floatOrComplex, 'inexact', 'chlo.asinh'), (g, [x]) => op.mul(g, op.rsqrt(op.add(op.square(x!), constLike(x!, 1)))));
export const acosh = defjvp(unary('acosh', floatOrComplex, 'inexact', 'chlo.acosh'), (g, [x]) => op.mul(g, op.rsqrt(op.sub(op.square(x!), constLike(x!, 1)))));
export const atanh = defjvp(unary('atanh', floatOrComplex, 'inexact', 'chlo.atanh'), (g, [x]) => op.mul(op.div(constLike(x!, 1), op.add(constLike(x!, 1), x!)), op.div(g, op.sub(constLike(x!, 1), x!))));
export const sqrt = defjvp(unary('sqrt', floatOrComplex, 'inexact', 'stablehlo.sqrt'), (g, [x], ans) => op.mul(g, op.div(constLike(x!, 0.5), ans)));
export const rsqrt = defjvp(unary('rsqrt', floatOrComplex, 'inexact', 'stablehlo.rsqrt'), (g, [x], ans) => op.mul(g, op.mul(constLike(x!, -0.5), op.div(ans, x!))));
export const cbrt = defjvp(unary('cbrt', realFloat, 'floating', 'stablehlo.cbrt'), (g, [x], ans) => op.mul(g, op.mul(constLike(x!, 1 / 3), op.integerPow(ans, -2))));
export const abs = defjvp(unary('abs', signedOrInexact, 'signed or inexact', 'stablehlo.abs', realOf), absJvp);
export const not = defjvpZero(unary('not', intOrBool, 'integer or bool', 'stablehlo.not'));
export const erf = defjvp(unary('erf', realFloat, 'floating', 'chlo.erf'), (g, [x]) => op.mul(constLike(x!, 2 / Math.sqrt(Math.PI)), op.mul(g, op.exp(op.neg(op.square(x!))))));
export const erfc = defjvp(unary('erfc', realFloat, 'floating', 'chlo.erfc'), (g, [x]) => op.mul(constLike(x!, -2 / Math.sqrt(Math.PI)), op.mul(g, op.exp(op.neg(op.square(x!))))));
export const erfInv = defjvp(unary('erf_inv', realFloat, 'floating', 'chlo.erf_inv'), (g, [x], ans) => op.mul(constLike(x!, Math.sqrt(Math.PI) / 2), op.mul(g, op.exp(op.square(ans)))));
export const lgamma = defjvp(unary('lgamma', realFloat, 'floating', 'chlo.lgamma'), (g, [x]) => op.mul(g, op.digamma(x!)));
// chlo.digamma, with NaN at the pole x = 0 as JAX 0.10's XLA gives it (the plugin's newer one gives -inf).
export const digamma = defjvp(unary('digamma', realFloat, 'floating', (ctx, [x], _p, out) => {
  const isZero = ctx.op1('stablehlo.compare', [x!, ctx.constant(0, out)], new ShapedArray(out.shape, 'bool'), {
    comparison_direction: '#stablehlo<comparison_direction EQ>',
    compare_type: '#stablehlo<comparison_type FLOAT>',
  });
  return ctx.op1('stablehlo.select', [isZero, ctx.constant(NaN, out), ctx.op1('chlo.digamma', [x!], out)], out);
}), (g, [x]) => op.mul(g, op.polygamma(constLike(x!, 1), x!)));
export const square = defjvp(unary('square', numeric, 'number', (ctx, [x], _p, out) => ctx.op1('stablehlo.multiply', [x!, x!], out)), (g, [x]) => op.mul(g, op.mul(constLike(x!, 2), x!)));
export const real = deflinear(unary('real', isComplex, 'complex', 'stablehlo.real', realOf), (ct) => op.complex(ct, zerosLike(ct.aval)));
export const imag = deflinear(unary('imag', isComplex, 'complex', 'stablehlo.imag', realOf), (ct) => op.complex(zerosLike(ct.aval), op.neg(ct)));
export const conj = deflinear(unary('conj', isComplex, 'complex', (ctx, [x], _p, out) => {
  const part = new ShapedArray(out.shape, realOf(out.dtype));
  const re = ctx.op1('stablehlo.real', [x!], part);
  const im = ctx.op1('stablehlo.negate', [ctx.op1('stablehlo.imag', [x!], part)], part);
  return ctx.op1('stablehlo.complex', [re, im], out);
}), (ct) => op.conj(ct));
/** x ** y for a static integer y, by repeated squaring (as JAX lowers integer_pow). */
export const integerPow = defjvp(defvectorized(new Primitive('integer_pow', {
  abstractEval: ([x], params) => {
    checkDTypes('integer_pow', [x!], numeric, 'number');
    if (!Number.isInteger(params.y)) throw new TypeError(`integer_pow: y must be an integer, got ${String(params.y)}`);
    if ((params.y as number) < 0 && isInteger(x!.dtype)) throw new TypeError(`integer_pow: negative power ${params.y} of an integer dtype ${x!.dtype}`);
    return [x!];
  },
  lower: (ctx, [x], params, [out]) => {
    const y = params.y as number;
    let n = Math.abs(y);
    let acc: Value | undefined;
    let base = x!;
    while (n > 0) {
      if (n & 1) acc = acc ? ctx.op1('stablehlo.multiply', [acc, base], out!) : base;
      n >>= 1;
      if (n > 0) base = ctx.op1('stablehlo.multiply', [base, base], out!);
    }
    const result = acc ?? ctx.constant(1, out!);
    return [y < 0 ? ctx.op1('stablehlo.divide', [ctx.constant(1, out!), result], out!) : result];
  },
})), integerPowJvp);

// ---- binary ----
// Binary tangent rules go through defjvpBroadcast: an operand's tangent contribution has the result's shape.
export const add = defrules(binary('add', numeric, 'number', 'stablehlo.add'), { jvp: addJvp, transpose: ([ct], [x, y]) => [undef(x) ? unbroadcast(x!, ct!) : null, undef(y) ? unbroadcast(y!, ct!) : null] });
export const sub = defrules(binary('sub', numeric, 'number', 'stablehlo.subtract'), { jvp: subJvp, transpose: ([ct], [x, y]) => [undef(x) ? unbroadcast(x!, ct!) : null, undef(y) ? unbroadcast(y!, op.neg(ct!)) : null] });
export const mul = defrules(defjvpBroadcast(binary('mul', numeric, 'number', 'stablehlo.multiply'), (g, [, y]) => op.mul(g, y!), (g, [x]) => op.mul(x!, g)), { transpose: mulTranspose });
export const div = defrules(defjvpBroadcast(binary('div', numeric, 'number', 'stablehlo.divide'), (g, [, y]) => op.div(g, y!), (g, [x, y]) => op.mul(op.mul(op.neg(g), x!), op.integerPow(y!, -2))), { transpose: divTranspose });
export const rem = defjvpBroadcast(binary('rem', numeric, 'number', 'stablehlo.remainder'), (g) => g, (g, [x, y]) => op.mul(op.neg(g), op.mul(op.sign(op.div(x!, y!)), op.floor(op.abs(op.div(x!, y!))))));
export const pow = defjvpBroadcast(binary('pow', floatOrComplex, 'inexact', 'stablehlo.power'), (g, [x, y]) => op.mul(g, op.mul(y!, op.pow(x!, op.sub(y!, constLike(y!, 1))))), (g, [x], ans) => op.mul(g, op.mul(op.log(replaceZero(x!)), ans)));
// Complex operands compare lexicographically (real part, then imaginary), as JAX's max_hlo/min_hlo.
export const max = defjvpBroadcast(binary('max', any, 'any', minmax('stablehlo.maximum', 'GT')), (g, [x, y], ans) => op.mul(g, balancedEq(x!, ans, y!)), (g, [x, y], ans) => op.mul(g, balancedEq(y!, ans, x!)));
export const min = defjvpBroadcast(binary('min', any, 'any', minmax('stablehlo.minimum', 'LT')), (g, [x, y], ans) => op.mul(g, balancedEq(x!, ans, y!)), (g, [x, y], ans) => op.mul(g, balancedEq(y!, ans, x!)));
export const atan2 = defjvpBroadcast(binary('atan2', realFloat, 'floating', 'stablehlo.atan2'), (g, [x, y]) => op.mul(g, op.div(y!, op.add(op.square(x!), op.square(y!)))), (g, [x, y]) => op.mul(g, op.div(op.neg(x!), op.add(op.square(x!), op.square(y!)))));
export const and = defjvpZero(binary('and', intOrBool, 'integer or bool', 'stablehlo.and'));
export const or = defjvpZero(binary('or', intOrBool, 'integer or bool', 'stablehlo.or'));
export const xor = defjvpZero(binary('xor', intOrBool, 'integer or bool', 'stablehlo.xor'));
export const shiftLeft = defjvpZero(binary('shift_left', isInteger, 'integer', 'stablehlo.shift_left'));
export const shiftRightLogical = defjvpZero(binary('shift_right_logical', isInteger, 'integer', 'stablehlo.shift_right_logical'));
export const shiftRightArithmetic = defjvpZero(binary('shift_right_arithmetic', isInteger, 'integer', 'stablehlo.shift_right_arithmetic'));
export const nextafter = binary('nextafter', realFloat, 'floating', 'chlo.next_after');
/** polygamma(m, x): the m-th derivative of digamma at x (m a whole number, in x's dtype). */
export const polygamma = defjvpBroadcast(binary('polygamma', realFloat, 'floating', 'chlo.polygamma'), () => {
  throw new Error('polygamma gradient with respect to m is not supported');
}, (g, [m, x]) => op.mul(g, op.polygamma(op.add(m!, constLike(m!, 1)), x!)));
/** zeta(x, q): the Hurwitz zeta function; not differentiable (as in JAX). */
export const zeta = binary('zeta', realFloat, 'floating', 'chlo.zeta');
export const complex = defrules(binary('complex', (d) => d === 'float32' || d === 'float64', 'float32 or float64', 'stablehlo.complex', (d) =>
  d === 'float64' ? 'complex128' : 'complex64',
), { jvp: complexJvp, transpose: ([ct], [x, y]) => [undef(x) ? unbroadcast(x!, op.real(ct!)) : null, undef(y) ? unbroadcast(y!, op.imag(op.neg(ct!))) : null] });

// ---- comparisons ----
function compareType(d: DType): string {
  if (isInexact(d)) return 'FLOAT';
  if (isSignedInteger(d)) return 'SIGNED';
  return isUnsignedInteger(d) || isBool(d) ? 'UNSIGNED' : 'FLOAT';
}

function comparison(name: string, direction: string, dtypes: DTypeClass = any): Primitive {
  return binary(name, dtypes, 'any', (ctx, args, _p, out) =>
    ctx.op1('stablehlo.compare', args, out, {
      comparison_direction: `#stablehlo<comparison_direction ${direction}>`,
      compare_type: `#stablehlo<comparison_type ${compareType(args[0]!.aval.dtype)}>`,
    }),
    () => 'bool',
  );
}
const ordered: DTypeClass = (d) => !isComplex(d);
export const eq = defjvpZero(comparison('eq', 'EQ'));
export const ne = defjvpZero(comparison('ne', 'NE'));
export const lt = defjvpZero(comparison('lt', 'LT', ordered));
export const le = defjvpZero(comparison('le', 'LE', ordered));
export const gt = defjvpZero(comparison('gt', 'GT', ordered));
export const ge = defjvpZero(comparison('ge', 'GE', ordered));

/** select_n(which, *cases): cases[which]; `which` is bool (2 cases) or int32. */
export const selectN = defrules(new Primitive('select_n', {
  abstractEval: ([which, ...cases]) => {
    if (cases.length === 0) throw new TypeError('select_n: expected at least one case');
    const out = naryAval('select_n', cases);
    if (which!.dtype !== 'bool' && which!.dtype !== 'int32') throw new TypeError(`select_n: which must be bool or int32, got ${which!.dtype}`);
    if (which!.dtype === 'bool' && cases.length > 2) throw new TypeError(`select_n: a bool which selects between at most 2 cases, got ${cases.length}`);
    if (which!.ndim !== 0 && (which!.ndim !== out.ndim || which!.shape.some((d, i) => d !== out.shape[i]))) {
      throw new TypeError(`select_n: which must be a scalar or have the shape of the cases, got ${which!.str()} and ${out.str()}`);
    }
    return [out];
  },
  lower: (ctx, [which, ...cases], _p, [out]) => {
    if (cases.length === 1) return [cases[0]!];
    let pred = which!;
    if (which!.aval.ndim === 0 && out!.ndim > 0) {
      pred = ctx.op1('stablehlo.broadcast_in_dim', [which!], new ShapedArray(out!.shape, which!.aval.dtype), { broadcast_dimensions: 'array<i64>' });
    }
    if (pred.aval.dtype === 'bool') return [ctx.op1('stablehlo.select', [pred, cases[1]!, cases[0]!], out!)];
    // int32 which: a chain of selects, case k where which == k
    let acc = cases[cases.length - 1]!;
    for (let k = cases.length - 2; k >= 0; k--) {
      const isK = ctx.op1('stablehlo.compare', [pred, ctx.constant(k, pred.aval)], new ShapedArray(pred.aval.shape, 'bool'), {
        comparison_direction: '#stablehlo<comparison_direction EQ>',
        compare_type: '#stablehlo<comparison_type SIGNED>',
      });
      acc = ctx.op1('stablehlo.select', [isK, cases[k]!, acc], out!);
    }
    return [acc];
  },
  batch: selectBatch,
}), { jvp: selectJvp, transpose: selectTranspose });

/** clamp(min, x, max) */
export const clamp = defjvp(new Primitive('clamp', {
  abstractEval: ([lo, x, hi]) => {
    for (const bound of [lo!, hi!]) {
      if (bound.dtype !== x!.dtype) throw new TypeError(`lax.clamp requires arguments to have the same dtypes, got ${lo!.dtype}, ${x!.dtype}, ${hi!.dtype}.`);
      if (bound.ndim !== 0 && (bound.ndim !== x!.ndim || bound.shape.some((d, i) => d !== x!.shape[i]))) {
        throw new TypeError(`clamp: min and max must be scalars or have the operand's shape ${x!.str()}, got ${lo!.str()} and ${hi!.str()}`);
      }
    }
    return [x!];
  },
  lower: (ctx, args, _p, [out]) => [ctx.op1('stablehlo.clamp', args, out!)],
  batch: clampBatch,
}), clampMinJvp, clampOperandJvp, clampMaxJvp);


// ---- differentiation rules (JAX's, jax/_src/lax/lax.py); they run only when a rule is applied ----

const op = {
  add: (a: Array, b: Array): Array => add.bind1([a, b]),
  sub: (a: Array, b: Array): Array => sub.bind1([a, b]),
  mul: (a: Array, b: Array): Array => mul.bind1([a, b]),
  div: (a: Array, b: Array): Array => div.bind1([a, b]),
  pow: (a: Array, b: Array): Array => pow.bind1([a, b]),
  neg: (a: Array): Array => neg.bind1([a]),
  sign: (a: Array): Array => sign.bind1([a]),
  floor: (a: Array): Array => floor.bind1([a]),
  abs: (a: Array): Array => abs.bind1([a]),
  exp: (a: Array): Array => exp.bind1([a]),
  log: (a: Array): Array => log.bind1([a]),
  sin: (a: Array): Array => sin.bind1([a]),
  cos: (a: Array): Array => cos.bind1([a]),
  sinh: (a: Array): Array => sinh.bind1([a]),
  cosh: (a: Array): Array => cosh.bind1([a]),
  rsqrt: (a: Array): Array => rsqrt.bind1([a]),
  square: (a: Array): Array => square.bind1([a]),
  digamma: (a: Array): Array => digamma.bind1([a]),
  polygamma: (m: Array, x: Array): Array => polygamma.bind1([m, x]),
  real: (a: Array): Array => real.bind1([a]),
  imag: (a: Array): Array => imag.bind1([a]),
  conj: (a: Array): Array => conj.bind1([a]),
  complex: (re: Array, im: Array): Array => complex.bind1([re, im]),
  integerPow: (a: Array, y: number): Array => integerPow.bind1([a], { y }),
  eq: (a: Array, b: Array): Array => eq.bind1([a, b]),
  gt: (a: Array, b: Array): Array => gt.bind1([a, b]),
  ge: (a: Array, b: Array): Array => ge.bind1([a, b]),
  lt: (a: Array, b: Array): Array => lt.bind1([a, b]),
  and: (a: Array, b: Array): Array => and.bind1([a, b]),
  /** pred ? onTrue : onFalse */
  select: (pred: Array, onTrue: Array, onFalse: Array): Array => selectN.bind1([pred, onFalse, onTrue]),
};

function undef(x: Array | UndefinedPrimal | undefined): boolean {
  return x instanceof UndefinedPrimal;
}

/** `x` broadcast to `shape` (JAX's _maybe_broadcast): a rank-0 `x`, or size-1 dimensions of an equal-rank one. */
function toShape(x: Array, shape: readonly number[]): Array {
  if (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  return broadcastInDim.bind1([x], { shape: [...shape], broadcast_dimensions: x.shape.map((_, i) => i + shape.length - x.ndim) });
}

/** A cotangent of the broadcast result summed back to the operand's shape (JAX's _unbroadcast). */
function unbroadcast(x: Array | UndefinedPrimal, ct: Array): Array {
  const shape = x.aval.shape;
  if (ct.ndim === shape.length && ct.shape.every((d, i) => d === shape[i])) return ct;
  const axes = ct.shape.map((_, i) => i).filter((i) => shape.length === 0 || ct.shape[i] !== shape[i]);
  const summed = axes.length ? reduceSum.bind1([ct], { axes }) : ct;
  return shape.length === 0 || sameSizes(summed.shape, shape) ? summed : reshape.bind1([summed], { new_sizes: [...shape] });
}

const sameSizes = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** defjvp for broadcasting binary ops: each operand's contribution is broadcast to the result's shape. */
function defjvpBroadcast<P extends Primitive>(prim: P, ...rules: (TangentRule | null)[]): P {
  return defjvp(prim, ...rules.map((rule): TangentRule | null => rule && ((t, args, ans, params) => toShape(rule(t, args, ans, params), ans.shape))));
}

/** max/min: stablehlo.maximum/minimum, or for complex operands a lexicographic select. */
function minmax(name: string, direction: 'GT' | 'LT'): Lower {
  return (ctx, [x, y], _p, out) => {
    if (!isComplex(out.dtype)) return ctx.op1(name, [x!, y!], out);
    const part = new ShapedArray(out.shape, realOf(out.dtype));
    const pred = new ShapedArray(out.shape, 'bool');
    const cmp = (a: Value, b: Value, dir: string) => ctx.op1('stablehlo.compare', [a, b], pred, {
      comparison_direction: `#stablehlo<comparison_direction ${dir}>`,
      compare_type: '#stablehlo<comparison_type FLOAT>',
    });
    const [rx, ry] = [ctx.op1('stablehlo.real', [x!], part), ctx.op1('stablehlo.real', [y!], part)];
    const [ix, iy] = [ctx.op1('stablehlo.imag', [x!], part), ctx.op1('stablehlo.imag', [y!], part)];
    const which = ctx.op1('stablehlo.select', [cmp(rx, ry, 'EQ'), cmp(ix, iy, direction), cmp(rx, ry, direction)], pred);
    return ctx.op1('stablehlo.select', [which, x!, y!], out);
  };
}

/** x with its zeros replaced by ones (keeps log and division finite where the other factor is 0). */
function replaceZero(x: Array): Array {
  return op.select(op.eq(x, constLike(x, 0)), constLike(x, 1), x);
}

/** max/min ties split the tangent: 1 where x is the result, halved where y is too. */
function balancedEq(x: Array, z: Array, y: Array): Array {
  return op.div(op.select(op.eq(x, z), constLike(z, 1), constLike(z, 0)), op.select(op.eq(y, z), constLike(z, 2), constLike(z, 1)));
}

/** A scalar bound or case broadcast to `like`'s shape. */
function broadcastLike(x: Array, like: Array): Array {
  return x.ndim === like.ndim ? x : broadcastInDim.bind1([x], { shape: like.shape, broadcast_dimensions: [] });
}

function absJvp(g: Array, [x]: Array[], ans: Array): Array {
  if (!isComplex(x!.dtype)) return op.select(op.ge(x!, constLike(x!, 0)), g, op.neg(g));
  const ansC = convertElementType.bind1([ans], { new_dtype: x!.dtype, weak_type: ans.weakType });
  return op.real(op.mul(g, op.div(op.conj(x!), replaceZero(ansC))));
}

function integerPowJvp(g: Array, [x]: Array[], _ans: Array, params: Params): Array {
  const y = params.y as number;
  if (y === 0) return zerosLike(g.aval);
  if (y === 1) return g;
  return op.mul(g, op.mul(constLike(x!, y), y === 2 ? x! : op.integerPow(x!, y - 1)));
}

function addJvp(...[[x, y], [tx, ty]]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const out = add.bind1([x!, y!]);
  const t = tx && ty ? op.add(tx, ty) : tx ? toShape(tx, out.shape) : ty ? toShape(ty, out.shape) : null;
  return [[out], [t]];
}

function subJvp(...[[x, y], [tx, ty]]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const out = sub.bind1([x!, y!]);
  const t = tx && ty ? op.sub(tx, ty) : tx ? toShape(tx, out.shape) : ty ? toShape(op.neg(ty), out.shape) : null;
  return [[out], [t]];
}

function mulTranspose(...[[ct], [x, y]]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  if (undef(x) && undef(y)) throw new Error('jaxts internal error: mul of two linear values cannot be transposed');
  return undef(x) ? [unbroadcast(x!, op.mul(ct!, y as Array)), null] : [null, unbroadcast(y!, op.mul(x as Array, ct!))];
}

function divTranspose(...[[ct], [x, y]]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  if (undef(y)) throw new Error("jaxts internal error: nonlinear div can't be transposed");
  return [unbroadcast(x!, op.div(ct!, y as Array)), null];
}

function complexJvp(...[[x, y], [tx, ty]]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const t = tx || ty ? op.complex(tx ?? zerosLike(x!.aval), ty ?? zerosLike(y!.aval)) : null;
  return [[complex.bind1([x!, y!])], [t]];
}

/** select_n is not differentiated in `which`; a zero case tangent is instantiated only if another is not zero. */
function selectJvp(...[[which, ...cases], [, ...tangents]]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const out = selectN.bind1([which!, ...cases]);
  const some = tangents.find((t) => t);
  if (!some) return [[out], [null]];
  const zeros = zerosLike(some.aval);
  return [[out], [selectN.bind1([which!, ...tangents.map((t) => t ?? zeros)])]];
}

function selectTranspose(...[[ct], [which, ...cases]]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  const zeros = zerosLike(ct!.aval);
  return [null, ...cases.map((c, i) => (undef(c) ? selectN.bind1([which as Array, ...cases.map((_, j) => (j === i ? ct! : zeros))]) : null))];
}

function clampMinJvp(g: Array, [lo, x, hi]: Array[]): Array {
  const [l, h] = [broadcastLike(lo!, x!), broadcastLike(hi!, x!)];
  return op.select(op.and(op.gt(l, x!), op.lt(l, h)), broadcastLike(g, x!), zerosLike(x!.aval));
}

function clampOperandJvp(g: Array, [lo, x, hi]: Array[]): Array {
  return op.select(op.and(op.gt(x!, broadcastLike(lo!, x!)), op.lt(x!, broadcastLike(hi!, x!))), g, zerosLike(g.aval));
}

function clampMaxJvp(g: Array, [, x, hi]: Array[]): Array {
  return op.select(op.lt(broadcastLike(hi!, x!), x!), broadcastLike(g, x!), zerosLike(x!.aval));
}


// ---- batching rules (JAX's _select_batch_rule and _clamp_batch_rule, without size-1 broadcasting) ----

/** A batched per-example scalar (shape [size]) spread over `shape` along axis `d`. */
const spread = (x: Array, shape: readonly number[], d: number): Array => broadcastInDim.bind1([x], { shape, broadcast_dimensions: [d] });

/**
 * select_n: the cases are aligned on the first batched case's axis (no move when they agree); a
 * scalar `which` that is not batched stays scalar, a batched scalar one is spread over the cases.
 */
function selectBatch(args: Array[], dims: BatchDim[]): BatchResult {
  const size = axisSizeOf(args, dims);
  const [which, ...cases] = args as [Array, ...Array[]];
  const [wd, ...cds] = dims as [BatchDim, ...BatchDim[]];
  const rank = cases[0]!.ndim - (cds[0] === null ? 0 : 1); // per example
  const whichRank = which.ndim - (wd === null ? 0 : 1);
  const d = cds.find((b) => b !== null) ?? (wd !== null && whichRank === rank ? wd : 0);
  const cs = cases.map((c, i) => matchAxis(c, cds[i] ?? null, d, size));
  const w = wd === null ? (which.ndim === 0 ? which : broadcastBatch(which, size, d)) : whichRank === rank ? moveaxis(which, wd, d) : spread(which, cs[0]!.shape, d);
  return [[selectN.bind1([w, ...cs])], [d]];
}

/** clamp: bounds follow the operand's batch axis; unbatched scalar bounds stay scalar. */
function clampBatch(args: Array[], dims: BatchDim[]): BatchResult {
  const size = axisSizeOf(args, dims);
  const [lo, x, hi] = args as [Array, Array, Array];
  const [ld, xd, hd] = dims as [BatchDim, BatchDim, BatchDim];
  const rank = x.ndim - (xd === null ? 0 : 1); // per example
  // x unbatched: put its axis where a batched full-shaped bound has it
  const d = xd ?? (rank > 0 && ld !== null && lo.ndim > rank ? ld : rank > 0 && hd !== null && hi.ndim > rank ? hd : 0);
  const operand = matchAxis(x, xd, d, size);
  const bound = (v: Array, bd: BatchDim): Array => {
    if (bd === null) return v.ndim === 0 ? v : broadcastBatch(v, size, d);
    return v.ndim - 1 === rank ? moveaxis(v, bd, d) : spread(v, operand.shape, d);
  };
  return [[clamp.bind1([bound(lo, ld), operand, bound(hi, hd)])], [d]];
}
