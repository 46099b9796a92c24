// Reductions over axes: sum, prod, max, min, and, or, xor; argmax and argmin.
import { ShapedArray } from '../core/aval.js';
import { finfo, iinfo, isBool, isFloating, isInexact, isInteger, isSignedInteger, isUnsignedInteger, type DType } from '../core/dtypes.js';
import type { Array } from '../core/array.js';
import { Primitive, type Params } from '../core/primitive.js';
import { constLike, defjvp, defjvpZero, deflinear, defrules, zerosLike } from '../interpreters/ad.js';
import { defreducer } from '../interpreters/batching.js';
import { and, div, eq, mul, selectN } from './elementwise.js';
import { convertElementType } from './convert.js';
import { broadcastInDim } from './shape.js';
import { i64Array, type LoweringContext, type Value } from '../lowering/context.js';
import { checkAxes, checkDTypes, type DTypeClass } from './rules.js';

function reducedAval(op: string, x: ShapedArray, axes: number[], dtype = x.dtype): ShapedArray {
  checkAxes(op, axes, x.ndim);
  return new ShapedArray(x.shape.filter((_, i) => !axes.includes(i)), dtype, x.weakType);
}

/** The identity of a monoid in `dtype`. */
function identity(kind: string, dtype: DType): number | boolean | bigint {
  // Integer bounds as bigints: 64-bit ones are not exact as JS numbers.
  const bound = (which: 'min' | 'max') => BigInt(iinfo(dtype)[which]);
  switch (kind) {
    case 'sum': case 'or': case 'xor': return dtype === 'bool' ? false : 0;
    case 'prod': return dtype === 'bool' ? true : 1;
    case 'and': return dtype === 'bool' ? true : isUnsignedInteger(dtype) ? bound('max') : -1; // all bits set
    case 'max': return isBool(dtype) ? false : isInteger(dtype) ? bound('min') : -Infinity;
    case 'min': return isBool(dtype) ? true : isInteger(dtype) ? bound('max') : Infinity;
  }
  throw new Error(`unknown reduction ${kind}`);
}

const BODY: Record<string, string> = {
  sum: 'stablehlo.add', prod: 'stablehlo.multiply', max: 'stablehlo.maximum', min: 'stablehlo.minimum',
  and: 'stablehlo.and', or: 'stablehlo.or', xor: 'stablehlo.xor',
};

function lowerReduce(ctx: LoweringContext, x: Value, axes: number[], out: ShapedArray, kind: string): Value {
  const scalar = new ShapedArray([], x.aval.dtype);
  const init = ctx.constant(identity(kind, x.aval.dtype), scalar);
  const body = ctx.region([scalar, scalar], (inner, [a, b]) => [inner.op1(BODY[kind]!, [a!, b!], scalar)]);
  return ctx.op1('stablehlo.reduce', [x, init], new ShapedArray(out.shape, x.aval.dtype), { dimensions: i64Array(axes) }, [body]);
}

function reduction(kind: string, dtypes: DTypeClass, typeName: string): Primitive {
  const bitwise = kind === 'and' || kind === 'or' || kind === 'xor';
  return defreducer(new Primitive(`reduce_${kind}`, {
    abstractEval: ([x], params) => {
      checkDTypes(`reduce_${kind}`, [x!], dtypes, typeName);
      const out = reducedAval(`reduce_${kind}`, x!, params.axes as number[]);
      return [bitwise ? out.withWeakType(false) : out]; // JAX's logical reductions drop the weak type
    },
    lower: (ctx, [x], params, [out]) => [lowerReduce(ctx, x!, params.axes as number[], out!, kind)],
  }));
}

const any: DTypeClass = () => true;
const intOrBool: DTypeClass = (d) => isInteger(d) || isBool(d);
export const reduceSum = deflinear(reduction('sum', (d) => !isBool(d), 'number'), (ct, x, params) => expandReduced(ct, x.aval, params));
export const reduceProd = defrules(reduction('prod', (d) => !isBool(d), 'number'), { jvp: reduceProdJvp });
export const reduceMax = defjvp(reduction('max', any, 'any'), chooserJvp);
export const reduceMin = defjvp(reduction('min', any, 'any'), chooserJvp);
export const reduceAnd = defjvpZero(reduction('and', intOrBool, 'integer or bool'));
export const reduceOr = defjvpZero(reduction('or', intOrBool, 'integer or bool'));
export const reduceXor = defjvpZero(reduction('xor', intOrBool, 'integer or bool'));

