// The rest of jax.numpy's elementwise math (the lax sets under their NumPy names, plus
// hypot, clip, isclose, ...), creation extras (logspace, tri, meshgrid) and tensor
// contractions (vdot, inner, outer, tensordot). Each follows jax/_src/numpy (JAX 0.11)
// op for op, so results match JAX's bits where the lowerings do.
import { Array, type ArrayLike } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import {
  canonicalizeDType, checkDType, finfo, isBool, isComplex, isFloating, isInexact, isInteger, isUnsignedInteger,
  resultType, type DType,
} from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import { asarray, broadcastTo, convertTo, promoteArgs } from './convert.js';
import { linspace } from './creation.js';
import { asOneProgram } from './one_program.js';
import { dot } from './linalg.js';
import { all, normalizeAxes } from './reductions.js';
import { ravel, reshape } from './shape.js';
import * as ufuncs from './ufuncs.js';

// ---- promotion (jax/_src/numpy/util.py) ----

// JAX's dtypes.to_inexact_dtype: a fixed table, so int32 stays float32 even with x64 on.
// (Belongs in lib/core/dtypes.ts; statistics.ts has the same table.)
const INEXACT_OF: Partial<Record<DType, DType>> = {
  bool: 'float32', int8: 'float32', int16: 'float32', int32: 'float32', int64: 'float64',
  uint8: 'float32', uint16: 'float32', uint32: 'float32', uint64: 'float64',
};
const toInexactDType = (d: DType): DType => canonicalizeDType(INEXACT_OF[d] ?? d);
const realDType = (d: DType): DType => (d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d);

/** promote_args_inexact: common dtype, then inexact, keeping the weak flag (as JAX does). */
function promoteInexact(op: string, args: ArrayLike[]): Array[] {
  return promoteArgs(op, args).map((a) => convertTo(a, toInexactDType(a.dtype), a.weakType));
}

/** promote_args_numeric: bool becomes int32. */
function promoteNumeric(op: string, args: ArrayLike[]): Array[] {
  return promoteArgs(op, args).map((a) => (isBool(a.dtype) ? convertTo(a, 'int32', a.weakType) : a));
}

// ---- small lax helpers ----

/**
 * `value` in `dtype` (default: like's) broadcast to like's shape: JAX's `_const`, weak only
 * when `like` is a weak scalar (then JAX uses a Python scalar).
 */
function fill(like: Array, value: number | bigint | boolean, dtype?: DType): Array {
  const weak = dtype === undefined && like.weakType && like.ndim === 0;
  const d = dtype ?? like.dtype;
  return broadcastTo(convertTo(asarray(value, d), d, weak), like.shape);
}
/** A strong constant like `like` (JAX's `np.array(value, dtype)` / `_constant_like`). */
const strong = (like: Array, value: number): Array => fill(like, value, like.dtype);
/** JAX's full_like: keeps like's weak type. */
const fullLike = (like: Array, value: number): Array => broadcastTo(convertTo(asarray(value, like.dtype), like.dtype, like.weakType), like.shape);
const select = (pred: Array, onTrue: Array, onFalse: Array): Array => lax.selectN.bind1([pred, onFalse, onTrue]);
const or = (a: Array, b: Array): Array => lax.or.bind1([a, b]);
const and = (a: Array, b: Array): Array => lax.and.bind1([a, b]);
const not = (a: Array): Array => lax.not.bind1([a]);
const eq = (a: Array, b: Array): Array => lax.eq.bind1([a, b]);
const abs = (a: Array): Array => lax.abs.bind1([a]);
const real = (a: Array): Array => lax.real.bind1([a]);
const imag = (a: Array): Array => lax.imag.bind1([a]);
const isNaN = (a: Array): Array => lax.ne.bind1([a, a]);
const toBool = (a: Array): Array => (isBool(a.dtype) ? a : lax.ne.bind1([a, fill(a, 0)]));
const falses = (like: Array): Array => fill(like, false, 'bool');

// ---- NumPy names for lax ops ----

