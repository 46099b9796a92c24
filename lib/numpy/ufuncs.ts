// Elementwise numpy functions: promotion and broadcasting, then one lax primitive.
import type { Array, ArrayLike } from '../core/array.js';
import { defaultIntDType, finfo, toInexactDType, isBool, isComplex, isFloating, isInexact, isInteger, isUnsignedInteger, type DType } from '../core/dtypes.js';
import type { Primitive } from '../core/primitive.js';
import * as lax from '../lax/index.js';
import { asarray, astype, broadcastShapes, broadcastTo, convertTo, promoteArgs } from './convert.js';
import { asOneProgram } from './one_program.js';

const toInexact = toInexactDType;
/** JAX's promote_dtypes_numeric: bool computes as the default int. */
const toNumeric = (d: DType): DType => (d === 'bool' ? defaultIntDType() : d);

function binaryUfunc(op: string, primitive: Primitive, toDType?: (d: DType) => DType) {
  return (x: ArrayLike, y: ArrayLike): Array => primitive.bind1(promoteArgs(op, [x, y], toDType));
}

function unaryUfunc(op: string, primitive: Primitive, toDType?: (d: DType) => DType) {
  return (x: ArrayLike): Array => primitive.bind1(promoteArgs(op, [x], toDType));
}

/** Booleans add as logical or and multiply as logical and, as in NumPy and JAX. */
function boolAware(op: string, numeric: Primitive, logical: Primitive) {
  return (x: ArrayLike, y: ArrayLike): Array => {
    const args = promoteArgs(op, [x, y]);
    return (isBool(args[0]!.dtype) ? logical : numeric).bind1(args);
  };
}

export const add = boolAware('add', lax.add, lax.or);
export const subtract = binaryUfunc('subtract', lax.sub);
export const multiply = boolAware('multiply', lax.mul, lax.and);
/** One program eagerly, as JAX's: XLA divides by a broadcast divisor as a multiply by its reciprocal. */
export const divide = asOneProgram('true_divide', binaryUfunc('divide', lax.div, toInexact));
export const trueDivide = divide;
export const maximum = binaryUfunc('maximum', lax.max);
export const minimum = binaryUfunc('minimum', lax.min);
export const arctan2 = binaryUfunc('arctan2', lax.atan2, toInexact);
/** A comparison: bool, weakly typed when both promoted operands are (JAX's rule for lax comparisons). */
function comparison(op: string, primitive: Primitive) {
  return (x: ArrayLike, y: ArrayLike): Array => {
    const args = promoteArgs(op, [x, y]);
    const out = primitive.bind1(args);
    return args.every((a) => a.weakType) && !out.weakType ? convertTo(out, 'bool', true) : out;
  };
}
export const equal = comparison('equal', lax.eq);
export const notEqual = comparison('not_equal', lax.ne);
export const less = comparison('less', lax.lt);
export const lessEqual = comparison('less_equal', lax.le);
export const greater = comparison('greater', lax.gt);
export const greaterEqual = comparison('greater_equal', lax.ge);
export const bitwiseAnd = binaryUfunc('bitwise_and', lax.and);
export const bitwiseOr = binaryUfunc('bitwise_or', lax.or);
export const bitwiseXor = binaryUfunc('bitwise_xor', lax.xor);

/** Integer x ** integer y by binary exponentiation over y's 6 low bits, as JAX's _pow_int_int. */
function powIntInt(x: Array, y: Array): Array {
  const zero = convertTo(asarray(0), y.dtype, false);
  const one = convertTo(asarray(1), y.dtype, false);
  const full = (v: Array) => broadcastTo(v, y.shape, 'power');
  const zeros = full(zero);
  const ones = full(one);
  // acc starts at 0 where x == 0 and y != 0, so that 0 ** y is 0
  let acc = lax.selectN.bind1([lax.and.bind1([lax.eq.bind1([x, zeros]), lax.ne.bind1([y, zeros])]), ones, zeros]);
  let [base, exp] = [x, y];
  for (let bit = 0; bit < 6; bit++) {
    const odd = lax.ne.bind1([lax.and.bind1([exp, ones]), zeros]);
    acc = lax.selectN.bind1([odd, acc, lax.mul.bind1([acc, base])]);
    base = lax.mul.bind1([base, base]);
    exp = lax.shiftRightLogical.bind1([exp, ones]);
  }
  return acc;
}

/**
 * x ** y as jnp.power: a JS integer exponent is integer_pow; integer (and bool) bases with
 * integer exponents stay integers; a float base with an integer exponent keeps the base's dtype
 * (and the result is weak only if both are); otherwise promote and lax.pow.
 */
