// dot_general: contractions with batch dimensions.
import { ShapedArray, shapeStr } from '../core/aval.js';
import { checkDType, finfo, isComplex, isFloating, isInexact, isUnsignedInteger, itemsize, type DType } from '../core/dtypes.js';
import type { Value } from '../lowering/context.js';
import type { Array } from '../core/array.js';
import { Primitive, UndefinedPrimal, type Params } from '../core/primitive.js';
import { defjvp, defrules } from '../interpreters/ad.js';
import type { BatchDim, BatchResult } from '../interpreters/batching.js';
import { convertElementType } from './convert.js';
import { transpose } from './shape.js';

/** ((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch)), as JAX's DotDimensionNumbers. */
export type DotDimensionNumbers = [[number[], number[]], [number[], number[]]];

/** dot_general[dimension_numbers, preferred_element_type] */
export const dotGeneral: Primitive = defrules(defjvp(new Primitive('dot_general', {
  abstractEval: ([lhs, rhs], params) => {
    const [[lc, rc], [lb, rb]] = params.dimension_numbers as DotDimensionNumbers;
    const dtype = dotResultDType(lhs!.dtype, rhs!.dtype, params.preferred_element_type as DType | null | undefined);
    if (lc.length !== rc.length || lb.length !== rb.length) {
      throw new TypeError(`dot_general requires equal numbers of lhs and rhs contracting and batch dimensions, got ${JSON.stringify(params.dimension_numbers)}`);
    }
    const check = (dims: number[], x: ShapedArray, what: string) => {
      for (const d of dims) if (!(d >= 0 && d < x.ndim)) throw new TypeError(`dot_general ${what} dimension ${d} out of range for shape ${shapeStr(x.shape)}`);
    };
    check(lc, lhs!, 'lhs contracting');
    check(rc, rhs!, 'rhs contracting');
    check(lb, lhs!, 'lhs batch');
    check(rb, rhs!, 'rhs batch');
    lc.forEach((d, i) => {
      if (lhs!.shape[d] !== rhs!.shape[rc[i]!]) {
        throw new TypeError(
          `dot_general requires contracting dimensions to have the same shape, got ${shapeStr(lc.map((x) => lhs!.shape[x]!))} and ${shapeStr(rc.map((x) => rhs!.shape[x]!))}.`,
        );
      }
    });
    lb.forEach((d, i) => {
      if (lhs!.shape[d] !== rhs!.shape[rb[i]!]) throw new TypeError(`dot_general requires lhs batch dimensions and rhs batch dimensions to have the same shape, got ${shapeStr(lhs!.shape)} and ${shapeStr(rhs!.shape)}`);
    });
    const free = (x: ShapedArray, c: number[], b: number[]) => x.shape.filter((_, i) => !c.includes(i) && !b.includes(i));
    const shape = [...lb.map((d) => lhs!.shape[d]!), ...free(lhs!, lc, lb), ...free(rhs!, rc, rb)];
    return [new ShapedArray(shape, dtype, lhs!.weakType && rhs!.weakType)];
  },
  lower: (ctx, [lhs, rhs], params, [out]) => {
    const [[lc, rc], [lb, rb]] = params.dimension_numbers as DotDimensionNumbers;
    // Mixed operand dtypes: both are converted to the result dtype first, as JAX does on CPU and GPU.
    if (lhs!.aval.dtype !== rhs!.aval.dtype) {
      const to = (x: Value) => (x.aval.dtype === out!.dtype ? x : ctx.op1('stablehlo.convert', [x], new ShapedArray(x.aval.shape, out!.dtype)));
      [lhs, rhs] = [to(lhs!), to(rhs!)];
    }
    const list = (xs: number[]) => `[${xs.join(', ')}]`;
    const dims = `#stablehlo.dot<lhs_batching_dimensions = ${list(lb)}, rhs_batching_dimensions = ${list(rb)}, lhs_contracting_dimensions = ${list(lc)}, rhs_contracting_dimensions = ${list(rc)}>`;
    return [ctx.op1('stablehlo.dot_general', [lhs!, rhs!], out!, { dot_dimension_numbers: dims })];
  },
  batch: dotGeneralBatch,
}), (g, [, rhs], _ans, params) => dotGeneral.bind1([g, rhs!], params),
  (g, [lhs], _ans, params) => dotGeneral.bind1([lhs!, g], params),
), {
  transpose: ([ct], [lhs, rhs], params) =>
    lhs instanceof UndefinedPrimal
      ? [transposeLhs(ct!, lhs.aval, rhs as Array, params), null]
      : [null, transposeRhs(ct!, lhs as Array, (rhs as UndefinedPrimal).aval, params)],
});

/**
 * The result dtype (JAX's _dot_general_dtype_rule, after XLA's HigherPrecisionType): of two
 * operand dtypes the one ranked higher by (complex, exponent range, mantissa bits, bit width,
 * signed) wins; `preferred_element_type` then replaces it, but may not narrow a non-float one.
 */