export const acos = ufuncs.arccos;
export const asin = ufuncs.arcsin;
export const atan = ufuncs.arctan;
export const acosh = ufuncs.arccosh;
export const asinh = ufuncs.arcsinh;
export const atanh = ufuncs.arctanh;
export const atan2 = ufuncs.arctan2;

/** +x: the promoted input. */
export const positive = (x: ArrayLike): Array => promoteArgs('positive', [x])[0]!;

/** |x| as a float; complex inputs are rejected. */
export function fabs(x: ArrayLike): Array {
  if (isComplex(asarray(x).dtype)) throw new TypeError("ufunc 'fabs' does not support complex dtypes");
  return abs(promoteInexact('fabs', [x])[0]!);
}

/** Bitwise NOT (logical NOT for bools). */
export const invert = (x: ArrayLike): Array => not(promoteArgs('invert', [x])[0]!);
export const bitwiseNot = (x: ArrayLike): Array => not(promoteArgs('bitwise_not', [x])[0]!);
export const bitwiseInvert = (x: ArrayLike): Array => not(promoteArgs('bitwise_invert', [x])[0]!);

export const leftShift = (x: ArrayLike, y: ArrayLike): Array => lax.shiftLeft.bind1(promoteNumeric('left_shift', [x, y]));
export const bitwiseLeftShift = (x: ArrayLike, y: ArrayLike): Array => lax.shiftLeft.bind1(promoteNumeric('bitwise_left_shift', [x, y]));

/** x >> y: logical for unsigned integers, arithmetic for signed ones. */
export function rightShift(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteNumeric('right_shift', [x, y]);
  return (isUnsignedInteger(a!.dtype) ? lax.shiftRightLogical : lax.shiftRightArithmetic).bind1([a!, b!]);
}
export const bitwiseRightShift = rightShift;

function logical(op: string, primitive: typeof lax.and) {
  return (x: ArrayLike, y: ArrayLike): Array => primitive.bind1(promoteArgs(op, [x, y]).map(toBool));
}
export const logicalAnd = logical('logical_and', lax.and);
export const logicalOr = logical('logical_or', lax.or);
export const logicalXor = logical('logical_xor', lax.xor);

export const nextafter = (x: ArrayLike, y: ArrayLike): Array => lax.nextafter.bind1(promoteInexact('nextafter', [x, y]));
/** x ** y in floating point (jnp.float_power). */
export const floatPower = (x: ArrayLike, y: ArrayLike): Array => lax.pow.bind1(promoteInexact('float_power', [x, y]));

/** C's fmod: the remainder takes the sign of x; integer division by zero gives 0, as in JAX. */
export function fmod(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteNumeric('fmod', [x, y]);
  const divisor = isInteger(b!.dtype) ? select(eq(b!, fill(b!, 0)), fullLike(b!, 1), b!) : b!;
  return lax.rem.bind1([a!, divisor]);
}

/** Rounds toward zero; integers and bools pass through. */
export function trunc(x: ArrayLike): Array {
  const a = asarray(x);
  if (isInteger(a.dtype) || isBool(a.dtype)) return a;
  return ufuncs.where(lax.lt.bind1([a, fill(a, 0)]), ufuncs.ceil(a), ufuncs.floor(a));
}

/** Rounds to the nearest integer, ties to even; integers become the default float. */
export function rint(x: ArrayLike): Array {
  const a = asarray(x);
  if (isInteger(a.dtype) || isBool(a.dtype)) return convertTo(a, canonicalizeDType('float64'), false);
  if (isComplex(a.dtype)) return lax.complex.bind1([rint(real(a)), rint(imag(a))]);
  return lax.round.bind1([a], { rounding_method: 1 });
}

/** [x - whole, whole] where whole is x truncated toward zero. */
export function modf(x: ArrayLike): [Array, Array] {
  const a = promoteInexact('modf', [x])[0]!;
  const whole = ufuncs.where(lax.ge.bind1([a, fill(a, 0)]), ufuncs.floor(a), ufuncs.ceil(a));
  return [lax.sub.bind1([a, whole]), whole];
}

