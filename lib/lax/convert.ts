// Type conversions and iota.
import { ShapedArray } from '../core/aval.js';
import { checkDType, itemsize, type DType } from '../core/dtypes.js';
import { Primitive, UndefinedPrimal } from '../core/primitive.js';
import { defjvpZero, defrules, hasTangent } from '../interpreters/ad.js';
import { defvectorized, moveaxis } from '../interpreters/batching.js';
import { i64Array, type LoweringContext, type Value } from '../lowering/context.js';

/** convert_element_type[new_dtype, weak_type] */
export const convertElementType: Primitive = defrules(defvectorized(new Primitive('convert_element_type', {
  abstractEval: ([x], params) => [new ShapedArray(x!.shape, checkDType(params.new_dtype, 'convert_element_type'), params.weak_type === true)],
  lower: (ctx, [x], _p, [out]) => {
    if (x!.aval.dtype === out!.dtype) return [x!];
    // bool results compare against zero (a plain convert would truncate bits); complex: the real part, as JAX
    if (out!.dtype === 'bool' && x!.aval.dtype === 'bfloat16') return [bfloat16NonZero(ctx, x!, out!)];
    if (out!.dtype === 'bool') {
      const source = x!.aval.dtype.startsWith('complex')
        ? ctx.op1('stablehlo.real', [x!], new ShapedArray(x!.aval.shape, x!.aval.dtype === 'complex64' ? 'float32' : 'float64'))
        : x!;
      return [
        ctx.op1('stablehlo.compare', [source, ctx.constant(0, source.aval)], out!, {
          comparison_direction: '#stablehlo<comparison_direction NE>',
          compare_type: `#stablehlo<comparison_type ${x!.aval.dtype.startsWith('float') || x!.aval.dtype === 'bfloat16' || x!.aval.dtype.startsWith('complex') ? 'FLOAT' : x!.aval.dtype.startsWith('int') ? 'SIGNED' : 'UNSIGNED'}>`,
        }),
      ];
    }
    // complex to real keeps the real part, as JAX does
    const source = x!.aval.dtype.startsWith('complex') && !out!.dtype.startsWith('complex')
      ? ctx.op1('stablehlo.real', [x!], new ShapedArray(x!.aval.shape, x!.aval.dtype === 'complex64' ? 'float32' : 'float64'))
      : x!;
    return [ctx.op1('stablehlo.convert', [source], out!)];
  },
})), {
  // float → int has no tangent; the cotangent converts back to the operand's dtype and weak type.
  jvp: ([x], [t], params) => [
    [convertElementType.bind1([x!], params)],
    [t && hasTangent(params.new_dtype as DType) ? convertElementType.bind1([t], params) : null],
  ],
  transpose: ([ct], [x]) => {
    const aval = (x as UndefinedPrimal).aval;
    return [hasTangent(aval.dtype) ? convertElementType.bind1([ct!], { new_dtype: aval.dtype, weak_type: aval.weakType }) : null];
  },
});

/**
 * bfloat16 x != 0 on the bits (any bit but the sign): JAX 0.10's XLA gives true for subnormals,
 * while a float compare on this plugin's XLA flushes them to zero.
 */
function bfloat16NonZero(ctx: LoweringContext, x: Value, out: ShapedArray): Value {
  const bitsAval = new ShapedArray(x.aval.shape, 'uint16');
  const bits = ctx.op1('stablehlo.bitcast_convert', [x], bitsAval);
  const magnitude = ctx.op1('stablehlo.and', [bits, ctx.constant(0x7fff, bitsAval)], bitsAval);
  return ctx.op1('stablehlo.compare', [magnitude, ctx.constant(0, bitsAval)], out, {
    comparison_direction: '#stablehlo<comparison_direction NE>',
    compare_type: '#stablehlo<comparison_type UNSIGNED>',
  });
}

/** bitcast_convert_type[new_dtype]: same bits, another type of the same width (or a trailing dim). */
export const bitcastConvertType: Primitive = defjvpZero(new Primitive('bitcast_convert_type', {
  abstractEval: ([x], params) => {
    const to = checkDType(params.new_dtype, 'bitcast_convert_type');
    const from = x!.dtype;
    const [a, b] = [itemsize(from), itemsize(to)];
    if (a === b) return [new ShapedArray(x!.shape, to)];
    if (a > b) return [new ShapedArray([...x!.shape, a / b], to)];
    if (x!.shape.at(-1) !== b / a) {
      throw new TypeError(`bitcast_convert_type: ${from} to ${to} needs a trailing dimension of ${b / a}, got shape ${JSON.stringify(x!.shape)}`);
    }
    return [new ShapedArray(x!.shape.slice(0, -1), to)];
  },
  lower: (ctx, [x], _p, [out]) => [ctx.op1('stablehlo.bitcast_convert', [x!], out!)],
  // Elementwise, but a narrowing bitcast consumes the last axis: the batch axis must not be it.
  batch: ([x], [d], params) => {
    const front = itemsize(checkDType(params.new_dtype, 'bitcast_convert_type')) > itemsize(x!.dtype) && d === x!.ndim - 1;
    return [[bitcastConvertType.bind1([front ? moveaxis(x!, d, 0) : x!], params)], [front ? 0 : (d ?? null)]];
  },
}));

/** iota[dtype, shape, dimension] */
export const iota = defjvpZero(new Primitive('iota', {
  abstractEval: (_avals, params) => {
    const shape = params.shape as number[];
    const dimension = params.dimension as number;
    if (!Number.isInteger(dimension) || dimension < 0 || dimension >= shape.length) {
      throw new RangeError(`iota: dimension ${dimension} out of range for shape ${JSON.stringify(shape)}`);
    }
    return [new ShapedArray(shape, checkDType(params.dtype, 'iota') as DType)];
  },
  lower: (ctx, _args, params, [out]) => [ctx.op1('stablehlo.iota', [], out!, { iota_dimension: `${params.dimension} : i64` })],
}));

export { i64Array };
