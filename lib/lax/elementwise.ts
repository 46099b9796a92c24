// Elementwise primitives: unary math, binary arithmetic and bitwise ops, comparisons,
// select_n and clamp. Each is one stanza; the factories carry the shared rules.
import { ShapedArray } from '../core/aval.js';
import { isBool, isComplex, isFloating, isInexact, isInteger, isSignedInteger, isUnsignedInteger, type DType } from '../core/dtypes.js';
import { Primitive, type Params } from '../core/primitive.js';
import type { LoweringContext, Value } from '../lowering/context.js';
import { checkDTypes, naryAval, type DTypeClass } from './rules.js';

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
  return new Primitive(name, {
    abstractEval: ([x], _params) => {
      checkDTypes(name, [x!], dtypes, typeName);
      return [new ShapedArray(x!.shape, outDType ? outDType(x!.dtype) : x!.dtype, x!.weakType)];
    },
    lower: lowering(lower),
  });
}

/** A binary (or n-ary) elementwise primitive: same shapes, same dtypes. */
export function binary(name: string, dtypes: DTypeClass, typeName: string, lower: Lower, outDType?: (d: DType) => DType): Primitive {
  return new Primitive(name, {
    abstractEval: (avals) => {
      checkDTypes(name, avals, dtypes, typeName);
      const out = naryAval(name, avals);
      return [outDType ? new ShapedArray(out.shape, outDType(out.dtype), false) : out];
    },
    lower: lowering(lower),
  });
}

const realOf = (d: DType): DType => (d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d);

// ---- unary ----
export const neg = unary('neg', numeric, 'number', 'stablehlo.negate');
export const sign = unary('sign', numeric, 'number', 'stablehlo.sign');
export const floor = unary('floor', realFloat, 'floating', 'stablehlo.floor');
export const ceil = unary('ceil', realFloat, 'floating', 'stablehlo.ceil');
/** rounding_method: 0 away from zero (lax default), 1 to nearest even. */
export const round = unary('round', realFloat, 'floating', (ctx, [x], p, out) =>
  ctx.op1(p.rounding_method === 1 ? 'stablehlo.round_nearest_even' : 'stablehlo.round_nearest_afz', [x!], out),
);
export const isFinite = unary('is_finite', realFloat, 'floating', 'stablehlo.is_finite', () => 'bool');
export const exp = unary('exp', floatOrComplex, 'inexact', 'stablehlo.exponential');
export const exp2 = unary('exp2', floatOrComplex, 'inexact', (ctx, [x], _p, out) =>
  // exp2(x) = exp(x * ln 2), as JAX lowers it
  ctx.op1('stablehlo.exponential', [ctx.op1('stablehlo.multiply', [x!, ctx.constant(Math.LN2, out)], out)], out),
);
export const log = unary('log', floatOrComplex, 'inexact', 'stablehlo.log');
export const log1p = unary('log1p', floatOrComplex, 'inexact', 'stablehlo.log_plus_one');
export const expm1 = unary('expm1', floatOrComplex, 'inexact', 'stablehlo.exponential_minus_one');
export const tanh = unary('tanh', floatOrComplex, 'inexact', 'stablehlo.tanh');
export const logistic = unary('logistic', floatOrComplex, 'inexact', 'stablehlo.logistic');
export const sin = unary('sin', floatOrComplex, 'inexact', 'stablehlo.sine');
export const cos = unary('cos', floatOrComplex, 'inexact', 'stablehlo.cosine');
export const tan = unary('tan', floatOrComplex, 'inexact', 'chlo.tan');
export const asin = unary('asin', floatOrComplex, 'inexact', 'chlo.asin');
export const acos = unary('acos', floatOrComplex, 'inexact', 'chlo.acos');
export const atan = unary('atan', floatOrComplex, 'inexact', 'chlo.atan');
export const sinh = unary('sinh', floatOrComplex, 'inexact', 'chlo.sinh');
export const cosh = unary('cosh', floatOrComplex, 'inexact', 'chlo.cosh');
export const asinh = unary('asinh', floatOrComplex, 'inexact', 'chlo.asinh');
export const acosh = unary('acosh', floatOrComplex, 'inexact', 'chlo.acosh');
export const atanh = unary('atanh', floatOrComplex, 'inexact', 'chlo.atanh');
export const sqrt = unary('sqrt', floatOrComplex, 'inexact', 'stablehlo.sqrt');
export const rsqrt = unary('rsqrt', floatOrComplex, 'inexact', 'stablehlo.rsqrt');
export const cbrt = unary('cbrt', realFloat, 'floating', 'stablehlo.cbrt');
export const abs = unary('abs', signedOrInexact, 'signed or inexact', 'stablehlo.abs', realOf);
export const not = unary('not', intOrBool, 'integer or bool', 'stablehlo.not');
export const erf = unary('erf', realFloat, 'floating', 'chlo.erf');
export const erfc = unary('erfc', realFloat, 'floating', 'chlo.erfc');
export const erfInv = unary('erf_inv', realFloat, 'floating', 'chlo.erf_inv');
export const lgamma = unary('lgamma', realFloat, 'floating', 'chlo.lgamma');
export const digamma = unary('digamma', realFloat, 'floating', 'chlo.digamma');
export const square = unary('square', numeric, 'number', (ctx, [x], _p, out) => ctx.op1('stablehlo.multiply', [x!, x!], out));
export const real = unary('real', isComplex, 'complex', 'stablehlo.real', realOf);
export const imag = unary('imag', isComplex, 'complex', 'stablehlo.imag', realOf);
export const conj = unary('conj', isComplex, 'complex', (ctx, [x], _p, out) => {
  const part = new ShapedArray(out.shape, realOf(out.dtype));
  const re = ctx.op1('stablehlo.real', [x!], part);
  const im = ctx.op1('stablehlo.negate', [ctx.op1('stablehlo.imag', [x!], part)], part);
  return ctx.op1('stablehlo.complex', [re, im], out);
});
/** x ** y for a static integer y, by repeated squaring (as JAX lowers integer_pow). */
export const integerPow = new Primitive('integer_pow', {
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
});