/** [floorDivide(x, y), remainder(x, y)]; floats follow CPython's float_divmod, as JAX does. */
export function divmod(x: ArrayLike, y: ArrayLike): [Array, Array] {
  const [a, b] = promoteNumeric('divmod', [x, y]);
  if (isInteger(a!.dtype)) return [ufuncs.floorDivide(a!, b!), ufuncs.remainder(a!, b!)];
  if (isComplex(a!.dtype)) throw new TypeError('divmod does not support complex-valued inputs');
  let mod = lax.rem.bind1([a!, b!]);
  const zero = fill(a!, 0);
  const corrected = select(eq(b!, zero), a!, lax.sub.bind1([a!, mod]));
  let div = lax.div.bind1([corrected, b!]);
  const fix = and(lax.ne.bind1([mod, zero]), lax.ne.bind1([lax.sign.bind1([b!]), lax.sign.bind1([mod])]));
  mod = select(fix, lax.add.bind1([mod, b!]), mod);
  div = select(fix, lax.sub.bind1([div, fill(div, 1)]), div);
  return [lax.round.bind1([div], { rounding_method: 0 }), mod];
}

/** log base 2: log(x) / log(2). */
export function log2(x: ArrayLike): Array {
  const a = promoteInexact('log2', [x])[0]!;
  const r = lax.log.bind1([a]);
  if (isComplex(a.dtype)) {
    const ln2 = strong(real(r), Math.LN2);
    return lax.complex.bind1([lax.div.bind1([real(r), ln2]), lax.div.bind1([imag(r), ln2])]);
  }
  return lax.div.bind1([r, strong(r, Math.LN2)]);
}

/** log base 10: log(x) * (1 / log(10)). */
export function log10(x: ArrayLike): Array {
  const a = promoteInexact('log10', [x])[0]!;
  const r = lax.log.bind1([a]);
  const inv = 0.4342944819032518; // 1 / ln(10), as JAX writes it
  if (isComplex(a.dtype)) {
    return lax.complex.bind1([lax.mul.bind1([real(r), strong(real(r), inv)]), lax.mul.bind1([imag(r), strong(real(r), inv)])]);
  }
  return lax.mul.bind1([r, strong(r, inv)]);
}

/** Wraps x into [-a, a] (for the imaginary part of complex logaddexp). */
function wrapBetween(x: Array, a: number): Array {
  let rem = lax.rem.bind1([lax.add.bind1([x, fill(x, a)]), fill(x, 2 * a)]);
  rem = select(lax.lt.bind1([rem, fill(rem, 0)]), lax.add.bind1([rem, fill(rem, 2 * a)]), rem);
  return lax.sub.bind1([rem, fill(rem, a)]);
}

/** log2(2**x + 2**y) without overflow; NaN-free for infinities of the same sign. */
export function logaddexp2(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteInexact('logaddexp2', [x, y]);
  const amax = lax.max.bind1([a!, b!]);
  const invln2 = fill(amax, 1 / Math.LN2);
  if (isComplex(a!.dtype)) {
    const delta = lax.sub.bind1([lax.add.bind1([a!, b!]), lax.mul.bind1([amax, fill(amax, 2)])]);
    const out = lax.add.bind1([amax, lax.mul.bind1([invln2, lax.log1p.bind1([lax.exp2.bind1([delta])])])]);
    return lax.complex.bind1([real(out), wrapBetween(imag(out), Math.PI / Math.LN2)]);
  }
  const delta = lax.sub.bind1([a!, b!]);
  const body = lax.add.bind1([amax, lax.mul.bind1([invln2, lax.log1p.bind1([lax.exp2.bind1([lax.neg.bind1([abs(delta)])])])])]);
  return select(isNaN(delta), lax.add.bind1([a!, b!]), body);
}

export const deg2rad = (x: ArrayLike): Array => {
  const a = promoteInexact('deg2rad', [x])[0]!;
  return lax.mul.bind1([a, fill(a, Math.PI / 180)]);
};
export const rad2deg = (x: ArrayLike): Array => {
  const a = promoteInexact('rad2deg', [x])[0]!;
  return lax.mul.bind1([a, fill(a, 180 / Math.PI)]);
};
export const radians = deg2rad;
export const degrees = rad2deg;

