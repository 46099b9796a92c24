// Cumulative reductions along one axis (cumsum, cumprod, cummax, cummin, cumlogsumexp), lowered
// as JAX lowers them on CPU: a reduce_window whose window spans the axis, padded by n - 1 on the
// side the sums come from (XLA rewrites that window into an efficient scan).
import type { Array } from '../core/array.js';
import { ShapedArray, shapeStr } from '../core/aval.js';
import { isBool, isComplex, isInexact } from '../core/dtypes.js';
import { Primitive } from '../core/primitive.js';
import type { LoweringContext, Value } from '../lowering/context.js';
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
  return new Primitive(name, {
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
  });
}

export const cumsumP = cumulative('cumsum', 'add');
export const cumprodP = cumulative('cumprod', 'mul');
export const cummaxP = cumulative('cummax', 'max');
export const cumminP = cumulative('cummin', 'min');
export const cumlogsumexpP = cumulative('cumlogsumexp', 'logaddexp');

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