function dotResultDType(lhs: DType, rhs: DType, preferred: DType | null | undefined): DType {
  const rank = (d: DType): number[] => {
    const floating = isInexact(d);
    const info = floating ? finfo(d) : null;
    return [isComplex(d) ? 1 : 0, info ? info.maxexp : -1, info ? info.nmant : -1, bitWidth(d), isUnsignedInteger(d) ? 0 : 1];
  };
  const [l, r] = [rank(lhs), rank(rhs)];
  const cmp = l.reduce((c, v, i) => c || Math.sign(v - r[i]!), 0);
  if (cmp === 0 && lhs !== rhs) throw new TypeError(`lax.dot_general argument type error: ${lhs}, ${rhs}`);
  const result = cmp >= 0 ? lhs : rhs;
  if (preferred === null || preferred === undefined || preferred === result) return result;
  const want = checkDType(preferred, 'dot_general');
  if (!isFloating(result) && bitWidth(want) < bitWidth(result)) {
    throw new TypeError(`\`preferred_element_type\` must not be narrower than the original type, got preferred_element_type of ${want} for result type of ${result}.`);
  }
  return want;
}

const bitWidth = (d: DType): number => (d === 'bool' ? 1 : isInexact(d) ? finfo(d).bits : itemsize(d) * 8);

// ---- transpose rules (JAX's _dot_general_transpose_lhs/rhs) ----

const range = (n: number, start = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => i + start);
const argsort = (xs: number[]) => range(xs.length).sort((a, b) => xs[a]! - xs[b]!);

/** The cotangent of the lhs: contract the output cotangent with the rhs, then put the axes back. */
function transposeLhs(ct: Array, x: ShapedArray, y: Array | ShapedArray, params: Params, swapAns = false): Array {
  const [[xContract, yContract], [xBatch, yBatch]] = params.dimension_numbers as DotDimensionNumbers;
  const yNdim = y.shape.length;
  const xKept = range(x.ndim).filter((d) => !xContract.includes(d) && !xBatch.includes(d));
  const yKept = range(yNdim).filter((d) => !yContract.includes(d) && !yBatch.includes(d));
  const ansBatch = range(xBatch.length);
  const ansY = swapAns ? range(yKept.length, xBatch.length) : range(yKept.length, xBatch.length + xKept.length);
  const dims: DotDimensionNumbers = [[ansY, yKept], [ansBatch, yBatch]];
  const xContractSortedByY = argsort(yContract).map((i) => xContract[i]!);
  const outAxes = argsort([...xBatch, ...xKept, ...xContractSortedByY]);
  let out = dotGeneral.bind1([ct, y as Array], { ...params, dimension_numbers: dims });
  if (outAxes.some((a, i) => a !== i)) out = transpose.bind1([out], { permutation: outAxes });
  if (out.dtype !== x.dtype) out = convertElementType.bind1([out], { new_dtype: x.dtype, weak_type: x.weakType });
  return out;
}

function transposeRhs(ct: Array, x: Array, y: ShapedArray, params: Params): Array {
  const [[xContract, yContract], [xBatch, yBatch]] = params.dimension_numbers as DotDimensionNumbers;
  const swapped: DotDimensionNumbers = [[yContract, xContract], [yBatch, xBatch]];
  return transposeLhs(ct, y, x, { ...params, dimension_numbers: swapped }, true);
}

// ---- batching rule (JAX's _dot_general_batch_rule) ----

/**
 * Both operands batched: their batch axes become a new leading dot_general batch dimension.
 * One batched: its batch axis is one more free dimension of that operand, so nothing moves.
 */
function dotGeneralBatch([lhs, rhs]: Array[], [lbd, rbd]: BatchDim[], params: Params): BatchResult {
  const [[lc, rc], [lb, rb]] = params.dimension_numbers as DotDimensionNumbers;
  const bump = (dims: number[], b: number) => dims.map((d) => (d >= b ? d + 1 : d));
  const free = (ndim: number, c: number[], b: number[]) => range(ndim).filter((d) => !c.includes(d) && !b.includes(d));
  let dims: DotDimensionNumbers;
  let outDim: number;
  if (lbd != null && rbd != null) {
    dims = [[bump(lc, lbd), bump(rc, rbd)], [[lbd, ...bump(lb, lbd)], [rbd, ...bump(rb, rbd)]]];
    outDim = 0;
  } else if (lbd != null) {
    dims = [[bump(lc, lbd), rc], [bump(lb, lbd), rb]];
    outDim = lb.length + free(lhs!.ndim - 1, lc, lb).filter((d) => d < lbd).length;
  } else {
    const r = rbd!;
    dims = [[lc, bump(rc, r)], [lb, bump(rb, r)]];
    outDim = lhs!.ndim - lc.length + free(rhs!.ndim - 1, rc, rb).filter((d) => d < r).length;
  }
  return [[dotGeneral.bind1([lhs!, rhs!], { ...params, dimension_numbers: dims })], [outDim]];
}