// ---- complex parts ----

const realPart = (x: ArrayLike): Array => {
  const a = asarray(x);
  return isComplex(a.dtype) ? real(a) : a;
};
/** The imaginary part (zeros of x's dtype for real inputs). */
const imagPart = (x: ArrayLike): Array => {
  const a = asarray(x);
  return isComplex(a.dtype) ? imag(a) : broadcastTo(convertTo(asarray(0), a.dtype, a.weakType), a.shape);
};
export { realPart as real, imagPart as imag };
export const conjugate = (x: ArrayLike): Array => {
  const a = asarray(x);
  return isComplex(a.dtype) ? lax.conj.bind1([a]) : a;
};
export const conj = conjugate;

/** The argument of complex numbers (in degrees with `deg`). */
export function angle(z: ArrayLike, deg = false): Array {
  const a = asarray(z);
  let re = realPart(a);
  let im = imagPart(a);
  if (!isInexact(re.dtype) || (isFloating(a.dtype) && a.ndim === 0)) {
    const d = canonicalizeDType('float64');
    re = convertTo(re, d, false);
    im = convertTo(im, d, false);
  }
  const result = lax.atan2.bind1([im, re]);
  return deg ? rad2deg(result) : result;
}

export const iscomplex = (x: ArrayLike): Array => {
  const i = imagPart(x);
  return lax.ne.bind1([i, fill(i, 0)]);
};
export const isreal = (x: ArrayLike): Array => {
  const i = imagPart(x);
  return eq(i, fill(i, 0));
};
export const iscomplexobj = (x: ArrayLike): boolean => isComplex(asarray(x).dtype);
export const isrealobj = (x: ArrayLike): boolean => !iscomplexobj(x);

// ---- floating-point classification ----

/** Infinite elements (either part, for complex). */
export function isinf(x: ArrayLike): Array {
  const a = asarray(x);
  if (isFloating(a.dtype)) return eq(abs(a), fill(a, Infinity));
  if (isComplex(a.dtype)) {
    const [re, im] = [real(a), imag(a)];
    return or(eq(abs(re), fill(re, Infinity)), eq(abs(im), fill(im, Infinity)));
  }
  return falses(a);
}

function isSignedInf(op: string, x: ArrayLike, infinity: number): Array {
  const a = asarray(x);
  if (isFloating(a.dtype)) return eq(a, fill(a, infinity));
  if (isComplex(a.dtype)) throw new TypeError(`${op}: isposinf/isneginf are not well defined for complex types`);
  return falses(a);
}
export const isposinf = (x: ArrayLike): Array => isSignedInf('isposinf', x, Infinity);
export const isneginf = (x: ArrayLike): Array => isSignedInf('isneginf', x, -Infinity);

/** Finite elements: both parts, for complex; always true for integers. */
function isfinite(a: Array): Array {
  if (isFloating(a.dtype)) return lax.isFinite.bind1([a]);
  if (isComplex(a.dtype)) return and(lax.isFinite.bind1([real(a)]), lax.isFinite.bind1([imag(a)]));
  return fill(a, true, 'bool');
}

const INT_OF_BITS: Record<number, DType> = { 16: 'int16', 32: 'int32', 64: 'int64' };

/** The sign bit (set for -0.0 and -NaN too), read from the bits as JAX does. */
export function signbit(x: ArrayLike): Array {
  const a = promoteArgs('signbit', [x])[0]!;
  if (isInteger(a.dtype)) return lax.lt.bind1([a, fill(a, 0)]);
  if (isBool(a.dtype)) return falses(a);
  if (!isFloating(a.dtype)) throw new TypeError(`jax.numpy.signbit is not well defined for ${a.dtype}`);
  const info = finfo(a.dtype);
  const bits = lax.bitcastConvertType.bind1([a], { new_dtype: INT_OF_BITS[info.bits]! });
  return toBool(lax.shiftRightArithmetic.bind1([bits, fill(bits, info.nexp + info.nmant)]));
}

