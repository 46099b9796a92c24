// Elementwise numpy functions: promotion and broadcasting, then one lax primitive.
import type { Array, ArrayLike } from '../core/array.js';
import { toInexactDType, isBool, isComplex, isFloating, isInexact, isInteger, isUnsignedInteger, type DType } from '../core/dtypes.js';
import type { Primitive } from '../core/primitive.js';
import * as lax from '../lax/index.js';
import { asarray, astype, broadcastShapes, broadcastTo, promoteArgs } from './convert.js';

const toInexact = toInexactDType;

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
export const divide = binaryUfunc('divide', lax.div, toInexact);
export const trueDivide = divide;
export const maximum = binaryUfunc('maximum', lax.max);
export const minimum = binaryUfunc('minimum', lax.min);
export const arctan2 = binaryUfunc('arctan2', lax.atan2, toInexact);
export const equal = binaryUfunc('equal', lax.eq);
export const notEqual = binaryUfunc('not_equal', lax.ne);
export const less = binaryUfunc('less', lax.lt);
export const lessEqual = binaryUfunc('less_equal', lax.le);
export const greater = binaryUfunc('greater', lax.gt);
export const greaterEqual = binaryUfunc('greater_equal', lax.ge);
export const bitwiseAnd = binaryUfunc('bitwise_and', lax.and);
export const bitwiseOr = binaryUfunc('bitwise_or', lax.or);
export const bitwiseXor = binaryUfunc('bitwise_xor', lax.xor);

/** x ** y: integer powers of integers stay integers; otherwise inexact. */
export function power(x: ArrayLike, y: ArrayLike): Array {
  if (typeof y === 'number' && Number.isInteger(y) && !(typeof x === 'number')) {
    const a = asarray(x);
    if (y >= 0 || isInexact(a.dtype)) return lax.integerPow.bind1([a], { y });
  }
  const [a, b] = promoteArgs('power', [x, y]);
  if (isInteger(a!.dtype) || isBool(a!.dtype)) {
    throw new TypeError(`power: integer powers with a non-constant exponent are not supported yet (got ${a!.dtype})`);
  }
  return lax.pow.bind1([a!, b!]);
}
export const pow = power;

/** Floor division, rounding toward -inf as NumPy does. */
export function floorDivide(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs('floor_divide', [x, y]);
  if (isFloating(a!.dtype)) {
    // JAX's float divmod: (x - fmod(x, y)) / y, corrected toward -inf, then rounded; floor(1 / 0.1) is 9
    const mod = lax.rem.bind1([a!, b!]);
    const div = lax.div.bind1([lax.sub.bind1([a!, mod]), b!]);
    const zero = promoteArgs('floor_divide', [0, mod])[0]!;
    const fix = lax.and.bind1([lax.ne.bind1([mod, zero]), lax.ne.bind1([lax.sign.bind1([b!]), lax.sign.bind1([mod])])]);
    const one = promoteArgs('floor_divide', [1, div])[0]!;
    return lax.round.bind1([lax.selectN.bind1([fix, div, lax.sub.bind1([div, one])])], { rounding_method: 0 });
  }
  if (isUnsignedInteger(a!.dtype)) return lax.div.bind1([a!, b!]);
  if (isComplex(a!.dtype)) throw new TypeError('floor_divide does not support complex dtypes');
  // truncated quotient, minus one where the signs differ and the division is inexact
  const q = lax.div.bind1([a!, b!]);
  const r = lax.rem.bind1([a!, b!]);
  const zero = promoteArgs('floor_divide', [0, q])[0]!;
  const signsDiffer = lax.ne.bind1([lax.sign.bind1([a!]), lax.sign.bind1([b!])]); // JAX's rule: 1 // 0 is -2
  const adjust = lax.and.bind1([lax.ne.bind1([r, zero]), signsDiffer]);
  const one = promoteArgs('floor_divide', [1, q])[0]!;
  return lax.selectN.bind1([adjust, q, lax.sub.bind1([q, one])]);
}

/** NumPy's mod: the remainder takes the sign of the divisor. */
export function remainder(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs('remainder', [x, y]);
  const r = lax.rem.bind1([a!, b!]);
  if (isUnsignedInteger(a!.dtype)) return r;
  const zero = promoteArgs('remainder', [0, r])[0]!;
  const fix = lax.and.bind1([lax.ne.bind1([r, zero]), lax.ne.bind1([lax.lt.bind1([r, zero]), lax.lt.bind1([b!, zero])])]);
  return lax.selectN.bind1([fix, r, lax.add.bind1([r, b!])]);
}
export const mod = remainder;

export const negative = unaryUfunc('negative', lax.neg);
export const sign = unaryUfunc('sign', lax.sign);
export const floor = (x: ArrayLike): Array => (isInexact(asarray(x).dtype) ? lax.floor.bind1([asarray(x)]) : asarray(x));
export const ceil = (x: ArrayLike): Array => (isInexact(asarray(x).dtype) ? lax.ceil.bind1([asarray(x)]) : asarray(x));
export const round = (x: ArrayLike): Array => (isInexact(asarray(x).dtype) ? lax.round.bind1([asarray(x)], { rounding_method: 1 }) : asarray(x));
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
export const square = unaryUfunc('square', lax.square);
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