// ---- binary ----
export const add = binary('add', numeric, 'number', 'stablehlo.add');
export const sub = binary('sub', numeric, 'number', 'stablehlo.subtract');
export const mul = binary('mul', numeric, 'number', 'stablehlo.multiply');
export const div = binary('div', numeric, 'number', 'stablehlo.divide');
export const rem = binary('rem', numeric, 'number', 'stablehlo.remainder');
export const pow = binary('pow', floatOrComplex, 'inexact', 'stablehlo.power');
export const max = binary('max', any, 'any', 'stablehlo.maximum');
export const min = binary('min', any, 'any', 'stablehlo.minimum');
export const atan2 = binary('atan2', realFloat, 'floating', 'stablehlo.atan2');
export const and = binary('and', intOrBool, 'integer or bool', 'stablehlo.and');
export const or = binary('or', intOrBool, 'integer or bool', 'stablehlo.or');
export const xor = binary('xor', intOrBool, 'integer or bool', 'stablehlo.xor');
export const shiftLeft = binary('shift_left', isInteger, 'integer', 'stablehlo.shift_left');
export const shiftRightLogical = binary('shift_right_logical', isInteger, 'integer', 'stablehlo.shift_right_logical');
export const shiftRightArithmetic = binary('shift_right_arithmetic', isInteger, 'integer', 'stablehlo.shift_right_arithmetic');
export const nextafter = binary('nextafter', realFloat, 'floating', 'chlo.next_after');
export const complex = binary('complex', (d) => d === 'float32' || d === 'float64', 'float32 or float64', 'stablehlo.complex', (d) =>
  d === 'float64' ? 'complex128' : 'complex64',
);

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
export const eq = comparison('eq', 'EQ');
export const ne = comparison('ne', 'NE');
export const lt = comparison('lt', 'LT', ordered);
export const le = comparison('le', 'LE', ordered);
export const gt = comparison('gt', 'GT', ordered);
export const ge = comparison('ge', 'GE', ordered);

/** select_n(which, *cases): cases[which]; `which` is bool (2 cases) or int32. */
export const selectN = new Primitive('select_n', {
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
});

/** clamp(min, x, max) */
export const clamp = new Primitive('clamp', {
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
});