/** |x| with the sign of y. */
export function copysign(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteInexact('copysign', [x, y]);
  if (isComplex(a!.dtype)) throw new TypeError('copysign does not support complex-valued inputs');
  return select(signbit(b!), lax.neg.bind1([abs(a!)]), abs(a!));
}

/**
 * Mantissa in [0.5, 1) and int32 exponent, from the bits (JAX's _frexp); one program eagerly, as
 * JAX's, whose fused `x == 0` keeps a subnormal x that a lone eager compare flushes to zero.
 */
export const frexp = asOneProgram('frexp', frexpOps);
function frexpOps(x: ArrayLike): [Array, Array] {
  const a = promoteInexact('frexp', [x])[0]!;
  if (isComplex(a.dtype)) throw new TypeError('frexp does not support complex-valued inputs');
  const info = finfo(a.dtype);
  const intType = INT_OF_BITS[info.bits]!;
  const big = (v: bigint) => (info.bits === 64 ? v : Number(BigInt.asIntN(info.bits, v)));
  const mask = (1n << BigInt(info.nexp)) - 1n;
  const bias = BigInt(1 - info.minexp);
  // subnormals are scaled into the normal range first
  const tiny = lax.lt.bind1([abs(a), fill(a, info.tiny)]);
  const scaled = select(tiny, lax.mul.bind1([a, fill(a, 2 ** info.nmant)]), a);
  let bits = lax.bitcastConvertType.bind1([scaled], { new_dtype: intType });
  let exp = select(tiny, fill(bits, -info.nmant), fill(bits, 0));
  const field = lax.and.bind1([lax.shiftRightArithmetic.bind1([bits, fill(bits, info.nmant)]), fill(bits, big(mask))]);
  exp = lax.add.bind1([exp, lax.add.bind1([lax.sub.bind1([field, fill(field, big(bias))]), fill(field, 1)])]);
  bits = lax.and.bind1([bits, fill(bits, big(BigInt.asIntN(64, ~(mask << BigInt(info.nmant)))))]);
  bits = lax.or.bind1([bits, fill(bits, big((bias - 1n) << BigInt(info.nmant)))]);
  const mantissa = lax.bitcastConvertType.bind1([bits], { new_dtype: a.dtype });
  const special = or(or(isinf(a), isNaN(a)), eq(a, fill(a, 0)));
  exp = select(special, fill(exp, 0), exp);
  return [select(special, a, mantissa), convertTo(exp, 'int32', false)];
}

/** x * 2**e for an integer e, without intermediate overflow (JAX's ldexp). */
export function ldexp(x: ArrayLike, e: ArrayLike): Array {
  const [xa, ea] = [asarray(x), asarray(e)];
  if (isComplex(xa.dtype) || isInexact(ea.dtype)) throw new TypeError(`ldexp not supported for input types (${xa.dtype}, ${ea.dtype})`);
  const a = promoteInexact('ldexp', [xa])[0]!;
  const e2 = convertTo(ea, a.dtype, false);
  const [m0, exp0] = frexp(a);
  let [m, exp] = promoteArgs('ldexp', [m0, ufuncs.add(convertTo(exp0, e2.dtype, false), e2)]);
  const positive = lax.gt.bind1([exp!, fill(exp!, 0)]);
  m = select(positive, lax.mul.bind1([m!, fill(m!, 2)]), m!);
  exp = select(positive, lax.sub.bind1([exp!, fill(exp!, 1)]), exp!);
  const out = lax.mul.bind1([m, ufuncs.power(2, exp)]);
  return ufuncs.where(or(isinf(a), eq(a, fill(a, 0))), a, out);
}

// ---- composite elementwise functions ----

/** sqrt(x² + y²) without overflow; inf wherever either leg is infinite. */
export function hypot(x: ArrayLike, y: ArrayLike): Array {
  let [a, b] = promoteInexact('hypot', [x, y]);
  if (isComplex(a!.dtype)) throw new TypeError('jnp.hypot is not well defined for complex-valued inputs. Please convert to real values first, such as by using abs(x)');
  a = abs(a!);
  b = abs(b!);
  const inf = or(isposinf(a), isposinf(b));
  [a, b] = [lax.max.bind1([a, b]), lax.min.bind1([a, b])];
  const zero = eq(a, fill(a, 0));
  const ratio = lax.div.bind1([b, select(zero, fullLike(a, 1), a)]);
  const h = select(zero, a, lax.mul.bind1([a, lax.sqrt.bind1([lax.add.bind1([fullLike(a, 1), lax.square.bind1([ratio])])])]));
  return select(inf, fill(h, Infinity), h);
}

