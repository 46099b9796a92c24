// Cumulative reductions along one axis (cumsum, cumprod, cummax, cummin, cumlogsumexp), lowered
// as JAX lowers them on CPU: a reduce_window whose window spans the axis, padded by n - 1 on the
// side the sums come from (XLA rewrites that window into an efficient scan).
import type { Array } from '../core/array.js';
import { ShapedArray, shapeStr } from '../core/aval.js';
import { isBool, isComplex, isInexact } from '../core/dtypes.js';
import { Primitive, type Params } from '../core/primitive.js';
import { constLike, deflinear, defrules, fullOf, jvpFlat, type JvpRule } from '../interpreters/ad.js';
import type { LoweringContext, Value } from '../lowering/context.js';
import { batchedAxis } from './batch_helpers.js';
import { abs, add, eq, exp, log1p, max, min, mul, ne, neg, selectN, sub } from './elementwise.js';
import { rev } from './shape.js';
import { concatenate, pad, sliceInDim } from './slicing.js';
import { monoidCombine, lowerReduceWindow, monoidIdentity, type WindowComputation } from './windowed.js';

type Kind = WindowComputation | 'logaddexp';

/** log(exp(a) + exp(b)) without overflow: lax.logaddexp's formula, op for op. */
function logaddexp(ctx: LoweringContext, a: Value, b: Value): Value {
  const t = a.aval;
  const op = (name: string, args: Value[], aval = t) => ctx.op1(name, args, aval);
  const amax = monoidCombine(ctx, 'max', a, b);
  if (!isComplex(t.dtype)) {
    const delta = op('stablehlo.subtract', [a, b]);
    const isNan = ctx.op1('stablehlo.compare', [delta, delta], new ShapedArray([], 'bool'), {
      comparison_direction: '#stablehlo<comparison_direction NE>',
      compare_type: '#stablehlo<comparison_type FLOAT>',
    });
    // NaNs, or infinities of the same sign, give a + b
    const sum = op('stablehlo.add', [a, b]);
    const tail = op('stablehlo.log_plus_one', [op('stablehlo.exponential', [op('stablehlo.negate', [op('stablehlo.abs', [delta])])])]);
    return ctx.op1('stablehlo.select', [isNan, sum, op('stablehlo.add', [amax, tail])], t);
  }
  const part = new ShapedArray([], t.dtype === 'complex64' ? 'float32' : 'float64');
  const delta = op('stablehlo.subtract', [op('stablehlo.add', [a, b]), op('stablehlo.multiply', [amax, ctx.constant(2, t)])]);
  const out = op('stablehlo.add', [amax, op('stablehlo.log_plus_one', [op('stablehlo.exponential', [delta])])]);
  // the imaginary part wrapped into [-pi, pi]
  const pi = ctx.constant(Math.PI, part);
  const twoPi = ctx.constant(2 * Math.PI, part);
  let rem = op('stablehlo.remainder', [op('stablehlo.add', [op('stablehlo.imag', [out], part), pi], part), twoPi], part);
  const negative = ctx.op1('stablehlo.compare', [rem, ctx.constant(0, part)], new ShapedArray([], 'bool'), {
    comparison_direction: '#stablehlo<comparison_direction LT>',
    compare_type: '#stablehlo<comparison_type FLOAT>',
  });
  rem = ctx.op1('stablehlo.select', [negative, op('stablehlo.add', [rem, twoPi], part), rem], part);
  return op('stablehlo.complex', [op('stablehlo.real', [out], part), op('stablehlo.subtract', [rem, pi], part)]);
}

