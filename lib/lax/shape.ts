// Shape primitives: broadcast_in_dim, reshape, transpose, squeeze (with JAX's wrapper), rev.
import type { Array } from '../core/array.js';
import { ShapedArray, sameShape, shapeStr } from '../core/aval.js';
import { Primitive, type Params, type UndefinedPrimal } from '../core/primitive.js';
import { deflinear } from '../interpreters/ad.js';
import { moveaxis, type BatchDim, type BatchResult } from '../interpreters/batching.js';
import { i64Array } from '../lowering/context.js';
import { reduceSum } from './reduce.js';
import { checkAxes } from './rules.js';
import { withWrapper } from './wrapped.js';

/** broadcast_in_dim[shape, broadcast_dimensions] */
export const broadcastInDim = deflinear(new Primitive('broadcast_in_dim', {
  abstractEval: ([x], params) => {
    const shape = params.shape as number[];
    const dims = params.broadcast_dimensions as number[];
    if (dims.length !== x!.ndim) {
      throw new TypeError(`broadcast_in_dim broadcast_dimensions must have length equal to operand ndim; got broadcast_dimensions ${shapeStr(dims)} for operand ndim ${x!.ndim}.`);
    }
    dims.forEach((d, i) => {
      if (!(d >= 0 && d < shape.length) || (x!.shape[i] !== 1 && x!.shape[i] !== shape[d]) || (i > 0 && d <= dims[i - 1]!)) {
        throw new TypeError(
          `broadcast_in_dim operand dimension sizes must either be 1, or be equal to their corresponding dimensions in the target broadcast shape; got operand of shape ${shapeStr(x!.shape)}, target broadcast shape ${shapeStr(shape)}, broadcast_dimensions ${shapeStr(dims)}`,
        );
      }
    });
    return [new ShapedArray(shape, x!.dtype, x!.weakType)];
  },
  lower: (ctx, [x], params, [out]) => [
    ctx.op1('stablehlo.broadcast_in_dim', [x!], out!, { broadcast_dimensions: i64Array(params.broadcast_dimensions as number[]) }),
  ],
  batch: broadcastInDimBatch,
}), broadcastTranspose);