/** 0 for x < 0, 1 for x > 0, h0 at x == 0 (NaN stays NaN). */
export function heaviside(x: ArrayLike, h0: ArrayLike): Array {
  const [a, h] = promoteInexact('heaviside', [x, h0]);
  const zero = fill(a!, 0);
  return select(lax.lt.bind1([a!, zero]), zero, select(lax.gt.bind1([a!, zero]), fill(a!, 1), select(isNaN(a!), a!, h!)));
}

/** sin(πx) / (πx), 1 at 0 and 0 at ±inf. */
export function sinc(x: ArrayLike): Array {
  const a = promoteInexact('sinc', [x])[0]!;
  const isZero = eq(a, fill(a, 0));
  const piX = lax.mul.bind1([fill(a, Math.PI), a]);
  const safe = select(isZero, fill(a, 1), piX);
  const atZero = lax.add.bind1([lax.mul.bind1([piX, fill(piX, 0)]), fill(piX, 1)]); // JAX's Maclaurin term
  // sinc(±inf) is NaN (sin(inf) / inf), as in JAX 0.10
  return select(isZero, atZero, lax.div.bind1([lax.sin.bind1([safe]), safe]));
}

/** NaN-ignoring maximum: where y is NaN, x. */
export const fmax = (x: ArrayLike, y: ArrayLike): Array => ufuncs.where(or(ufuncs.greater(x, y), ufuncs.isnan(y)), x, y);
/** NaN-ignoring minimum: where y is NaN, x. */
export const fmin = (x: ArrayLike, y: ArrayLike): Array => ufuncs.where(or(ufuncs.less(x, y), ufuncs.isnan(y)), x, y);

const isBound = (v: unknown): v is ArrayLike => v !== null && v !== undefined;
const isOptions = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !(v instanceof Array) && !globalThis.Array.isArray(v);

export interface ClipOptions {
  min?: ArrayLike | null;
  max?: ArrayLike | null;
}

/** clip(x, min?, max?): maximum(min, x) then minimum(max, x); a null bound is no bound. */
export function clip(x: ArrayLike, min?: ArrayLike | null | ClipOptions, max?: ArrayLike | null): Array {
  if (isOptions(min)) ({ min, max } = min as ClipOptions);
  const bounds = [min as ArrayLike | null | undefined, max];
  if ([x, ...bounds].some((v) => isBound(v) && isComplex(asarray(v).dtype))) {
    throw new TypeError(
      'Clip received a complex value either through the input or the min/max keywords. Complex values have no ordering and cannot be clipped. ' +
        'Please convert to a real value or array by taking the real or imaginary components via jax.numpy.real/imag respectively.',
    );
  }
  let out = asarray(x);
  if (isBound(bounds[0])) out = ufuncs.maximum(bounds[0], out);
  if (isBound(max)) out = ufuncs.minimum(max, out);
  return out;
}

export interface IscloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

/** |a - b| <= atol + rtol * |b|, with a == b covering infinities (JAX 0.11's isclose). */
export function isclose(a: ArrayLike, b: ArrayLike, rtol: number | IscloseOptions = 1e-5, atol = 1e-8, equalNan = false): Array {
  if (typeof rtol === 'object') ({ rtol = 1e-5, atol = 1e-8, equalNan = false } = rtol);
  const [x, y] = promoteInexact('isclose', [a, b]);
  const absDiff = abs(lax.sub.bind1([x!, y!]));
  const tolerance = lax.add.bind1([strong(absDiff, atol), lax.mul.bind1([strong(absDiff, rtol), abs(y!)])]);
  const inRange = lax.le.bind1([absDiff, tolerance]);
  const out = or(eq(x!, y!), and(isfinite(y!), inRange));
  return equalNan ? or(out, and(isNaN(x!), isNaN(y!))) : out;
}