/** A cumulative primitive [axis, reverse]: same shape and dtype as its operand. */
function cumulative(name: string, kind: Kind): Primitive {
  const prim: Primitive = new Primitive(name, {
    abstractEval: ([x], params) => {
      const axis = params.axis as number;
      if (isBool(x!.dtype)) throw new TypeError(`${name} does not accept dtype bool. Accepted dtypes are subtypes of number.`);
      if (kind === 'logaddexp' && !isInexact(x!.dtype)) throw new TypeError(`${name}: logaddexp requires floating-point or complex inputs; got ${x!.dtype}`);
      if (!Number.isInteger(axis) || axis < 0) throw new RangeError(`${name}: XLA operations do not allow negative axes, got axis=${axis}`);
      if (axis >= x!.ndim) throw new RangeError(`${name}: axis ${axis} is out of bounds for array of shape ${shapeStr(x!.shape)}`);
      return [x!];
    },
    lower: (ctx, [x], params, [out]) => {
      const axis = params.axis as number;
      const shape = x!.aval.shape;
      const n = shape[axis]!;
      if (n === 0) return [x!];
      const dtype = x!.aval.dtype;
      const init = ctx.constant(kind === 'logaddexp' ? -Infinity : monoidIdentity(kind, dtype), new ShapedArray([], dtype));
      const window = {
        window_dimensions: shape.map((_, i) => (i === axis ? n : 1)),
        window_strides: shape.map(() => 1),
        padding: shape.map((_, i): [number, number] => (i !== axis ? [0, 0] : params.reverse ? [0, n - 1] : [n - 1, 0])),
        base_dilation: shape.map(() => 1),
        window_dilation: shape.map(() => 1),
      };
      const body = kind === 'logaddexp' ? logaddexp : (inner: LoweringContext, a: Value, b: Value) => monoidCombine(inner, kind, a, b);
      return [lowerReduceWindow(ctx, x!, init, window, out!, body)];
    },
    // the batch axis stays; the scan axis skips it (JAX's _cumred_batch_rule)
    batch: ([x], [bdim], params) => [[prim.bind1([x!], { ...params, axis: batchedAxis(params.axis as number, bdim!) })], [bdim!]],
  });
  return prim;
}

/** cumsum is linear; its transpose sums from the other end. */
export const cumsumP: Primitive = deflinear(cumulative('cumsum', 'add'), (ct, _x, params) => cumsumP.bind1([ct], { ...params, reverse: !params.reverse }));
export const cumprodP = withScanJvp(cumulative('cumprod', 'mul'), (a, b) => mul.bind1([a, b]));
export const cummaxP = withScanJvp(cumulative('cummax', 'max'), (a, b) => max.bind1([a, b]));
export const cumminP = withScanJvp(cumulative('cummin', 'min'), (a, b) => min.bind1([a, b]));
export const cumlogsumexpP: Primitive = defrules(cumulative('cumlogsumexp', 'logaddexp'), { jvp: cumlogsumexpJvp });

export interface CumulativeOptions {
  axis?: number;
  reverse?: boolean;
}

/** `lax.cumsum(x, axis = 0, reverse = false)`, or with `{ axis, reverse }`. Negative axes are an error, as in JAX. */
function cumulativeFn(primitive: Primitive) {
  return (operand: Array, axis: number | CumulativeOptions = 0, reverse = false): Array => {
    const o = typeof axis === 'number' ? { axis, reverse } : axis;
    return primitive.bind1([operand], { axis: o.axis ?? 0, reverse: o.reverse ?? false });
  };
}

export const cumsum = cumulativeFn(cumsumP);
export const cumprod = cumulativeFn(cumprodP);
export const cummax = cumulativeFn(cummaxP);
export const cummin = cumulativeFn(cumminP);
export const cumlogsumexp = cumulativeFn(cumlogsumexpP);

// ---- differentiation rules ----
// As in JAX, the tangents of cumprod, cummax, cummin and cumlogsumexp come from differentiating
// a parallel prefix scan of the same combining function (JAX's associative_scan), made of
// slices, pads and elementwise ops that are differentiable to any order; the primal stays the
// primitive's own result.

type Combine = (a: Array[], b: Array[]) => Array[];

const scalarZero = (x: Array): Array => fullOf(new ShapedArray([], x.dtype, true), 0);