/** reshape[new_sizes, dimensions]: `dimensions` (optional) transposes the operand first. */
export const reshape = deflinear(new Primitive('reshape', {
  abstractEval: ([x], params) => {
    const shape = params.new_sizes as number[];
    const dims = reshapeDims(params);
    if (dims && (dims.length !== x!.ndim || [...dims].sort((a, b) => a - b).some((d, i) => d !== i))) {
      throw new TypeError(`reshape dimensions must be a permutation of operand dimensions, got dimensions ${shapeStr(dims)} for shape ${shapeStr(x!.shape)}.`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (shape.some((d) => !Number.isInteger(d) || d < 0) || size !== x!.size) {
      throw new TypeError(`reshape total size must be unchanged, got new_sizes ${shapeStr(shape)} (of size ${size}) for shape ${shapeStr(x!.shape)} (of size ${x!.size}).`);
    }
    return [new ShapedArray(shape, x!.dtype, x!.weakType)];
  },
  lower: (ctx, [x], params, [out]) => {
    const dims = reshapeDims(params);
    const operand = dims
      ? ctx.op1('stablehlo.transpose', [x!], new ShapedArray(dims.map((d) => x!.aval.shape[d]!), x!.aval.dtype), { permutation: i64Array(dims) })
      : x!;
    return [ctx.op1('stablehlo.reshape', [operand], out!)];
  },
  batch: reshapeBatch,
}), reshapeTranspose);

/** transpose[permutation] */
export const transpose: Primitive = deflinear(new Primitive('transpose', {
  abstractEval: ([x], params) => {
    const perm = params.permutation as number[];
    if (perm.length !== x!.ndim) throw new TypeError(`transpose permutation ${shapeStr(perm)} does not match operand rank ${x!.ndim}`);
    checkAxes('transpose', perm, x!.ndim);
    return [new ShapedArray(perm.map((p) => x!.shape[p]!), x!.dtype, x!.weakType)];
  },
  lower: (ctx, [x], params, [out]) => [ctx.op1('stablehlo.transpose', [x!], out!, { permutation: i64Array(params.permutation as number[]) })],
  batch: transposeBatch,
}), (ct, _x, params) => {
  const perm = params.permutation as number[];
  return transpose.bind1([ct], { permutation: perm.map((_, i) => perm.indexOf(i)) });
});

/** squeeze[dimensions]: removes size-1 dimensions (the primitive; `dimensions` sorted, non-negative). */
const squeezeP = deflinear(new Primitive('squeeze', {
  abstractEval: ([x], params) => {
    const dims = params.dimensions as number[];
    checkAxes('squeeze', dims, x!.ndim);
    for (const d of dims) {
      if (x!.shape[d] !== 1) throw new TypeError(`cannot select an axis to squeeze out which has size not equal to one, got shape=${shapeStr(x!.shape)} and dimensions=${shapeStr(dims)}`);
    }
    return [new ShapedArray(x!.shape.filter((_, i) => !dims.includes(i)), x!.dtype, x!.weakType)];
  },
  lower: (ctx, [x], _p, [out]) => [ctx.op1('stablehlo.reshape', [x!], out!)],
  batch: squeezeBatch,
}), (ct, x) => reshapeTo(ct, x));

/**
 * lax.squeeze: binds as squeeze[dimensions], normalized as JAX's wrapper does: negative
 * dimensions count from the end and are sorted. (JAX returns the operand itself for no
 * dimensions; here that is still a squeeze, so disposing the result never frees the operand.)
 */
export const squeeze = withWrapper(squeezeP, ([x], params) => {
  const ndim = x!.ndim;
  const dims = (params.dimensions as number[]).map((d) => {
    if (!Number.isInteger(d) || d < -ndim || d >= ndim) throw new RangeError(`squeeze: axis ${d} is out of bounds for array of dimension ${ndim}`);
    return d < 0 ? d + ndim : d;
  });
  return { args: [x!], params: { ...params, dimensions: dims.sort((a, b) => a - b) } };
});

/** rev[dimensions]: reverses the order of elements along dimensions. */
export const rev: Primitive = deflinear(new Primitive('rev', {
  abstractEval: ([x], params) => {
    checkAxes('rev', params.dimensions as number[], x!.ndim);
    return [x!];
  },
  lower: (ctx, [x], params, [out]) => [ctx.op1('stablehlo.reverse', [x!], out!, { dimensions: i64Array(params.dimensions as number[]) })],
  batch: revBatch,
}), (ct, _x, params) => rev.bind1([ct], params));

// ---- transpose rules ----

const reshapeDims = (params: Params): number[] | null => (params.dimensions as number[] | null | undefined) ?? null;

/** Undo the reshape, then the transpose of `dimensions` (JAX's _reshape_transpose_rule). */
function reshapeTranspose(ct: Array, x: Array | UndefinedPrimal, params: Params): Array {
  const dims = reshapeDims(params);
  if (!dims) return reshapeTo(ct, x);
  const out = reshape.bind1([ct], { new_sizes: dims.map((d) => x.aval.shape[d]!) });
  return transpose.bind1([out], { permutation: dims.map((_, i) => dims.indexOf(i)) });
}

function reshapeTo(ct: Array, x: Array | UndefinedPrimal): Array {
  return sameShape(ct.shape, x.aval.shape) ? ct : reshape.bind1([ct], { new_sizes: [...x.aval.shape] });
}

/** Sums the cotangent over the broadcast dimensions and over the operand's size-1 dimensions. */
function broadcastTranspose(ct: Array, x: Array | UndefinedPrimal, params: Params): Array {
  const shape = x.aval.shape;
  const dims = (params.broadcast_dimensions as number[]).filter((_, i) => shape[i] !== 1);
  const axes = ct.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  return reshapeTo(axes.length ? reduceSum.bind1([ct], { axes }) : ct, x);
}

// ---- batching rules (JAX's, moving the batch axis only for reshape and transpose) ----

/** Per-example axes as axes of the value batched at `d`. */
const skipBatch = (axes: number[], d: number): number[] => axes.map((a) => (a >= d ? a + 1 : a));

/**
 * The batch axis goes right after the output axis of the operand axis before it, so that
 * broadcast_dimensions stay increasing and the operand needs no transpose (JAX moves it to 0).
 */
function broadcastInDimBatch([x]: Array[], [bdim]: BatchDim[], params: Params): BatchResult {
  const b = bdim!;
  const dims = params.broadcast_dimensions as number[];
  const at = b === 0 ? 0 : dims[b - 1]! + 1;
  const shape = [...(params.shape as number[])];
  shape.splice(at, 0, x!.shape[b]!);
  const shifted = dims.map((d) => (d >= at ? d + 1 : d));
  shifted.splice(b, 0, at);
  return [[broadcastInDim.bind1([x!], { ...params, shape, broadcast_dimensions: shifted })], [at]];
}

/** reshape mixes axes: the batch axis goes first, as in JAX. */
function reshapeBatch([x]: Array[], [bdim]: BatchDim[], params: Params): BatchResult {
  const operand = moveaxis(x!, bdim!, 0);
  const dims = reshapeDims(params);
  const batched = { ...params, new_sizes: [operand.shape[0]!, ...(params.new_sizes as number[])], ...(dims ? { dimensions: [0, ...dims.map((d) => d + 1)] } : {}) };
  return [[reshape.bind1([operand], batched)], [0]];
}

/** One transpose that also brings the batch axis to the front, as in JAX. */
function transposeBatch([x]: Array[], [bdim]: BatchDim[], params: Params): BatchResult {
  const b = bdim!;
  const permutation = [b, ...skipBatch(params.permutation as number[], b)];
  return [[transpose.bind1([x!], { ...params, permutation })], [0]];
}

function squeezeBatch([x]: Array[], [bdim]: BatchDim[], params: Params): BatchResult {
  const b = bdim!;
  const dimensions = params.dimensions as number[];
  return [[squeezeP.bind1([x!], { ...params, dimensions: skipBatch(dimensions, b) })], [b - dimensions.filter((d) => d < b).length]];
}

function revBatch([x]: Array[], [bdim]: BatchDim[], params: Params): BatchResult {
  return [[rev.bind1([x!], { ...params, dimensions: skipBatch(params.dimensions as number[], bdim!) })], [bdim!]];
}