export function power(x: ArrayLike, y: ArrayLike): Array {
  if (typeof y === 'number' && Number.isInteger(y)) {
    const [a] = promoteArgs('power', [x], toNumeric);
    return lax.integerPow.bind1([a!], { y });
  }
  const [xa, ya] = [asarray(x), asarray(y)];
  const shape = broadcastShapes('power', xa.shape, ya.shape);
  const [a, b] = promoteArgs('power', [xa, ya], toNumeric);
  if (isInteger(a!.dtype)) return powIntInt(a!, b!);
  if (isInexact(xa.dtype) && isInteger(ya.dtype)) {
    // lax.pow(x, y) of JAX: x's dtype; weakly typed only if both operands are
    const base = broadcastTo(xa, shape, 'power');
    return lax.pow.bind1([base, broadcastTo(convertTo(ya, xa.dtype, xa.weakType && ya.weakType), shape, 'power')]);
  }
  return lax.pow.bind1([a!, b!]);
}
export const pow = power;

/** Floor division as jnp.floor_divide (bools divide as the default int); one program eagerly, as divide. */
export const floorDivide = asOneProgram('floor_divide', floorDivideOps);
function floorDivideOps(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs('floor_divide', [x, y], toNumeric);
  if (isFloating(a!.dtype)) {
    // JAX's float divmod (CPython's): (x - fmod(x, y)) / y, corrected toward -inf, then rounded;
    // floor(1 / 0.1) is 9, and x // 0 is x / 0
    const mod = lax.rem.bind1([a!, b!]);
    const zero = promoteArgs('floor_divide', [0, mod])[0]!;
    const corrected = lax.selectN.bind1([lax.eq.bind1([b!, zero]), lax.sub.bind1([a!, mod]), a!]);
    // the divisor broadcast on its own, as JAX's lax.div broadcasts it: XLA then divides as JAX's does
    const divisor = broadcastTo(convertTo(asarray(y), b!.dtype, b!.weakType), b!.shape, 'floor_divide');
    const div = lax.div.bind1([corrected, divisor]);
    const fix = lax.and.bind1([lax.ne.bind1([mod, zero]), lax.ne.bind1([lax.sign.bind1([b!]), lax.sign.bind1([mod])])]);
    const one = promoteArgs('floor_divide', [1, div])[0]!;
    return lax.round.bind1([lax.selectN.bind1([fix, div, lax.sub.bind1([div, one])])], { rounding_method: 0 });
  }
  if (isUnsignedInteger(a!.dtype)) return lax.div.bind1([a!, b!]);
  if (isComplex(a!.dtype)) throw new TypeError('floor_divide does not support complex-valued inputs');
  // truncated quotient, minus one where the signs differ and the division is inexact
  const q = lax.div.bind1([a!, b!]);
  const r = lax.rem.bind1([a!, b!]);
  const zero = promoteArgs('floor_divide', [0, q])[0]!;
  const signsDiffer = lax.ne.bind1([lax.sign.bind1([a!]), lax.sign.bind1([b!])]); // JAX's rule: 1 // 0 is -2
  const adjust = lax.and.bind1([lax.ne.bind1([r, zero]), signsDiffer]);
  const one = promoteArgs('floor_divide', [1, q])[0]!;
  return lax.selectN.bind1([adjust, q, lax.sub.bind1([q, one])]);
}

/** NumPy's mod as jnp.remainder: the remainder takes the sign of the divisor; integer x % 0 is 0. */
export function remainder(x: ArrayLike, y: ArrayLike): Array {
  let [a, b] = promoteArgs('remainder', [x, y], toNumeric) as [Array, Array];
  const zero = promoteArgs('remainder', [0, a])[0]!;
  if (isInteger(b.dtype)) b = lax.selectN.bind1([lax.eq.bind1([b, zero]), b, promoteArgs('remainder', [1, b])[0]!]);
  const r = lax.rem.bind1([a, b]);
  const fix = lax.and.bind1([lax.ne.bind1([lax.lt.bind1([r, zero]), lax.lt.bind1([b, zero])]), lax.ne.bind1([r, zero])]);
  return lax.selectN.bind1([fix, r, lax.add.bind1([r, b])]);
}
export const mod = remainder;

