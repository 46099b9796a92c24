// Reductions over axes: sum, prod, max, min, and, or, xor; argmax and argmin.
import { ShapedArray } from '../core/aval.js';
import { finfo, iinfo, isBool, isFloating, isInexact, isInteger, isSignedInteger, type DType } from '../core/dtypes.js';
import { Primitive } from '../core/primitive.js';
import { i64Array, type LoweringContext, type Value } from '../lowering/context.js';
import { checkAxes, checkDTypes, type DTypeClass } from './rules.js';

function reducedAval(op: string, x: ShapedArray, axes: number[], dtype = x.dtype): ShapedArray {
  checkAxes(op, axes, x.ndim);
  return new ShapedArray(x.shape.filter((_, i) => !axes.includes(i)), dtype, x.weakType);
}

/** The identity of a monoid in `dtype`. */
function identity(kind: string, dtype: DType): number | boolean {
  switch (kind) {
    case 'sum': case 'or': case 'xor': return dtype === 'bool' ? false : 0;
    case 'prod': return dtype === 'bool' ? true : 1;
    case 'and': return dtype === 'bool' ? true : -1;
    case 'max': return isBool(dtype) ? false : isInteger(dtype) ? Number(iinfo(dtype).min) : -Infinity;
    case 'min': return isBool(dtype) ? true : isInteger(dtype) ? Number(iinfo(dtype).max) : Infinity;
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
  return new Primitive(`reduce_${kind}`, {
    abstractEval: ([x], params) => {
      checkDTypes(`reduce_${kind}`, [x!], dtypes, typeName);
      return [reducedAval(`reduce_${kind}`, x!, params.axes as number[])];
    },
    lower: (ctx, [x], params, [out]) => [lowerReduce(ctx, x!, params.axes as number[], out!, kind)],
  });
}

const any: DTypeClass = () => true;
const intOrBool: DTypeClass = (d) => isInteger(d) || isBool(d);
export const reduceSum = reduction('sum', (d) => !isBool(d), 'number');
export const reduceProd = reduction('prod', (d) => !isBool(d), 'number');
export const reduceMax = reduction('max', any, 'any');
export const reduceMin = reduction('min', any, 'any');
export const reduceAnd = reduction('and', intOrBool, 'integer or bool');
export const reduceOr = reduction('or', intOrBool, 'integer or bool');
export const reduceXor = reduction('xor', intOrBool, 'integer or bool');

/** argmax/argmin[axes=(axis,), index_dtype]: first index of the extreme value; NaN wins, as in JAX. */
function argReduction(kind: 'max' | 'min'): Primitive {
  const name = `arg${kind}`;
  return new Primitive(name, {
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
  });
}
export const argmax = argReduction('max');
export const argmin = argReduction('min');

export { finfo };