/** Interleaves `a` (the even positions) and `b` (the odd ones) along `axis`, padding each with holes for the other. */
function interleave(a: Array, b: Array, axis: number): Array {
  const same = a.shape[axis] === b.shape[axis];
  const config = (lo: number, hi: number) => a.shape.map((_, i): [number, number, number] => (i === axis ? [lo, hi, 1] : [0, 0, 0]));
  const padded = (x: Array, lo: number, hi: number) => pad.bind1([x, scalarZero(x)], { padding_config: config(lo, hi) });
  return add.bind1([padded(a, 0, same ? 1 : 0), padded(b, 1, same ? 0 : 1)]);
}

/**
 * Running combinations along `axis` of parallel lists of arrays (JAX's associative_scan): the
 * odd positions are the scan of adjacent pairs (by recursion), the even ones combine those with
 * the next element.
 */
function associativeScan(combine: Combine, elems: Array[], axis: number, reverse: boolean): Array[] {
  const flip = (xs: Array[]) => xs.map((x) => rev.bind1([x], { dimensions: [axis] }));
  const slices = (xs: Array[], start: number, stop: number | null, stride = 1) => xs.map((x) => sliceInDim(x, start, stop, stride, axis));
  const scan = (xs: Array[]): Array[] => {
    const n = xs[0]!.shape[axis]!;
    if (n < 2) return xs;
    const odd = scan(combine(slices(xs, 0, -1, 2), slices(xs, 1, null, 2)));
    const even = combine(n % 2 === 0 ? slices(odd, 0, -1) : odd, slices(xs, 2, null, 2));
    return xs.map((x, i) => interleave(concatenate.bind1([sliceInDim(x, 0, 1, 1, axis), even[i]!], { dimension: axis }), odd[i]!, axis));
  };
  return reverse ? flip(scan(flip(elems))) : scan(elems);
}

const axisOf = (params: Params): [number, boolean] => [params.axis as number, params.reverse === true];

/** The primitive's result, with the tangent of the scan of `combine`. */
function withScanJvp(prim: Primitive, combine: (a: Array, b: Array) => Array): Primitive {
  return defrules(prim, {
    jvp: ([x], [t], params) => {
      const out = prim.bind1([x!], params);
      if (!t) return [[out], [null]];
      const [axis, reverse] = axisOf(params);
      const [, [tangent]] = jvpFlat((y) => associativeScan(([a], [b]) => [combine(a!, b!)], [y], axis, reverse), [x!], [t]);
      return [[out], [tangent ?? null]];
    },
  });
}

/** Infinities as 0, so exp(x - out) is 1 rather than NaN where both are +inf (JAX's _replace_inf). */
const replaceInf = (x: Array): Array => selectN.bind1([eq.bind1([x, constLike(x, Infinity)]), x, constLike(x, 0)]);

/** lax.logaddexp's value (as the lowering computes it, op for op). */
function logaddexpOf(a: Array, b: Array): Array {
  const delta = sub.bind1([a, b]);
  const stable = add.bind1([max.bind1([a, b]), log1p.bind1([exp.bind1([neg.bind1([abs.bind1([delta])])])])]);
  return selectN.bind1([ne.bind1([delta, delta]), stable, add.bind1([a, b])]);
}

/**
 * cumlogsumexp: a scan of (value, tangent) pairs combined by logaddexp and its jvp (JAX's custom
 * rule: t_a exp(a - out) + t_b exp(b - out)), so the tangent is linear in the input tangent.
 */
function cumlogsumexpJvp(...[[x], [t], params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const out = cumlogsumexpP.bind1([x!], params);
  if (!t) return [[out], [null]];
  if (isComplex(x!.dtype)) throw new Error(`Differentiation rule for 'cumlogsumexp' not implemented for complex inputs (got ${x!.dtype})`);
  const weight = (v: Array, o: Array) => exp.bind1([sub.bind1([replaceInf(v), replaceInf(o)])]);
  const combine: Combine = ([a, ta], [b, tb]) => {
    const o = logaddexpOf(a!, b!);
    return [o, add.bind1([mul.bind1([ta!, weight(a!, o)]), mul.bind1([tb!, weight(b!, o)])])];
  };
  const [axis, reverse] = axisOf(params);
  return [[out], [associativeScan(combine, [x!, t], axis, reverse)[1]!]];
}