/** argmax/argmin[axes=(axis,), index_dtype]: first index of the extreme value; NaN wins, as in JAX. */
function argReduction(kind: 'max' | 'min'): Primitive {
  const name = `arg${kind}`;
  return defreducer(new Primitive(name, {
    abstractEval: ([x], params) => {
      const axes = params.axes as number[];
      if (axes.length !== 1) throw new TypeError(`${name}: exactly one axis is supported, got ${JSON.stringify(axes)}`);
      if (x!.shape[axes[0]!] === 0) throw new TypeError(`${name}: cannot reduce over an empty axis of shape ${JSON.stringify(x!.shape)}`);
      const index = params.index_dtype as DType;
      if (!isSignedInteger(index) && !isInteger(index)) throw new TypeError(`${name}: index_dtype must be an integer type, got ${index}`);
      return [new ShapedArray(reducedAval(name, x!, axes).shape, index)];
    },
    lower: (ctx, [x], params, [out]) => {
      const axis = (params.axes as number[])[0]!;
      const dtype = x!.aval.dtype;
      const index = out!.dtype;
      const scalarV = new ShapedArray([], dtype);
      const scalarI = new ShapedArray([], index);
      const iota = ctx.op1('stablehlo.iota', [], new ShapedArray(x!.aval.shape, index), { iota_dimension: `${axis} : i64` });
      const initV = ctx.constant(identity(kind, dtype), scalarV);
      const initI = ctx.constant(0, scalarI);
      const cmpType = isInexact(dtype) ? 'FLOAT' : isSignedInteger(dtype) ? 'SIGNED' : 'UNSIGNED';
      const cmp = (inner: LoweringContext, dir: string, a: Value, b: Value, type = cmpType) =>
        inner.op1('stablehlo.compare', [a, b], new ShapedArray([], 'bool'), {
          comparison_direction: `#stablehlo<comparison_direction ${dir}>`,
          compare_type: `#stablehlo<comparison_type ${type}>`,
        });
      const body = ctx.region([scalarV, scalarI, scalarV, scalarI], (inner, [av, ai, bv, bi]) => {
        // pick a when it is more extreme, or equal with a smaller index, or NaN
        let pickA = cmp(inner, kind === 'max' ? 'GT' : 'LT', av!, bv!);
        const equal = cmp(inner, 'EQ', av!, bv!);
        const smaller = cmp(inner, 'LT', ai!, bi!, 'SIGNED');
        pickA = inner.op1('stablehlo.or', [pickA, inner.op1('stablehlo.and', [equal, smaller], new ShapedArray([], 'bool'))], new ShapedArray([], 'bool'));
        if (isFloating(dtype)) pickA = inner.op1('stablehlo.or', [pickA, cmp(inner, 'NE', av!, av!)], new ShapedArray([], 'bool'));
        return [inner.op1('stablehlo.select', [pickA, av!, bv!], scalarV), inner.op1('stablehlo.select', [pickA, ai!, bi!], scalarI)];
      });
      const outShape = out!.shape;
      const [, indices] = ctx.op('stablehlo.reduce', [x!, iota, initV, initI], [new ShapedArray(outShape, dtype), new ShapedArray(outShape, index)], { dimensions: i64Array([axis]) }, [body]);
      return [indices!];
    },
  }));
}
export const argmax = defjvpZero(argReduction('max'));
export const argmin = defjvpZero(argReduction('min'));

export { finfo };

// ---- differentiation rules ----

/** A reduced value broadcast back over the reduced axes of `aval` (reduce_sum's transpose). */
function expandReduced(v: Array, aval: ShapedArray, params: Params): Array {
  const axes = params.axes as number[];
  const kept = aval.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return broadcastInDim.bind1([v], { shape: [...aval.shape], broadcast_dimensions: kept });
}

/** reduce_max/min: the tangent is shared equally among the tied extrema (JAX's _reduce_chooser_jvp_rule). */
function chooserJvp(g: Array, [x]: Array[], ans: Array, params: Params): Array {
  const where = convertElementType.bind1([eq.bind1([x!, expandReduced(ans, x!.aval, params)])], { new_dtype: g.dtype, weak_type: false });
  const counts = reduceSum.bind1([where], params);
  return div.bind1([reduceSum.bind1([mul.bind1([g, where])], params), counts]);
}

/**
 * reduce_prod: d(prod)/dx_i is the product of the other elements. It is computed without
 * dividing by zero: with no zero it is prod/x_i; with one zero it is the product of the
 * nonzeros at the zero and 0 elsewhere; with more zeros it is 0. (JAX multiplies halves in a
 * tree instead; the first derivative is the same, higher ones at zeros may differ.)
 */
function reduceProdJvp(...[[x], [t], params]: Parameters<NonNullable<Primitive['rules']['jvp']>>): ReturnType<NonNullable<Primitive['rules']['jvp']>> {
  const ans = reduceProd.bind1([x!], params);
  if (!t) return [[ans], [null]];
  const isZero = eq.bind1([x!, constLike(x!, 0)]);
  const nonzero = selectN.bind1([isZero, x!, constLike(x!, 1)]);
  const prodNonzero = expandReduced(reduceProd.bind1([nonzero], params), x!.aval, params);
  const zeros = expandReduced(reduceSum.bind1([convertElementType.bind1([isZero], { new_dtype: x!.dtype, weak_type: false })], params), x!.aval, params);
  const oneZeroHere = and.bind1([eq.bind1([zeros, constLike(x!, 1)]), isZero]);
  const withZeros = selectN.bind1([oneZeroHere, zerosLike(x!.aval), prodNonzero]);
  const others = selectN.bind1([eq.bind1([zeros, constLike(x!, 0)]), withZeros, div.bind1([prodNonzero, nonzero])]);
  return [[ans], [reduceSum.bind1([mul.bind1([t, others])], params)]];
}