/** all(isclose(a, b, ...)) as a bool scalar Array. */
export function allclose(a: ArrayLike, b: ArrayLike, rtol: number | IscloseOptions = 1e-5, atol = 1e-8, equalNan = false): Array {
  return all(isclose(a, b, rtol, atol, equalNan));
}

export interface NanToNumOptions {
  nan?: number;
  posinf?: number | null;
  neginf?: number | null;
}

/** NaN → nan (0), +inf → posinf (dtype max), -inf → neginf (dtype min); per part for complex. */
export function nanToNum(x: ArrayLike, options: NanToNumOptions = {}): Array {
  const a = asarray(x);
  if (!isInexact(a.dtype)) return a;
  if (isComplex(a.dtype)) return lax.complex.bind1([nanToNum(real(a), options), nanToNum(imag(a), options)]);
  const info = finfo(a.dtype);
  const value = (v: number) => asarray(v, a.dtype);
  let out = ufuncs.where(isNaN(a), value(options.nan ?? 0), a);
  out = ufuncs.where(isposinf(out), value(options.posinf ?? info.max), out);
  return ufuncs.where(isneginf(out), value(options.neginf ?? info.min), out);
}

// ---- creation ----

export interface LogspaceOptions {
  endpoint?: boolean;
  base?: number;
  dtype?: DType;
}

/** base ** linspace(start, stop, num): num points from base**start to base**stop. */
export function logspace(start: number, stop: number, num = 50, options: LogspaceOptions = {}): Array {
  const dtype = options.dtype ? canonicalizeDType(checkDType(options.dtype, 'logspace')) : toInexactDType(resultType(start, stop).dtype);
  const computation = toInexactDType(dtype);
  const lin = linspace(start, stop, num, { endpoint: options.endpoint ?? true, dtype: computation });
  return convertTo(ufuncs.power(options.base ?? 10, lin), dtype, false);
}

export interface TriOptions {
  M?: number | null;
  k?: number;
  dtype?: DType;
}

/** tri(N, M = N, k = 0): ones at and below the k-th diagonal; float32 by default, as JAX's. */
export function tri(n: number, m?: number | null | TriOptions, k: number | TriOptions = 0, options: { dtype?: DType } = {}): Array {
  // options may name the positional parameters: tri(3, { M: 4, k: -1 })
  if (m !== null && typeof m === 'object') ({ M: m, k = 0, ...options } = m);
  if (typeof k === 'object') ({ k = 0, ...options } = k);
  const dtype = options.dtype ? canonicalizeDType(checkDType(options.dtype, 'tri')) : 'float32';
  const shape = [n, m ?? n];
  const rows = lax.iota.bind1([], { dtype: 'int32', shape, dimension: 0 });
  const cols = lax.iota.bind1([], { dtype: 'int32', shape, dimension: 1 });
  return convertTo(lax.ge.bind1([lax.add.bind1([rows, fill(rows, k)]), cols]), dtype, false);
}

export interface MeshgridOptions {
  indexing?: 'xy' | 'ij';
  sparse?: boolean;
}

/** Coordinate grids from 1-D vectors: 'xy' (default) swaps the first two output axes. */
export function meshgrid(...args: (ArrayLike | MeshgridOptions)[]): Array[] {
  const options = (args.length && isOptions(args.at(-1)) ? args.pop() : {}) as MeshgridOptions;
  const indexing = options.indexing ?? 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') throw new TypeError(`Valid values for indexing are 'xy' and 'ij', got ${String(indexing)}`);
  const xs = (args as ArrayLike[]).map((x) => asarray(x));
  if (xs.some((a) => a.ndim !== 1)) throw new TypeError(`Arguments to jax.numpy.meshgrid must be 1D, got shapes [${xs.map((a) => shapeStr(a.shape)).join(', ')}]`);
  const swap = indexing === 'xy' && xs.length >= 2;
  if (swap) [xs[0], xs[1]] = [xs[1]!, xs[0]!];
  const full = xs.map((a) => (options.sparse ? 1 : a.shape[0]!));
  const out = xs.map((a, i) => {
    const shape = options.sparse ? full.map((d, j) => (j === i ? a.shape[0]! : d)) : full;
    return lax.broadcastInDim.bind1([a], { shape, broadcast_dimensions: [i] });
  });
  if (swap) [out[0], out[1]] = [out[1]!, out[0]!];
  return out;
}