export const negative = unaryUfunc('negative', lax.neg);
export const sign = unaryUfunc('sign', lax.sign);
export const floor = (x: ArrayLike): Array => (isInexact(asarray(x).dtype) ? lax.floor.bind1([asarray(x)]) : asarray(x));
export const ceil = (x: ArrayLike): Array => (isInexact(asarray(x).dtype) ? lax.ceil.bind1([asarray(x)]) : asarray(x));
/** round(x, decimals = 0) as jnp.round: half to even, scaling by 10 ** decimals (float16 scales in float32). */
export function round(x: ArrayLike, decimals: number | { decimals?: number } = 0): Array {
  const d = typeof decimals === 'object' ? decimals.decimals ?? 0 : decimals;
  if (!Number.isInteger(d)) throw new TypeError(`round: decimals must be an integer, got ${String(d)}`);
  const a = asarray(x);
  if (isInteger(a.dtype)) {
    if (d < 0) throw new Error('integer np.round not implemented for decimals < 0');
    return a;
  }
  if (isBool(a.dtype)) throw new TypeError(`round: data type bool not inexact`);
  if (d > Math.log10(finfo(a.dtype).max)) return a; // beyond the dtype's precision: a no-op
  const roundFloat = (v: Array): Array => {
    if (d === 0) return lax.round.bind1([v], { rounding_method: 1 });
    const w = v.dtype === 'float16' ? convertTo(v, 'float32', v.weakType) : v;
    const factor = broadcastTo(convertTo(asarray(10 ** d), w.dtype, w.weakType), w.shape, 'round');
    const out = lax.div.bind1([lax.round.bind1([lax.mul.bind1([w, factor])], { rounding_method: 1 }), factor]);
    return v.dtype === 'float16' ? convertTo(out, 'float16', v.weakType) : out;
  };
  if (isComplex(a.dtype)) return lax.complex.bind1([roundFloat(lax.real.bind1([a])), roundFloat(lax.imag.bind1([a]))]);
  return roundFloat(a);
}
export const exp = unaryUfunc('exp', lax.exp, toInexact);
export const exp2 = unaryUfunc('exp2', lax.exp2, toInexact);
export const log = unaryUfunc('log', lax.log, toInexact);
export const log1p = unaryUfunc('log1p', lax.log1p, toInexact);
export const expm1 = unaryUfunc('expm1', lax.expm1, toInexact);
export const tanh = unaryUfunc('tanh', lax.tanh, toInexact);
export const sin = unaryUfunc('sin', lax.sin, toInexact);
export const cos = unaryUfunc('cos', lax.cos, toInexact);
export const tan = unaryUfunc('tan', lax.tan, toInexact);
export const arcsin = unaryUfunc('arcsin', lax.asin, toInexact);
export const arccos = unaryUfunc('arccos', lax.acos, toInexact);
export const arctan = unaryUfunc('arctan', lax.atan, toInexact);
export const sinh = unaryUfunc('sinh', lax.sinh, toInexact);
export const cosh = unaryUfunc('cosh', lax.cosh, toInexact);
export const arcsinh = unaryUfunc('arcsinh', lax.asinh, toInexact);
export const arccosh = unaryUfunc('arccosh', lax.acosh, toInexact);
export const arctanh = unaryUfunc('arctanh', lax.atanh, toInexact);
export const sqrt = unaryUfunc('sqrt', lax.sqrt, toInexact);
export const cbrt = unaryUfunc('cbrt', lax.cbrt, toInexact);
export const square = unaryUfunc('square', lax.square, toNumeric);
export const reciprocal = (x: ArrayLike): Array => divide(1, x);
export const isfinite = (x: ArrayLike): Array => {
  const a = asarray(x);
  return isFloating(a.dtype) ? lax.isFinite.bind1([a]) : lax.eq.bind1([a, a]);
};
export const isnan = (x: ArrayLike): Array => lax.ne.bind1([asarray(x), asarray(x)]);
export function abs(x: ArrayLike): Array {
  const a = asarray(x);
  if (isUnsignedInteger(a.dtype) || isBool(a.dtype)) return a;
  return lax.abs.bind1([a]);
}
export const absolute = abs;
export const logicalNot = (x: ArrayLike): Array => lax.not.bind1([promoteArgs('logical_not', [x], () => 'bool')[0]!]);
export const logaddexp = (x: ArrayLike, y: ArrayLike): Array => {
  const [a, b] = promoteArgs('logaddexp', [x, y], toInexact);
  const amax = lax.max.bind1([a!, b!]);
  const delta = lax.sub.bind1([a!, b!]);
  const stable = lax.add.bind1([amax, lax.log1p.bind1([lax.exp.bind1([lax.neg.bind1([lax.abs.bind1([delta])])])])]);
  // delta is NaN for NaN inputs and for infinities of the same sign: a + b is then right (inf + inf = inf)
  return lax.selectN.bind1([lax.ne.bind1([delta, delta]), stable, lax.add.bind1([a!, b!])]);
};

/** where(condition, x, y) */
export function where(condition: ArrayLike, x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs('where', [x, y]);
  const c = astype(condition, 'bool');
  const shape = broadcastShapes('where', c.shape, a!.shape);
  return lax.selectN.bind1([broadcastTo(c, shape, 'where'), broadcastTo(b!, shape, 'where'), broadcastTo(a!, shape, 'where')]);
}