// ---- tensor contractions ----

/** Dot product of the flattened inputs, conjugating the first. */
export function vdot(a: ArrayLike, b: ArrayLike): Array {
  return dot(ravel(conjugate(a)), ravel(b));
}

/** Contraction over the last axis of each input (a product when either is a scalar). */
export function inner(a: ArrayLike, b: ArrayLike): Array {
  const [x, y] = [asarray(a), asarray(b)];
  if (x.ndim === 0 || y.ndim === 0) return ufuncs.multiply(x, y);
  return tensordot(x, y, [-1, -1]);
}

/** outer(a, b)[i, j] = a.ravel()[i] * b.ravel()[j]. */
export function outer(a: ArrayLike, b: ArrayLike): Array {
  const { dtype, weak } = resultType(asarray(a), asarray(b));
  const x = reshape(convertTo(asarray(a), dtype, weak), [-1, 1]);
  const y = reshape(convertTo(asarray(b), dtype, weak), [1, -1]);
  const shape = [x.shape[0]!, y.shape[1]!];
  // bool products are logical ANDs, as jnp.multiply's
  return (isBool(dtype) ? lax.and : lax.mul).bind1([broadcastTo(x, shape), broadcastTo(y, shape)]);
}

export type TensordotAxes = number | [number, number] | [readonly number[], readonly number[]];

/** Sums products over axes: the last `axes` of a with the first of b, or explicit axis lists. */
export function tensordot(a: ArrayLike, b: ArrayLike, axesOrOptions: TensordotAxes | { axes?: TensordotAxes } = 2): Array {
  const axes = !globalThis.Array.isArray(axesOrOptions) && typeof axesOrOptions === 'object' ? axesOrOptions.axes ?? 2 : (axesOrOptions as TensordotAxes);
  let [x, y] = [asarray(a), asarray(b)];
  const { dtype, weak } = resultType(x, y);
  [x, y] = [convertTo(x, dtype, weak), convertTo(y, dtype, weak)];
  const axis = (op: Array, ax: number) => normalizeAxes('tensordot', ax, op.ndim)[0]!;
  let contracting: [number[], number[]];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > Math.min(x.ndim, y.ndim)) {
      throw new TypeError(`Number of tensordot axes (axes ${axes}) exceeds input ranks (${shapeStr(x.shape)} and ${shapeStr(y.shape)})`);
    }
    contracting = [[...globalThis.Array(axes).keys()].map((i) => x.ndim - axes + i), [...globalThis.Array(axes).keys()]];
  } else if (globalThis.Array.isArray(axes) && axes.length === 2) {
    const [ax1, ax2] = axes;
    if (typeof ax1 === 'number' && typeof ax2 === 'number') contracting = [[axis(x, ax1)], [axis(y, ax2)]];
    else if (globalThis.Array.isArray(ax1) && globalThis.Array.isArray(ax2)) {
      if (ax1.length !== ax2.length) throw new TypeError(`tensordot requires axes lists to have equal length, got ${JSON.stringify(ax1)} and ${JSON.stringify(ax2)}.`);
      contracting = [ax1.map((i: number) => axis(x, i)), ax2.map((i: number) => axis(y, i))];
    } else throw new TypeError(`tensordot requires both axes lists to be either ints, tuples or lists, got ${JSON.stringify(ax1)} and ${JSON.stringify(ax2)}`);
  } else {
    throw new TypeError('tensordot axes argument must be an int, a pair of ints, or a pair of lists/tuples of ints.');
  }
  return lax.dotGeneral.bind1([x, y], { dimension_numbers: [contracting, [[], []]], preferred_element_type: null });
}
