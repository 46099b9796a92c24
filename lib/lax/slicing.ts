// Slicing primitives (slice, pad, concatenate, dynamic_slice, dynamic_update_slice, gather and
// the scatter family), each one stanza with JAX's shape rules and errors, plus JAX's thin lax
// functions over them (sliceInDim, indexInDim, dynamicSliceInDim, dynamicIndexInDim, ..., expandDims).
import { Array } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { ShapedArray, shapeStr } from '../core/aval.js';
import { iinfo, isBool, isInexact, isInteger, isSignedInteger, isUnsignedInteger, itemsize, type DType } from '../core/dtypes.js';
import { toRawHost } from '../core/host.js';
import { Primitive, UndefinedPrimal, type Params } from '../core/primitive.js';
import {
  addTangents, constLike, defrules, deflinear, fullOf, instantiate, zerosLike, type JvpRule, type Tangent, type TransposeRule,
} from '../interpreters/ad.js';
import { axisSizeOf, broadcastBatch, matchAxis, moveaxis, type BatchDim, type BatchResult } from '../interpreters/batching.js';
import { i64Array, tensorType, type LoweringContext, type Value } from '../lowering/context.js';
import { batchedAxis, clampTo, complement, countBelow, insertAt, shiftDims, slotRange, within } from './batch_helpers.js';
import { iota } from './convert.js';
import { add, div, eq, lt, mul, selectN, sub } from './elementwise.js';
import { reduceSum } from './reduce.js';
import { checkDTypes } from './rules.js';
import { broadcastInDim, reshape, squeeze } from './shape.js';
import { withWrapper } from './wrapped.js';

// ---- shared rules ----

/** Python's tuple repr, as JAX's messages print shapes and index lists. */
const tuple = (xs: readonly number[]): string => shapeStr(xs);
const list = (xs: readonly number[]): string => `[${xs.join(', ')}]`;
const bool = (b: unknown): string => (b === true ? 'true' : 'false');

function checkShapeLike(op: string, name: string, xs: unknown): number[] {
  if (!globalThis.Array.isArray(xs) || xs.some((d) => !Number.isInteger(d))) {
    throw new TypeError(`${op} ${name} must be a list of integers, got ${JSON.stringify(xs)}.`);
  }
  return xs as number[];
}

/** dimension size after striding: ceil(d / s). */
const strideDim = (d: number, s: number): number => (d <= 0 ? 0 : Math.floor((d - 1) / s) + 1);

function checkIndexDTypes(op: string, indices: ShapedArray[]): void {
  if (indices.some((i) => i.dtype !== indices[0]!.dtype || !isInteger(i.dtype))) {
    const got = op === 'dynamic_slice' ? 'got:' : 'got';
    throw new TypeError(`index arguments to ${op} must be integers of the same type, ${got} ${indices.map((i) => i.dtype).join(', ')}`);
  }
  if (indices.some((i) => i.ndim !== 0)) {
    throw new TypeError(`start_indices arguments to ${op} must be scalars, got indices ${indices.map((i) => i.str()).join(', ')}`);
  }
}

function sameDTypes(op: string, avals: ShapedArray[], jnpEquivalent?: string): void {
  if (avals.some((a) => a.dtype !== avals[0]!.dtype)) {
    const tip = jnpEquivalent ? ` (Tip: jnp.${jnpEquivalent} is a similar function that does automatic type promotion on inputs).` : '';
    throw new TypeError(`lax.${op} requires arguments to have the same dtypes, got ${avals.map((a) => a.dtype).join(', ')}.${tip}`);
  }
}

const compareType = (d: DType): string => (isInexact(d) ? 'FLOAT' : isSignedInteger(d) ? 'SIGNED' : 'UNSIGNED');

function compare(ctx: LoweringContext, dir: string, a: Value, b: Value): Value {
  return ctx.op1('stablehlo.compare', [a, b], new ShapedArray(a.aval.shape, 'bool'), {
    comparison_direction: `#stablehlo<comparison_direction ${dir}>`,
    compare_type: `#stablehlo<comparison_type ${compareType(a.aval.dtype)}>`,
  });
}

/** A 1-D integer constant with these values (non-splat). */
function vectorConstant(ctx: LoweringContext, values: readonly number[], dtype: DType): Value {
  const aval = new ShapedArray([values.length], dtype);
  return ctx.op1('stablehlo.constant', [], aval, { value: `dense<[${values.join(', ')}]> : ${tensorType(aval)}` });
}

// ---- slice, pad, concatenate ----

/** slice[start_indices, limit_indices, strides]: a static strided window (strides null means 1s). */
export const slice: Primitive = deflinear(new Primitive('slice', {
  abstractEval: ([x], params) => {
    const start = checkShapeLike('slice', 'start_indices', params.start_indices);
    const limit = checkShapeLike('slice', 'limit_indices', params.limit_indices);
    if (x!.ndim !== start.length) {
      throw new TypeError(`slice start_indices must have length equal to the number of dimensions of the operand, got indices ${tuple(start)} for operand shape ${tuple(x!.shape)}.`);
    }
    if (start.length !== limit.length) {
      throw new TypeError(`slice limit_indices must have the same length as start_indices, got start_indices ${tuple(start)} and limit_indices ${tuple(limit)}.`);
    }
    if (limit.some((l, i) => l > x!.shape[i]!)) {
      throw new TypeError(`slice limit_indices must be less than or equal to operand shape, got limit_indices ${tuple(limit)} for operand shape ${tuple(x!.shape)}.`);
    }
    if (start.some((s) => s < 0)) throw new TypeError(`slice start_indices must be greater than or equal to zero, got start_indices of ${tuple(start)}.`);
    if (limit.some((l, i) => l < start[i]!)) {
      throw new TypeError(`slice limit_indices must be greater than or equal to start_indices, got start_indices ${tuple(start)} and limit_indices ${tuple(limit)}.`);
    }
    const diff = limit.map((l, i) => l - start[i]!);
    if (params.strides === null || params.strides === undefined) return [new ShapedArray(diff, x!.dtype, x!.weakType)];
    const strides = checkShapeLike('slice', 'strides', params.strides);
    if (strides.length !== x!.ndim) {
      throw new TypeError(`slice strides must have length equal to the number of dimensions of the operand, got strides ${tuple(strides)} for operand shape ${tuple(x!.shape)}.`);
    }
    if (strides.some((s) => s <= 0)) throw new TypeError(`slice strides must be positive, got ${tuple(strides)}`);
    return [new ShapedArray(diff.map((d, i) => strideDim(d, strides[i]!)), x!.dtype, x!.weakType)];
  },
  lower: (ctx, [x], params, [out]) => {
    const start = params.start_indices as number[];
    const strides = (params.strides as number[] | null | undefined) ?? start.map(() => 1);
    return [
      ctx.op1('stablehlo.slice', [x!], out!, {
        start_indices: i64Array(start),
        limit_indices: i64Array(params.limit_indices as number[]),
        strides: i64Array(strides),
      }),
    ];
  },
  batch: sliceBatch,
}), sliceTranspose);

/** One dimension's padding: [low, high, interior]; low and high may be negative (cropping). */
export type PaddingConfig = [number, number, number][];

/** pad[padding_config](operand, padding_value) */
export const pad: Primitive = defrules(new Primitive('pad', {
  abstractEval: ([x, value], params) => {
    const config = params.padding_config as PaddingConfig;
    if (x!.dtype !== value!.dtype) throw new TypeError(`pad operand and padding_value must be same dtype: got ${x!.dtype} and ${value!.dtype}.`);
    if (value!.ndim !== 0) throw new TypeError(`padding_value must be a scalar; got np.shape(padding_value)=${tuple(value!.shape)}`);
    const text = `(${config.map((c) => tuple(c)).join(', ')}${config.length === 1 ? ',' : ''})`;
    if (!globalThis.Array.isArray(config) || config.length !== x!.ndim || config.some((c) => c.length !== 3 || c.some((v) => !Number.isInteger(v)))) {
      throw new TypeError(`length of padding_config must equal the number of axes of operand, got padding_config ${text} for operand shape ${tuple(x!.shape)}`);
    }
    if (config.some(([, , interior]) => interior < 0)) throw new TypeError(`interior padding in padding_config must be nonnegative, got padding_config ${text}`);
    const shape = config.map(([lo, hi, interior], i) => {
      const d = x!.shape[i]!;
      return lo + hi + (d === 0 ? 0 : 1 + (interior + 1) * (d - 1));
    });
    if (shape.some((d) => d < 0)) {
      throw new TypeError(`Dimension size after padding is not at least 0, got result shape ${tuple(shape)}, for padding_config ${text} and operand shape ${tuple(x!.shape)}`);
    }
    return [new ShapedArray(shape, x!.dtype, x!.weakType && value!.weakType)];
  },
  lower: (ctx, [x, value], params, [out]) => {
    const config = params.padding_config as PaddingConfig;
    return [
      ctx.op1('stablehlo.pad', [x!, value!], out!, {
        edge_padding_low: i64Array(config.map((c) => c[0])),
        edge_padding_high: i64Array(config.map((c) => c[1])),
        interior_padding: i64Array(config.map((c) => c[2])),
      }),
    ];
  },
  batch: padBatch,
}), { jvp: padJvp, transpose: padTranspose });

/** concatenate[dimension](*operands) */
export const concatenate: Primitive = defrules(new Primitive('concatenate', {
  abstractEval: (avals, params) => {
    const dim = params.dimension as number;
    const shapes = () => avals.map((a) => tuple(a.shape)).join(', ');
    if (avals.length === 0) throw new TypeError('concatenate expects at least one operand, got 0.');
    sameDTypes('concatenate', avals, 'concatenate');
    const first = avals[0]!;
    if (avals.some((a) => a.ndim !== first.ndim)) throw new TypeError(`Cannot concatenate arrays with different numbers of dimensions: got ${shapes()}.`);
    if (!Number.isInteger(dim) || dim < 0 || dim >= first.ndim) throw new TypeError(`concatenate dimension out of bounds: dimension ${dim} for shapes ${shapes()}.`);
    if (avals.some((a) => a.shape.some((d, i) => i !== dim && d !== first.shape[i]))) {
      throw new TypeError(`Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension ${dim} for shapes ${shapes()}.`);
    }
    const shape = [...first.shape];
    shape[dim] = avals.reduce((n, a) => n + a.shape[dim]!, 0);
    return [new ShapedArray(shape, first.dtype, avals.every((a) => a.weakType))];
  },
  lower: (ctx, args, params, [out]) => (args.length === 1 ? [args[0]!] : [ctx.op1('stablehlo.concatenate', args, out!, { dimension: `${params.dimension as number} : i64` })]),
  batch: concatenateBatch,
}), { jvp: concatenateJvp, transpose: concatenateTranspose });

// ---- dynamic_slice, dynamic_update_slice ----

/** dynamic_slice[slice_sizes](operand, *start_indices): starts are clamped so the window fits, as XLA does. */
const dynamicSliceP: Primitive = defrules(new Primitive('dynamic_slice', {
  abstractEval: ([x, ...starts], params) => {
    const sizes = checkShapeLike('dynamic_slice', 'slice_sizes', params.slice_sizes);
    if (sizes.length !== x!.ndim || starts.length !== x!.ndim) {
      throw new TypeError(`dynamic_slice needs one start index and one slice size per operand dimension, got ${starts.length} start indices and slice_sizes ${tuple(sizes)} for operand shape ${tuple(x!.shape)}.`);
    }
    if (sizes.some((s, i) => s > x!.shape[i]!)) {
      throw new TypeError(`slice slice_sizes must be less than or equal to operand shape, got slice_sizes ${tuple(sizes)} for operand shape ${tuple(x!.shape)}.`);
    }
    if (sizes.some((s) => s < 0)) throw new TypeError(`slice slice_sizes must be greater than or equal to zero, got slice_sizes of ${tuple(sizes)}.`);
    if (starts.length) checkIndexDTypes('dynamic_slice', starts);
    return [new ShapedArray(sizes, x!.dtype, x!.weakType)];
  },
  lower: (ctx, args, params, [out]) => [ctx.op1('stablehlo.dynamic_slice', args, out!, { slice_sizes: i64Array(params.slice_sizes as number[]) })],
  batch: dynamicSliceBatch,
}), { jvp: dynamicSliceJvp, transpose: dynamicSliceTranspose });

/** dynamic_update_slice(operand, update, *start_indices): starts clamped so the update fits. */
const dynamicUpdateSliceP: Primitive = defrules(new Primitive('dynamic_update_slice', {
  abstractEval: (avals) => {
    const [x, update, ...starts] = avals;
    if (x!.ndim !== update!.ndim) {
      throw new TypeError(`dynamic_update_slice update must have the same rank as operand, got update shape ${tuple(update!.shape)} for operand shape ${tuple(x!.shape)}.`);
    }
    if (x!.ndim !== starts.length) {
      throw new TypeError(`dynamic_update_slice start_indices must have length equal to the rank of operand, got ${starts.length} indices for operand shape ${tuple(x!.shape)}.`);
    }
    if (update!.shape.some((d, i) => d > x!.shape[i]!)) {
      throw new TypeError(`dynamic_update_slice update shape must be smaller than operand shape, got update shape ${tuple(update!.shape)} for operand shape ${tuple(x!.shape)}.`);
    }
    sameDTypes('dynamic_update_slice', [x!, update!]);
    if (starts.length) checkIndexDTypes('dynamic_update_slice', starts);
    return [new ShapedArray(x!.shape, x!.dtype, avals.every((a) => a.weakType))];
  },
  lower: (ctx, args, _p, [out]) => [ctx.op1('stablehlo.dynamic_update_slice', args, out!)],
  batch: dynamicUpdateSliceBatch,
}), { jvp: dynamicUpdateSliceJvp, transpose: dynamicUpdateSliceTranspose });

/**
 * JAX's _dynamic_slice_indices: unless `allow_negative_indices` (a bool or one per dimension,
 * default true) is false there, a negative start counts from the end of its dimension.
 */
function wrapStarts(op: string, operand: Array, starts: Array[], params: Params): { starts: Array[]; params: Params } {
  const { allow_negative_indices: allow = true, ...rest } = params;
  if (starts.length !== operand.ndim) return { starts, params: rest }; // the primitive's error
  const allowed = starts.map((_, i) => (globalThis.Array.isArray(allow) ? allow[i] : allow));
  if (allowed.some((a) => typeof a !== 'boolean')) throw new TypeError(`${op}: allow_negative_indices must be a bool or one bool per dimension, got ${String(allow)}`);
  return { starts: starts.map((s, i) => (allowed[i] ? wrapStart(s, operand.shape[i]!) : s)), params: rest };
}

/** lax.dynamic_slice: binds as dynamic_slice[slice_sizes] after JAX's wrapper wraps negative starts. */
export const dynamicSlice: Primitive = withWrapper(dynamicSliceP, ([x, ...starts], params) => {
  const w = wrapStarts('dynamic_slice', x!, starts, params);
  return { args: [x!, ...w.starts], params: w.params };
});

/** lax.dynamic_update_slice: binds as dynamic_update_slice after JAX's wrapper wraps negative starts. */
export const dynamicUpdateSlice: Primitive = withWrapper(dynamicUpdateSliceP, ([x, update, ...starts], params) => {
  const w = wrapStarts('dynamic_update_slice', x!, starts, params);
  return { args: [x!, update!, ...w.starts], params: w.params };
});

// ---- gather ----

/** Python's repr of a NamedTuple of int tuples: `Name(a=(1,), b=())`, as JAX prints dimension numbers. */
function namedTuple(name: string, fields: Record<string, readonly number[]>): string {
  return `${name}(${Object.entries(fields).map(([k, v]) => `${k}=${tuple(v)}`).join(', ')})`;
}

/** What a GatherDimensionNumbers is built from; the index vector is always the last dimension of the indices. */
export interface GatherDimensionNumbersLike {
  offset_dims: readonly number[];
  collapsed_slice_dims: readonly number[];
  start_index_map: readonly number[];
  operand_batching_dims?: readonly number[];
  start_indices_batching_dims?: readonly number[];
}

/** JAX's GatherDimensionNumbers (a plain object with these fields works as well); prints as JAX's. */
export class GatherDimensionNumbers {
  readonly offset_dims: readonly number[];
  readonly collapsed_slice_dims: readonly number[];
  readonly start_index_map: readonly number[];
  readonly operand_batching_dims: readonly number[];
  readonly start_indices_batching_dims: readonly number[];
  constructor(d: GatherDimensionNumbersLike) {
    this.offset_dims = d.offset_dims;
    this.collapsed_slice_dims = d.collapsed_slice_dims;
    this.start_index_map = d.start_index_map;
    this.operand_batching_dims = d.operand_batching_dims ?? [];
    this.start_indices_batching_dims = d.start_indices_batching_dims ?? [];
  }
  toString(): string {
    return namedTuple('GatherDimensionNumbers', {
      offset_dims: this.offset_dims,
      collapsed_slice_dims: this.collapsed_slice_dims,
      start_index_map: this.start_index_map,
      operand_batching_dims: this.operand_batching_dims,
      start_indices_batching_dims: this.start_indices_batching_dims,
    });
  }
}

/**
 * Out-of-bounds handling: 'clip' clamps the start so the whole window is in bounds; 'fill' (or
 * 'drop') gives fill_value for a gathered window partly out of bounds and drops such scattered
 * windows; 'promise_in_bounds' leaves it to XLA (gathers clamp, scatters drop).
 */
export type GatherScatterMode = 'clip' | 'fill' | 'drop' | 'promise_in_bounds';

function parseMode(op: string, mode: unknown, fallback: GatherScatterMode): 'clip' | 'fill' | 'promise_in_bounds' {
  const m = mode ?? fallback;
  if (m === 'drop' || m === 'fill') return 'fill';
  if (m === 'clip' || m === 'promise_in_bounds') return m;
  throw new TypeError(`${op}: unknown mode ${JSON.stringify(mode)}; expected 'clip', 'fill', 'drop' or 'promise_in_bounds'`);
}

function isSorted(op: string, name: string, dims: readonly number[]): void {
  if (dims.some((d, i) => i > 0 && d < dims[i - 1]!)) throw new TypeError(`${name} in ${op} op must be sorted; got ${tuple(dims)}`);
}
function noDuplicates(op: string, name: string, dims: readonly number[]): void {
  if (new Set(dims).size !== dims.length) throw new TypeError(`${name} in ${op} op must not repeat; got: ${tuple(dims)}.`);
}
function inRange(op: string, name: string, dims: readonly number[], rank: number): void {
  for (const d of dims) if (d < 0 || d >= rank) throw new TypeError(`Invalid ${name} set in ${op} op; valid range is [0, ${rank}); got: ${d}.`);
}
function disjoint(op: string, a: readonly number[], b: readonly number[], nameA: string, nameB: string): void {
  if (a.some((d) => b.includes(d))) throw new TypeError(`${nameA} and ${nameB} in ${op} op must be disjoint; got: ${tuple(a)} and ${tuple(b)}.`);
}
function checkIndices(indices: ShapedArray): void {
  if (!isInteger(indices.dtype)) throw new TypeError(`indices must have an integer type, got ${indices.dtype}`);
  if (indices.ndim === 0) throw new TypeError('indices must have at least one dimension (the index vector is the last one)');
}

const gatherDims = (params: Params): GatherDimensionNumbers => new GatherDimensionNumbers(params.dimension_numbers as GatherDimensionNumbersLike);

/** Validates as XLA's ShapeInference::InferGatherShape (JAX's wording) and returns the output shape. */
function gatherShape(operand: ShapedArray, indices: ShapedArray, params: Params): number[] {
  const op = 'gather';
  checkIndices(indices);
  const dn = gatherDims(params);
  const sliceSizes = checkShapeLike(op, 'slice_sizes', params.slice_sizes);
  const ivd = indices.ndim - 1;
  const outRank = dn.offset_dims.length + ivd;
  isSorted(op, 'offset_dims', dn.offset_dims);
  noDuplicates(op, 'offset_dims', dn.offset_dims);
  dn.offset_dims.forEach((d, i) => {
    if (d < 0 || d >= outRank) throw new TypeError(`Offset dimension ${i} in gather op is out of bounds; got ${d}, but should have been in [0, ${outRank})`);
  });
  if (dn.start_index_map.length !== indices.shape[ivd]) {
    throw new TypeError(
      `Gather op has ${dn.start_index_map.length} elements in start_index_map and the bound of dimension index_vector_dim=${ivd} of indices is ${indices.shape[ivd]}. These two numbers must be equal.`,
    );
  }
  dn.start_index_map.forEach((d, i) => {
    if (d < 0 || d >= operand.ndim) throw new TypeError(`Invalid start_index_map; domain is [0, ${operand.ndim}), got: ${i}->${d}.`);
  });
  noDuplicates(op, 'start_index_map', dn.start_index_map);
  isSorted(op, 'collapsed_slice_dims', dn.collapsed_slice_dims);
  inRange(op, 'collapsed_slice_dims', dn.collapsed_slice_dims, operand.ndim);
  noDuplicates(op, 'collapsed_slice_dims', dn.collapsed_slice_dims);
  noDuplicates(op, 'operand_batching_dims', dn.operand_batching_dims);
  isSorted(op, 'operand_batching_dims', dn.operand_batching_dims);
  inRange(op, 'operand_batching_dims', dn.operand_batching_dims, operand.ndim);
  disjoint(op, dn.collapsed_slice_dims, dn.operand_batching_dims, 'collapsed_slice_dims', 'operand_batching_dims');
  disjoint(op, dn.start_index_map, dn.operand_batching_dims, 'start_index_map', 'operand_batching_dims');
  noDuplicates(op, 'start_indices_batching_dims', dn.start_indices_batching_dims);
  inRange(op, 'start_indices_batching_dims', dn.start_indices_batching_dims, indices.ndim);
  if (dn.start_indices_batching_dims.includes(ivd)) {
    throw new TypeError(`Gather op cannot have the index vector dimension as a batching dimension; got ${tuple(dn.start_indices_batching_dims)}.`);
  }
  if (dn.operand_batching_dims.length !== dn.start_indices_batching_dims.length) {
    throw new TypeError(
      `Gather op requires equal numbers of operand_batching_dims and start_indices_batching_dims, got ${tuple(dn.operand_batching_dims)} and ${tuple(dn.start_indices_batching_dims)}.`,
    );
  }
  const operandBatch = dn.operand_batching_dims.map((d) => operand.shape[d]!);
  const indicesBatch = dn.start_indices_batching_dims.map((d) => indices.shape[d]!);
  if (operandBatch.some((d, i) => d !== indicesBatch[i])) {
    throw new TypeError(`Gather op requires operand batching dimensions and indices batching dimensions to have the same shape, got ${tuple(operandBatch)} and ${tuple(indicesBatch)}.`);
  }
  if (sliceSizes.length !== operand.ndim) {
    throw new TypeError(`Gather op must have one slice size for every input dimension; got: len(slice_sizes)=${sliceSizes.length}, input_shape.rank=${operand.ndim}`);
  }
  if (sliceSizes.length !== dn.offset_dims.length + dn.collapsed_slice_dims.length + dn.operand_batching_dims.length) {
    throw new TypeError(
      `All components of the offset index in a gather op must either be a offset dimension or explicitly collapsed/batching; got len(slice_sizes)=${sliceSizes.length}, output_slice_sizes=${tuple(dn.offset_dims)}, collapsed_slice_dims=${tuple(dn.collapsed_slice_dims)}, operand_batching_dims=${tuple(dn.operand_batching_dims)}.`,
    );
  }
  if (indices.size !== 0) {
    sliceSizes.forEach((s, i) => {
      if (!(s >= 0 && operand.shape[i]! >= s)) throw new TypeError(`Slice size at index ${i} in gather op is out of range, must be within [0, ${operand.shape[i]} + 1), got ${s}.`);
    });
  }
  dn.collapsed_slice_dims.forEach((d, i) => {
    if (sliceSizes[d] !== 1) throw new TypeError(`Gather op can only collapse slice dims with bound 1, but bound is ${sliceSizes[d]} for index ${d} at position ${i}.`);
  });
  dn.operand_batching_dims.forEach((d, i) => {
    if (sliceSizes[d]! > 1) throw new TypeError(`Gather op can only have operand batching dims with bound 0/1, but bound is ${sliceSizes[d]} for index ${d} at position ${i}.`);
  });
  const batchShape = indices.shape.slice(0, ivd);
  const windowSizes = sliceSizes.filter((_, i) => !dn.collapsed_slice_dims.includes(i) && !dn.operand_batching_dims.includes(i));
  let b = 0;
  let w = 0;
  return globalThis.Array.from({ length: outRank }, (_, i) => (dn.offset_dims.includes(i) ? windowSizes[w++]! : batchShape[b++]!));
}

/** The fill value of a 'fill' gather: JAX's defaults (NaN, the most negative or largest int, true). */
function fillValueFor(dtype: DType, value: unknown): number | boolean | bigint {
  if (typeof value === 'number' && isInteger(dtype) && Number.isFinite(value)) {
    // converted as convert_element_type does: truncated, wrapped into the integer type
    const bits = itemsize(dtype) * 8;
    const v = BigInt(Math.trunc(value));
    return isSignedInteger(dtype) ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
  }
  if (value !== null && value !== undefined) return value as number | boolean | bigint;
  if (isInexact(dtype)) return NaN;
  if (isSignedInteger(dtype)) return iinfo(dtype).min;
  if (isUnsignedInteger(dtype)) return iinfo(dtype).max;
  return true;
}

function emitGather(ctx: LoweringContext, operand: Value, indices: Value, dn: GatherDimensionNumbers, sliceSizes: number[], sorted: boolean, out: ShapedArray): Value {
  const fields = [
    dn.offset_dims.length ? `offset_dims = ${list(dn.offset_dims)}` : '',
    dn.collapsed_slice_dims.length ? `collapsed_slice_dims = ${list(dn.collapsed_slice_dims)}` : '',
    dn.operand_batching_dims.length ? `operand_batching_dims = ${list(dn.operand_batching_dims)}` : '',
    dn.start_indices_batching_dims.length ? `start_indices_batching_dims = ${list(dn.start_indices_batching_dims)}` : '',
    `start_index_map = ${list(dn.start_index_map)}`,
    `index_vector_dim = ${indices.aval.ndim - 1}`,
  ].filter(Boolean);
  return ctx.op1('stablehlo.gather', [operand, indices], out, {
    dimension_numbers: `#stablehlo.gather<${fields.join(', ')}>`,
    indices_are_sorted: bool(sorted),
    slice_sizes: i64Array(sliceSizes),
  });
}

/** The index dtype JAX uses for masks and clamps: int32 unless a dimension needs more. */
const indexDTypeFor = (shape: readonly number[]): DType => (shape.some((d) => d > 2 ** 31 - 1) ? 'int64' : 'int32');

/**
 * gather[dimension_numbers, slice_sizes, indices_are_sorted, unique_indices, mode, fill_value]
 * (operand, indices): slices of `operand` at the start positions in `indices`.
 */
export const gather: Primitive = defrules(new Primitive('gather', {
  abstractEval: ([operand, indices], params) => {
    parseMode('gather', params.mode, 'promise_in_bounds');
    return [new ShapedArray(gatherShape(operand!, indices!, params), operand!.dtype, operand!.weakType)];
  },
  lower: (ctx, [operand, indices], params, [out]) => {
    if (out!.size === 0) return [ctx.constant(0, out!)];
    const dn = gatherDims(params);
    const sliceSizes = params.slice_sizes as number[];
    const sorted = params.indices_are_sorted === true;
    if (parseMode('gather', params.mode, 'promise_in_bounds') !== 'fill' || dn.start_index_map.length === 0) {
      return [emitGather(ctx, operand!, indices!, dn, sliceSizes, sorted, out!)];
    }
    // 'fill': gather in bounds, then replace windows whose start is out of range (as JAX's _gather_fill)
    const idxType = indexDTypeFor(operand!.aval.shape);
    const idxAval = new ShapedArray(indices!.aval.shape, idxType);
    const idx = indices!.aval.dtype === idxType ? indices! : ctx.op1('stablehlo.convert', [indices!], idxAval);
    const last = idxAval.ndim - 1;
    const upper = vectorConstant(ctx, dn.start_index_map.map((d) => operand!.aval.shape[d]! - sliceSizes[d]!), idxType);
    const upperB = ctx.op1('stablehlo.broadcast_in_dim', [upper], idxAval, { broadcast_dimensions: i64Array([last]) });
    const inBounds = ctx.op1('stablehlo.and', [compare(ctx, 'GE', idx, ctx.constant(0, idxAval)), compare(ctx, 'LE', idx, upperB)], new ShapedArray(idxAval.shape, 'bool'));
    const scalarBool = new ShapedArray([], 'bool');
    const body = ctx.region([scalarBool, scalarBool], (inner, [a, b]) => [inner.op1('stablehlo.and', [a!, b!], scalarBool)]);
    const batchShape = idxAval.shape.slice(0, last);
    const mask = ctx.op1('stablehlo.reduce', [inBounds, ctx.constant(true, scalarBool)], new ShapedArray(batchShape, 'bool'), { dimensions: i64Array([last]) }, [body]);
    const batchDims = out!.shape.map((_, i) => i).filter((i) => !dn.offset_dims.includes(i));
    const maskB = ctx.op1('stablehlo.broadcast_in_dim', [mask], new ShapedArray(out!.shape, 'bool'), { broadcast_dimensions: i64Array(batchDims) });
    const gathered = emitGather(ctx, operand!, idx, dn, sliceSizes, sorted, out!);
    const fill = ctx.constant(fillValueFor(out!.dtype, params.fill_value), out!);
    return [ctx.op1('stablehlo.select', [maskB, gathered, fill], out!)];
  },
  batch: (args, dims, params) => gatherBatch(args, dims, params),
}), { jvp: gatherJvp, transpose: gatherTranspose });

// ---- scatter ----

/** What a ScatterDimensionNumbers is built from; the index vector is always the last dimension of the indices. */
export interface ScatterDimensionNumbersLike {
  update_window_dims: readonly number[];
  inserted_window_dims: readonly number[];
  scatter_dims_to_operand_dims: readonly number[];
  operand_batching_dims?: readonly number[];
  scatter_indices_batching_dims?: readonly number[];
}

/** JAX's ScatterDimensionNumbers (a plain object with these fields works as well); prints as JAX's. */
export class ScatterDimensionNumbers {
  readonly update_window_dims: readonly number[];
  readonly inserted_window_dims: readonly number[];
  readonly scatter_dims_to_operand_dims: readonly number[];
  readonly operand_batching_dims: readonly number[];
  readonly scatter_indices_batching_dims: readonly number[];
  constructor(d: ScatterDimensionNumbersLike) {
    this.update_window_dims = d.update_window_dims;
    this.inserted_window_dims = d.inserted_window_dims;
    this.scatter_dims_to_operand_dims = d.scatter_dims_to_operand_dims;
    this.operand_batching_dims = d.operand_batching_dims ?? [];
    this.scatter_indices_batching_dims = d.scatter_indices_batching_dims ?? [];
  }
  toString(): string {
    return namedTuple('ScatterDimensionNumbers', {
      update_window_dims: this.update_window_dims,
      inserted_window_dims: this.inserted_window_dims,
      scatter_dims_to_operand_dims: this.scatter_dims_to_operand_dims,
      operand_batching_dims: this.operand_batching_dims,
      scatter_indices_batching_dims: this.scatter_indices_batching_dims,
    });
  }
}

const scatterDims = (params: Params): ScatterDimensionNumbers => new ScatterDimensionNumbers(params.dimension_numbers as ScatterDimensionNumbersLike);

/** Validates as XLA's ShapeInference::InferScatterShape, in JAX's wording. */
function checkScatter(name: string, operand: ShapedArray, indices: ShapedArray, updates: ShapedArray, params: Params): void {
  const op = 'scatter';
  checkIndices(indices);
  sameDTypes('scatter', [operand, updates]);
  parseMode(name, params.mode, 'fill');
  const dn = scatterDims(params);
  const ivd = indices.ndim - 1;
  const expectedRank = ivd + dn.update_window_dims.length;
  if (updates.ndim !== expectedRank) throw new TypeError(`Updates tensor must be of rank ${expectedRank}; got ${updates.ndim}.`);
  isSorted(op, 'update_window_dims', dn.update_window_dims);
  noDuplicates(op, 'update_window_dims', dn.update_window_dims);
  inRange(op, 'update_window_dims', dn.update_window_dims, updates.ndim);
  isSorted(op, 'inserted_window_dims', dn.inserted_window_dims);
  noDuplicates(op, 'inserted_window_dims', dn.inserted_window_dims);
  inRange(op, 'inserted_window_dims', dn.inserted_window_dims, operand.ndim);
  isSorted(op, 'operand_batching_dims', dn.operand_batching_dims);
  noDuplicates(op, 'operand_batching_dims', dn.operand_batching_dims);
  inRange(op, 'operand_batching_dims', dn.operand_batching_dims, operand.ndim);
  disjoint(op, dn.inserted_window_dims, dn.operand_batching_dims, 'inserted_window_dims', 'operand_batching_dims');
  disjoint(op, dn.scatter_dims_to_operand_dims, dn.operand_batching_dims, 'scatter_dims_to_operand_dims', 'operand_batching_dims');
  noDuplicates(op, 'scatter_indices_batching_dims', dn.scatter_indices_batching_dims);
  inRange(op, 'scatter_indices_batching_dims', dn.scatter_indices_batching_dims, indices.ndim);
  if (dn.scatter_indices_batching_dims.includes(ivd)) {
    throw new TypeError(`Scatter op cannot have the index vector dimension as a batching dimension; got ${tuple(dn.scatter_indices_batching_dims)}.`);
  }
  if (dn.operand_batching_dims.length !== dn.scatter_indices_batching_dims.length) {
    throw new TypeError(
      `Scatter op requires equal numbers of operand_batching_dims and scatter_indices_batching_dims, got ${tuple(dn.operand_batching_dims)} and ${tuple(dn.scatter_indices_batching_dims)}.`,
    );
  }
  const operandBatch = dn.operand_batching_dims.map((d) => operand.shape[d]!);
  const indicesBatch = dn.scatter_indices_batching_dims.map((d) => indices.shape[d]!);
  if (operandBatch.some((d, i) => d !== indicesBatch[i])) {
    throw new TypeError(`Scatter op requires operand batching dimensions and indices batching dimensions to have the same shape, got ${tuple(operandBatch)} and ${tuple(indicesBatch)}.`);
  }
  const window = dn.update_window_dims.length + dn.inserted_window_dims.length + dn.operand_batching_dims.length;
  if (operand.ndim !== window) throw new TypeError(`Scatter op has window of size ${window}; doesn't match operand of rank ${operand.ndim}.`);
  if (dn.scatter_dims_to_operand_dims.length !== indices.shape[ivd]) {
    throw new TypeError(
      `Scatter op has ${dn.scatter_dims_to_operand_dims.length} elements in scatter_dims_to_operand_dims and the bound of dimension index_vector_dim=${ivd} of indices is ${indices.shape[ivd]}. These two numbers must be equal`,
    );
  }
  dn.scatter_dims_to_operand_dims.forEach((d, i) => {
    if (d < 0 || d >= operand.ndim) throw new TypeError(`Invalid scatter_dims_to_operand_dims mapping; domain is [0, ${operand.ndim}), got: ${i}->${d}.`);
  });
  noDuplicates(op, 'scatter_dims_to_operand_dims', dn.scatter_dims_to_operand_dims);
  const maxWindow = operand.shape.filter((_, i) => !dn.inserted_window_dims.includes(i) && !dn.operand_batching_dims.includes(i));
  dn.update_window_dims.forEach((d, i) => {
    if (maxWindow[i]! < updates.shape[d]!) {
      throw new TypeError(
        `Bounds of the window dimensions of updates must not exceed the bounds of the corresponding dimensions of operand. For dimension ${d}, updates bound is ${updates.shape[d]}, operand bound is ${maxWindow[i]}.`,
      );
    }
  });
  let seen = 0;
  updates.shape.forEach((size, i) => {
    if (dn.update_window_dims.includes(i)) return;
    if (size !== indices.shape[seen]) {
      throw new TypeError(
        `Bounds of the scatter dimensions of updates must be the same as the bounds of the corresponding dimensions of scatter indices. For scatter dimension ${i}, updates bound is ${size}, indices bound is ${indices.shape[seen]}.`,
      );
    }
    seen++;
  });
}

/** 'clip' scatters clamp each start so its whole window lands in bounds (JAX's _clamp_scatter_indices). */
function clampScatterIndices(ctx: LoweringContext, operand: ShapedArray, indices: Value, updates: ShapedArray, dn: ScatterDimensionNumbers): Value {
  let pos = 0;
  const windowSizes = operand.shape.map((_, i) => (dn.inserted_window_dims.includes(i) || dn.operand_batching_dims.includes(i) ? 1 : updates.shape[dn.update_window_dims[pos++]!]!));
  const limit = Number(iinfo(indices.aval.dtype).max);
  const upper = vectorConstant(ctx, dn.scatter_dims_to_operand_dims.map((d) => Math.min(operand.shape[d]! - windowSizes[d]!, limit)), indices.aval.dtype);
  const upperB = ctx.op1('stablehlo.broadcast_in_dim', [upper], indices.aval, { broadcast_dimensions: i64Array([indices.aval.ndim - 1]) });
  return ctx.op1('stablehlo.clamp', [ctx.constant(0, new ShapedArray([], indices.aval.dtype)), indices, upperB], indices.aval);
}

type Combine = ((ctx: LoweringContext, current: Value, update: Value) => Value) | null;

function scatterPrimitive(name: string, combine: Combine, acceptsBool: boolean): Primitive {
  const prim: Primitive = new Primitive(name, {
    abstractEval: ([operand, indices, updates], params) => {
      if (!acceptsBool) checkDTypes(name, [operand!], (d) => !isBool(d), 'number');
      checkScatter(name, operand!, indices!, updates!, params);
      return [new ShapedArray(operand!.shape, operand!.dtype, operand!.weakType)];
    },
    lower: (ctx, [operand, indices, updates], params, [out]) => {
      const dn = scatterDims(params);
      const idx = parseMode(name, params.mode, 'fill') === 'clip' ? clampScatterIndices(ctx, operand!.aval, indices!, updates!.aval, dn) : indices!;
      const fields = [
        dn.update_window_dims.length ? `update_window_dims = ${list(dn.update_window_dims)}` : '',
        dn.inserted_window_dims.length ? `inserted_window_dims = ${list(dn.inserted_window_dims)}` : '',
        dn.operand_batching_dims.length ? `input_batching_dims = ${list(dn.operand_batching_dims)}` : '',
        dn.scatter_indices_batching_dims.length ? `scatter_indices_batching_dims = ${list(dn.scatter_indices_batching_dims)}` : '',
        `scatter_dims_to_operand_dims = ${list(dn.scatter_dims_to_operand_dims)}`,
        `index_vector_dim = ${idx.aval.ndim - 1}`,
      ].filter(Boolean);
      const scalar = new ShapedArray([], out!.dtype);
      const body = ctx.region([scalar, scalar], (inner, [current, update]) => [combine ? combine(inner, current!, update!) : update!]);
      return [
        ctx.op1('stablehlo.scatter', [operand!, idx, updates!], out!, {
          indices_are_sorted: bool(params.indices_are_sorted),
          scatter_dimension_numbers: `#stablehlo.scatter<${fields.join(', ')}>`,
          unique_indices: bool(params.unique_indices),
        }, [body]),
      ];
    },
    batch: (args, dims, params) => scatterBatch(prim, args, dims, params),
  });
  return prim;
}

const combineWith = (opName: string): Combine => (ctx, a, b) => ctx.op1(opName, [a, b], a.aval);

/**
 * scatter[dimension_numbers, indices_are_sorted, unique_indices, mode](operand, indices, updates):
 * writes `updates` at the windows `indices` select (with duplicates, one of them wins).
 */
export const scatter: Primitive = defrules(scatterPrimitive('scatter', null, true), { jvp: scatterJvp, transpose: scatterTranspose });
/** scatter-add: accumulates duplicates. */
export const scatterAdd: Primitive = defrules(scatterPrimitive('scatter-add', combineWith('stablehlo.add'), false), { jvp: scatterAddJvp, transpose: scatterAddTranspose });
export const scatterMul: Primitive = defrules(scatterPrimitive('scatter-mul', combineWith('stablehlo.multiply'), false), { jvp: scatterMulJvp, transpose: scatterMulTranspose });
export const scatterMin: Primitive = defrules(scatterPrimitive('scatter-min', combineWith('stablehlo.minimum'), true), { jvp: scatterExtremalJvp('scatter-min') });
export const scatterMax: Primitive = defrules(scatterPrimitive('scatter-max', combineWith('stablehlo.maximum'), true), { jvp: scatterExtremalJvp('scatter-max') });

// ---- thin functions, as jax.lax's ----

/** A strong scalar constant of `dtype` (for start indices made from JS numbers). */
function scalarOf(value: number, dtype: DType): Array {
  return new ArrayImpl(new ShapedArray([], dtype), toRawHost(dtype, [value]));
}

function canonicalAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) throw new RangeError(`${op}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

/** lax.slice_in_dim: `operand[start:limit:stride]` along `axis`; null bounds mean the ends, negatives count from the end. */
export function sliceInDim(operand: Array, startIndex: number | null, limitIndex: number | null, stride = 1, axis = 0): Array {
  const ax = canonicalAxis('slice_in_dim', axis, operand.ndim);
  const size = operand.shape[ax]!;
  let start = startIndex ?? 0;
  let limit = limitIndex ?? size;
  if (start < 0) start += size;
  if (limit < 0) limit += size;
  const starts = operand.shape.map(() => 0);
  const limits = [...operand.shape];
  const strides = operand.shape.map(() => 1);
  starts[ax] = start;
  limits[ax] = limit;
  strides[ax] = stride;
  return slice.bind1([operand], { start_indices: starts, limit_indices: limits, strides: stride === 1 ? null : strides });
}

/** lax.index_in_dim: the slice at `index` along `axis`, kept as a size-1 dimension unless keepdims is false. */
export function indexInDim(operand: Array, index: number, axis = 0, keepdims = true): Array {
  const ax = canonicalAxis('index_in_dim', axis, operand.ndim);
  const size = operand.shape[ax]!;
  const i = index < 0 ? index + size : index;
  if (!(i >= 0 && i < size)) throw new RangeError(`index ${index} is out of bounds for axis ${ax} with size ${size}`);
  const out = sliceInDim(operand, i, i + 1, 1, ax);
  return keepdims ? out : squeeze.bind1([out], { dimensions: [ax] });
}

/** JAX's _dynamic_slice_indices: negative starts count from the end (statically for JS numbers). */
function startIndices(operand: Array, starts: (Array | number)[]): Array[] {
  const arrayDType = starts.find((s): s is Array => s instanceof Array)?.dtype;
  const dtype: DType = arrayDType ?? 'int32';
  return starts.map((s, i) => (s instanceof Array ? wrapStart(s, operand.shape[i]!) : scalarOf(s < 0 ? s + operand.shape[i]! : s, dtype)));
}

/** A start index counted from the end of a dimension of size `d` where negative (not for unsigned starts). */
function wrapStart(s: Array, d: number): Array {
  if (isUnsignedInteger(s.dtype)) return s;
  // a start whose value is on the host already is wrapped there, as JAX does for Python ints
  if (s instanceof ArrayImpl && s.ndim === 0 && !s.isDisposed && s.hostData) {
    const v = Number(s.hostData[0]);
    return v < 0 ? scalarOf(v + d, s.dtype) : s;
  }
  const negative = lt.bind1([s, scalarOf(0, s.dtype)]);
  return selectN.bind1([negative, s, add.bind1([s, scalarOf(d, s.dtype)])]);
}

function inDimStarts(operand: Array, start: Array | number, axis: number): (Array | number)[] {
  return operand.shape.map((_, i) => (i === axis ? start : 0));
}

/** lax.dynamic_slice_in_dim: `sliceSize` elements from `startIndex` (clamped to fit) along `axis`. */
export function dynamicSliceInDim(operand: Array, startIndex: Array | number, sliceSize: number, axis = 0): Array {
  const ax = canonicalAxis('dynamic_slice_in_dim', axis, operand.ndim);
  const sizes = [...operand.shape];
  sizes[ax] = sliceSize;
  return dynamicSliceP.bind1([operand, ...startIndices(operand, inDimStarts(operand, startIndex, ax))], { slice_sizes: sizes });
}

/** lax.dynamic_update_slice_in_dim: writes `update` from `startIndex` (clamped to fit) along `axis`. */
export function dynamicUpdateSliceInDim(operand: Array, update: Array, startIndex: Array | number, axis: number): Array {
  const ax = canonicalAxis('dynamic_update_slice_in_dim', axis, operand.ndim);
  return dynamicUpdateSliceP.bind1([operand, update, ...startIndices(operand, inDimStarts(operand, startIndex, ax))]);
}

/** lax.dynamic_index_in_dim: the slice at `index` (negative from the end, clamped) along `axis`, dropped unless keepdims. */
export function dynamicIndexInDim(operand: Array, index: Array | number, axis = 0, keepdims = true): Array {
  const out = dynamicSliceInDim(operand, index, 1, axis);
  return keepdims ? out : squeeze.bind1([out], { dimensions: [axis] });
}

/** lax.dynamic_update_index_in_dim: writes `update` at `index` along `axis`; an update without that axis gets it. */
export function dynamicUpdateIndexInDim(operand: Array, update: Array, index: Array | number, axis: number): Array {
  if (update.ndim !== operand.ndim) {
    if (update.ndim + 1 !== operand.ndim) throw new TypeError(`dynamic_update_index_in_dim: update of rank ${update.ndim} for operand of rank ${operand.ndim}`);
    update = expandDims(update, [axis]);
  }
  return dynamicUpdateSliceInDim(operand, update, index, axis);
}

/** lax.expand_dims: inserts size-1 dimensions at `dimensions` (positions in the result), as broadcast_in_dim. */
export function expandDims(array: Array, dimensions: readonly number[]): Array {
  const ndimOut = array.ndim + dimensions.length;
  const dims = dimensions.map((d) => canonicalAxis('expand_dims', d, ndimOut));
  if (new Set(dims).size !== dims.length) throw new RangeError(`repeated axis in lax.expand_dims: ${tuple(dims)}`);
  if (dims.length === 0) return array;
  const shape: number[] = [];
  const kept: number[] = [];
  let k = 0;
  for (let i = 0; i < ndimOut; i++) {
    if (dims.includes(i)) shape.push(1);
    else {
      kept.push(i);
      shape.push(array.shape[k++]!);
    }
  }
  return broadcastInDim.bind1([array], { shape, broadcast_dimensions: kept });
}

// ---- differentiation rules (JAX's, in jax/_src/lax/slicing.py and lax.py) ----
// Every primitive here is linear in its array operands (scatter-mul, -min and -max in their
// operand only); index operands have no tangents and get no cotangents.

type Arg = Array | UndefinedPrimal;
const isUndefined = (x: Arg | undefined): x is UndefinedPrimal => x instanceof UndefinedPrimal;
const zerosOf = (shape: readonly number[], dtype: DType): Array => zerosLike(new ShapedArray([...shape], dtype));
/** A weak scalar zero: padding with it keeps the padded array's weak type. */
const scalarZero = (dtype: DType): Array => fullOf(new ShapedArray([], dtype, true), 0);
const iotaN = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/** The tangent of a primitive linear in the operands at `linear` jointly: itself applied to their tangents. */
function jointlyLinearJvp(prim: Primitive, linear: (i: number) => boolean): JvpRule {
  return (primals, tangents, params) => {
    const out = prim.bind1(primals, params);
    if (tangents.every((t, i) => t === null || !linear(i))) return [[out], [null]];
    const args = primals.map((p, i) => (linear(i) ? instantiate(tangents[i] ?? null, p.aval) : p));
    return [[out], [prim.bind1(args, params)]];
  };
}

/** slice: the cotangent padded with zeros back to the operand's shape (strides become interior padding). */
function sliceTranspose(ct: Array, x: Arg, params: Params): Array {
  const start = params.start_indices as number[];
  const limit = params.limit_indices as number[];
  const strides = params.strides as number[] | null | undefined;
  const shape = x.aval.shape;
  const config: PaddingConfig = !strides || strides.every((s) => s === 1)
    ? start.map((s, i) => [s, shape[i]! - limit[i]!, 0])
    : start.map((s, i) => {
      const realLimit = s + (ct.shape[i] === 0 ? 0 : 1 + (ct.shape[i]! - 1) * strides[i]!);
      return [s, shape[i]! - realLimit, strides[i]! - 1];
    });
  return pad.bind1([ct, scalarZero(ct.dtype)], { padding_config: config });
}

function padJvp(...[primals, tangents, params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  return jointlyLinearJvp(pad, () => true)(primals, tangents, params);
}

/** pad: the operand's cotangent is the unpadded, unstrided cotangent; the padding value's is the sum of the rest. */
function padTranspose(...[[ct], [x, value], params]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  const config = params.padding_config as PaddingConfig;
  const unpadded = pad.bind1([ct!, scalarZero(ct!.dtype)], { padding_config: config.map(([lo, hi]): [number, number, number] => [-lo, -hi, 0]) });
  const strided = config.some((c) => c[2] !== 0);
  const tOperand = slice.bind1([unpadded], {
    start_indices: unpadded.shape.map(() => 0),
    limit_indices: unpadded.shape,
    strides: strided ? config.map((c) => c[2] + 1) : null,
  });
  const total = (a: Array) => (a.ndim ? reduceSum.bind1([a], { axes: iotaN(a.ndim) }) : a);
  return [isUndefined(x) ? tOperand : null, isUndefined(value) ? sub.bind1([total(ct!), total(tOperand)]) : null];
}

function concatenateJvp(...[primals, tangents, params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  return jointlyLinearJvp(concatenate, () => true)(primals, tangents, params);
}

/** concatenate: each operand's cotangent is its slice of the cotangent. */
function concatenateTranspose(...[[ct], operands, params]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  const dim = params.dimension as number;
  let offset = 0;
  return operands.map((o) => {
    const start = offset;
    offset += o.aval.shape[dim]!;
    if (!isUndefined(o)) return null;
    return slice.bind1([ct!], {
      start_indices: ct!.shape.map((_, i) => (i === dim ? start : 0)),
      limit_indices: ct!.shape.map((d, i) => (i === dim ? offset : d)),
      strides: null,
    });
  });
}

function dynamicSliceJvp(...[primals, tangents, params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  return jointlyLinearJvp(dynamicSliceP, (i) => i === 0)(primals, tangents, params);
}

/** dynamic_slice: the cotangent written into zeros at the (clamped) start. */
function dynamicSliceTranspose(...[[ct], [x, ...starts]]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  const tOperand = isUndefined(x) ? dynamicUpdateSliceP.bind1([zerosOf(x.aval.shape, ct!.dtype), ct!, ...(starts as Array[])]) : null;
  return [tOperand, ...starts.map(() => null)];
}

function dynamicUpdateSliceJvp(...[primals, tangents, params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  return jointlyLinearJvp(dynamicUpdateSliceP, (i) => i < 2)(primals, tangents, params);
}

/** dynamic_update_slice: the operand gets the cotangent with the update's window zeroed, the update gets that window. */
function dynamicUpdateSliceTranspose(...[[ct], [x, update, ...starts]]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  const s = starts as Array[];
  const shape = update!.aval.shape;
  return [
    isUndefined(x) ? dynamicUpdateSliceP.bind1([ct!, zerosOf(shape, ct!.dtype), ...s]) : null,
    isUndefined(update) ? dynamicSliceP.bind1([ct!, ...s], { slice_sizes: [...shape] }) : null,
    ...starts.map(() => null),
  ];
}

/** gather: the tangent gathered from the operand's tangent (out-of-bounds windows read 0). */
function gatherJvp(...[[operand, indices], [t], params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const out = gather.bind1([operand!, indices!], params);
  return [[out], [t ? gather.bind1([t, indices!], { ...params, fill_value: 0 }) : null]];
}

/** The mode a gather or scatter actually runs with (their defaults differ), spelled out for its transpose. */
const effectiveMode = (op: string, params: Params, fallback: GatherScatterMode): GatherScatterMode => parseMode(op, params.mode, fallback);

/** gather: the cotangent scatter-added into zeros with the same dimension numbers and mode. */
function gatherTranspose(...[[ct], [operand, indices], params]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  if (!isUndefined(operand)) return [null, null];
  const dn = gatherDims(params);
  const out = scatterAdd.bind1([zerosOf(operand.aval.shape, ct!.dtype), indices as Array, ct!], {
    dimension_numbers: new ScatterDimensionNumbers({
      update_window_dims: dn.offset_dims,
      inserted_window_dims: dn.collapsed_slice_dims,
      scatter_dims_to_operand_dims: dn.start_index_map,
      operand_batching_dims: dn.operand_batching_dims,
      scatter_indices_batching_dims: dn.start_indices_batching_dims,
    }),
    indices_are_sorted: params.indices_are_sorted === true,
    unique_indices: params.unique_indices === true,
    mode: effectiveMode('gather', params, 'promise_in_bounds'),
  });
  return [out, null];
}

/**
 * The gather that reads back the windows a scatter with `params` writes (JAX builds it for every
 * scatter rule): from `operand` (shaped like the scattered operand) at `indices`, windows shaped
 * like the updates' windows. Out-of-bounds windows read `fill` where the scatter drops them.
 */
function gatherScattered(name: string, operand: Array, indices: Array, updatesShape: readonly number[], params: Params, fill: number | null = 0): Array {
  const dn = scatterDims(params);
  let pos = 0;
  const sliceSizes = operand.shape.map((_, i) =>
    dn.inserted_window_dims.includes(i) || dn.operand_batching_dims.includes(i) ? 1 : updatesShape[dn.update_window_dims[pos++]!]!);
  return gather.bind1([operand, indices], {
    dimension_numbers: new GatherDimensionNumbers({
      offset_dims: dn.update_window_dims,
      collapsed_slice_dims: dn.inserted_window_dims,
      start_index_map: dn.scatter_dims_to_operand_dims,
      operand_batching_dims: dn.operand_batching_dims,
      start_indices_batching_dims: dn.scatter_indices_batching_dims,
    }),
    slice_sizes: sliceSizes,
    indices_are_sorted: params.indices_are_sorted === true,
    unique_indices: params.unique_indices === true,
    mode: effectiveMode(name, params, 'fill'),
    fill_value: fill,
  });
}

/** A scatter of the same kind and dimension numbers as `params`, with the mode spelled out. */
function scatterLike(prim: Primitive, operand: Array, indices: Array, updates: Array, params: Params): Array {
  return prim.bind1([operand, indices, updates], { ...params, mode: effectiveMode(prim.name, params, 'fill') });
}

function scatterAddJvp(...[primals, tangents, params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  return jointlyLinearJvp(scatterAdd, (i) => i !== 1)(primals, tangents, params);
}

/** scatter-add: the operand's cotangent passes through; the updates' is gathered from it. */
function scatterAddTranspose(...[[ct], [operand, indices, updates], params]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  return [
    isUndefined(operand) ? ct! : null,
    null,
    isUndefined(updates) ? gatherScattered('scatter-add', ct!, indices as Array, updates.aval.shape, params) : null,
  ];
}

const uniqueOnly = (name: string) => `${name} gradients are only implemented if \`unique_indices=True\``;

/** scatter-mul: linear in the operand; along the updates (unique indices only) the operand times the scattered tangent. */
function scatterMulJvp(...[[operand, indices, updates], [tOperand, , tUpdates], params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const out = scatterMul.bind1([operand!, indices!, updates!], params);
  let t: Tangent = tOperand ? scatterMul.bind1([tOperand, indices!, updates!], params) : null;
  if (tUpdates) {
    if (params.unique_indices !== true) throw new Error(uniqueOnly('scatter_mul'));
    const scattered = scatterLike(scatterAdd, zerosOf(operand!.shape, tUpdates.dtype), indices!, tUpdates, params);
    t = addTangents(t, mul.bind1([operand!, scattered]));
  }
  return [[out], [t]];
}

function scatterMulTranspose(...[[ct], [operand, indices, updates], params]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  const idx = indices as Array;
  if (isUndefined(operand) && isUndefined(updates)) throw new Error('scatter-mul is not linear in its operand and updates together');
  if (isUndefined(operand)) return [scatterMul.bind1([ct!, idx, updates as Array], params), null, null];
  if (!isUndefined(updates)) return [null, null, null];
  if (params.unique_indices !== true) throw new Error(uniqueOnly('scatter_mul'));
  return [null, null, gatherScattered('scatter-mul', mul.bind1([ct!, operand]), idx, updates.aval.shape, params)];
}

/**
 * scatter-min/-max (JAX's _scatter_extremal_jvp): each position's tangent is the average of the
 * tangents of the values that tie for the result there, the operand's own value included.
 */
function scatterExtremalJvp(name: string): JvpRule {
  return ([operand, indices, updates], [tOperand, , tUpdates], params) => {
    const prim = name === 'scatter-min' ? scatterMin : scatterMax;
    const out = prim.bind1([operand!, indices!, updates!], params);
    if (!tOperand && !tUpdates) return [[out], [null]];
    const x = operand!;
    const u = updates!;
    const idx = indices!;
    const gOperand = instantiate(tOperand ?? null, x.aval);
    const gUpdates = instantiate(tUpdates ?? null, u.aval);
    const back = (a: Array) => gatherScattered(name, a, idx, u.shape, params);
    const [zeroU, oneU] = [zerosOf(u.shape, u.dtype), fullOf(new ShapedArray(u.shape, u.dtype), 1)];
    const count = (a: Array) => back(scatterLike(scatterAdd, zerosOf(x.shape, x.dtype), idx, a, params));
    const targetVals = back(out);
    const successful = eq.bind1([u, targetVals]);
    const retained = eq.bind1([back(x), targetVals]);
    const numUpdates = count(selectN.bind1([successful, zeroU, oneU]));
    const numRefs = count(oneU);
    const one = constLike(numUpdates, 1);
    const retainedShare = div.bind1([one, add.bind1([numUpdates, one])]);
    const updatesCoef = selectN.bind1([successful, zeroU, selectN.bind1([retained, div.bind1([one, numUpdates]), retainedShare])]);
    const operandCoef = div.bind1([add.bind1([constLike(numUpdates, -1), selectN.bind1([retained, zeroU, retainedShare])]), numRefs]);
    const tangentUpdates = add.bind1([mul.bind1([back(gOperand), operandCoef]), mul.bind1([gUpdates, updatesCoef])]);
    return [[out], [scatterLike(scatterAdd, gOperand, idx, tangentUpdates, params)]];
  };
}

/**
 * scatter (JAX's _scatter_jvp): with unique indices the tangents scatter as the values do.
 * Otherwise which duplicate wins is unspecified, so each update gets an id, the ids are
 * scattered, and the values and tangents of the winners only are scatter-added (so the primal
 * and tangent agree on the winner, and the transpose needs scatter-add's rule only).
 */
function scatterJvp(...[[operand, indices, updates], [tOperand, , tUpdates], params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const [x, idx, u] = [operand!, indices!, updates!];
  if (!tOperand && !tUpdates) return [[scatter.bind1([x, idx, u], params)], [null]];
  const gOperand = instantiate(tOperand ?? null, x.aval);
  const gUpdates = instantiate(tUpdates ?? null, u.aval);
  if (params.unique_indices === true) return [[scatter.bind1([x, idx, u], params)], [scatter.bind1([gOperand, idx, gUpdates], params)]];
  const dn = scatterDims(params);
  const idsShape = u.shape.map((d, i) => (dn.update_window_dims.includes(i) ? 1 : d));
  const numIds = idsShape.reduce((a, b) => a * b, 1);
  const idType: DType = numIds >= 2 ** 32 - 1 ? 'uint64' : 'uint32';
  const ids = add.bind1([reshape.bind1([iota.bind1([], { dtype: idType, shape: [numIds], dimension: 0 })], { new_sizes: idsShape }), fullOf(new ShapedArray(idsShape, idType), 1)]);
  const updateIds = broadcastInDim.bind1([ids], { shape: u.shape, broadcast_dimensions: iotaN(u.ndim) });
  const scatteredIds = scatterLike(scatter, zerosOf(x.shape, idType), idx, updateIds, params);
  const keepOperand = eq.bind1([scatteredIds, zerosOf(x.shape, idType)]);
  const keepUpdate = eq.bind1([updateIds, gatherScattered('scatter', scatteredIds, idx, u.shape, params, null)]);
  const masked = (keep: Array, a: Array) => selectN.bind1([keep, zerosOf(a.shape, a.dtype), a]);
  return [
    [scatterLike(scatterAdd, masked(keepOperand, x), idx, masked(keepUpdate, u), params)],
    [scatterLike(scatterAdd, masked(keepOperand, gOperand), idx, masked(keepUpdate, gUpdates), params)],
  ];
}

/** scatter with unique indices: the operand's cotangent has the written windows zeroed; the updates' is gathered. */
function scatterTranspose(...[[ct], [operand, indices, updates], params]: Parameters<TransposeRule>): ReturnType<TransposeRule> {
  if (params.unique_indices !== true) throw new Error('scatter transpose is only implemented where unique_indices=True');
  const idx = indices as Array;
  const shape = updates!.aval.shape;
  return [
    isUndefined(operand) ? scatterLike(scatter, ct!, idx, zerosOf(shape, ct!.dtype), params) : null,
    null,
    isUndefined(updates) ? gatherScattered('scatter', ct!, idx, shape, params) : null,
  ];
}

// ---- batching rules (JAX's, in jax/_src/lax/slicing.py and lax.py) ----
// The batch axis stays where it is wherever the operation allows a new dimension there: gather
// and scatter take it as one more window, index-batch or batching dimension at the place their
// dimension lists allow; JAX moves it to the front first.

/** slice: the batch axis is sliced whole. */
function sliceBatch([x]: Array[], [bdim]: BatchDim[], params: Params): BatchResult {
  const b = bdim!;
  const strides = params.strides as number[] | null | undefined;
  return [[slice.bind1([x!], {
    start_indices: insertAt(params.start_indices as number[], b, 0),
    limit_indices: insertAt(params.limit_indices as number[], b, x!.shape[b]!),
    strides: strides ? insertAt(strides, b, 1) : null,
  })], [b]];
}

/** pad: no padding along the batch axis; a batched padding value fills the padding through a mask (as JAX). */
function padBatch(args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const [x, value] = args as [Array, Array];
  const [xd, vd] = dims as [BatchDim, BatchDim];
  const d = xd ?? 0;
  const operand = xd === null ? broadcastBatch(x, axisSizeOf(args, dims), 0) : x;
  const padding_config = insertAt(params.padding_config as PaddingConfig, d, [0, 0, 0]);
  if (vd === null) return [[pad.bind1([operand, value], { padding_config })], [d]];
  const padded = pad.bind1([operand, scalarZero(operand.dtype)], { padding_config });
  const mask = pad.bind1([fullOf(new ShapedArray([...operand.shape], 'bool'), true), fullOf(new ShapedArray([], 'bool'), false)], { padding_config });
  const fill = broadcastInDim.bind1([value], { shape: [...padded.shape], broadcast_dimensions: [d] });
  return [[selectN.bind1([mask, fill, padded])], [d]];
}

/** concatenate: operands aligned on the first batched one's axis (unbatched ones broadcast there). */
function concatenateBatch(args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const size = axisSizeOf(args, dims);
  const d = dims.find((b) => b !== null)!;
  const operands = args.map((x, i) => matchAxis(x, dims[i] ?? null, d, size));
  return [[concatenate.bind1(operands, { dimension: batchedAxis(params.dimension as number, d) })], [d]];
}

/** Per-example scalar starts as one [size, n] index array (JAX's _batch_dynamic_slice_indices). */
function batchedStartIndices(starts: Array[], dims: BatchDim[], size: number): Array {
  const columns = starts.map((s, i) =>
    broadcastInDim.bind1([s], { shape: [size, 1], broadcast_dimensions: dims[i] === null ? [] : [0] }));
  return concatenate.bind1(columns, { dimension: 1 });
}

/** A zero start index of `dtype`, for the batch axis of a dynamic slice. */
const zeroStart = (dtype: DType | undefined): Array => scalarOf(0, dtype ?? 'int32');

/**
 * dynamic_slice: with unbatched starts, one more dynamic_slice dimension starting at 0; with
 * batched starts, a clamping gather with one start row per example (as JAX).
 */
function dynamicSliceBatch(args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const [x, ...starts] = args as [Array, ...Array[]];
  const [xd, ...sds] = dims as [BatchDim, ...BatchDim[]];
  const sizes = params.slice_sizes as number[];
  if (sds.every((d) => d === null)) {
    const d = xd!;
    return [[dynamicSliceP.bind1([x, ...insertAt(starts, d, zeroStart(starts[0]?.dtype))], { slice_sizes: insertAt(sizes, d, x.shape[d]!) })], [d]];
  }
  const index = batchedStartIndices(starts, sds, axisSizeOf(args, dims));
  const all = sizes.map((_, i) => i);
  return gatherBatch([x, index], [xd, 0], {
    dimension_numbers: new GatherDimensionNumbers({ offset_dims: all, collapsed_slice_dims: [], start_index_map: all }),
    slice_sizes: sizes,
    indices_are_sorted: true,
    unique_indices: true,
    mode: 'clip',
    fill_value: null,
  });
}

/**
 * dynamic_update_slice: with unbatched starts, operand and update aligned on one axis, written from
 * start 0 along it; with batched starts, a clamping scatter with one start row per example (as JAX).
 */
function dynamicUpdateSliceBatch(args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const [x, update, ...starts] = args as [Array, Array, ...Array[]];
  const [xd, ud, ...sds] = dims as [BatchDim, BatchDim, ...BatchDim[]];
  const size = axisSizeOf(args, dims);
  if (sds.every((d) => d === null)) {
    const d = xd ?? ud!;
    const operands = [matchAxis(x, xd, d, size), matchAxis(update, ud, d, size)];
    return [[dynamicUpdateSliceP.bind1([...operands, ...insertAt(starts, d, zeroStart(starts[0]?.dtype))], params)], [d]];
  }
  const index = batchedStartIndices(starts, sds, size);
  const all = starts.map((_, i) => i);
  return scatterBatch(scatter, [x, index, update], [xd, 0, ud], {
    dimension_numbers: new ScatterDimensionNumbers({ update_window_dims: all, inserted_window_dims: [], scatter_dims_to_operand_dims: all }),
    indices_are_sorted: true,
    unique_indices: true,
    mode: 'clip',
  });
}

/** Indices batched along their last axis (the index vector's place) get the batch axis in front. */
function indicesBatchAxis(indices: Array, ib: number): [Array, number] {
  return ib === indices.ndim - 1 ? [moveaxis(indices, ib, 0), 0] : [indices, ib];
}

/**
 * gather (JAX's _gather_batching_rule, without moving axes): a batched operand alone gets its
 * batch axis as one more whole window (an offset dimension of the output); batched indices alone
 * as one more batch dimension of the indices; both as a pair of batching dimensions.
 */
function gatherBatch([operand, indices]: Array[], [ob, ib]: BatchDim[], params: Params): BatchResult {
  const dn = gatherDims(params);
  const sliceSizes = params.slice_sizes as number[];
  const outRank = dn.offset_dims.length + indices!.ndim - (ib === null ? 1 : 2); // per example
  /** The output position of index batch axis `i`: the i-th non-offset dimension, as near `preferred` as allowed. */
  const outBatchAxis = (i: number, preferred: number) => clampTo(preferred, slotRange(complement(dn.offset_dims, outRank), i, outRank));
  if (ib === null) {
    const b = ob!;
    const windows = complement([...dn.collapsed_slice_dims, ...dn.operand_batching_dims], operand!.ndim - 1);
    const k = countBelow(windows, b);
    const q = clampTo(b, slotRange(dn.offset_dims, k, outRank));
    const dimension_numbers = new GatherDimensionNumbers({
      offset_dims: insertAt(shiftDims(dn.offset_dims, q), k, q),
      collapsed_slice_dims: shiftDims(dn.collapsed_slice_dims, b),
      start_index_map: shiftDims(dn.start_index_map, b),
      operand_batching_dims: shiftDims(dn.operand_batching_dims, b),
      start_indices_batching_dims: dn.start_indices_batching_dims,
    });
    return [[gather.bind1([operand!, indices!], { ...params, dimension_numbers, slice_sizes: insertAt(sliceSizes, b, operand!.shape[b]!) })], [q]];
  }
  const [idx, i] = indicesBatchAxis(indices!, ib);
  const q = outBatchAxis(i, ob ?? i);
  if (ob === null) {
    const dimension_numbers = new GatherDimensionNumbers({
      ...dn,
      offset_dims: shiftDims(dn.offset_dims, q),
      start_indices_batching_dims: shiftDims(dn.start_indices_batching_dims, i),
    });
    // examples may index the same positions: no longer sorted or unique (as JAX)
    return [[gather.bind1([operand!, idx], { ...params, dimension_numbers, indices_are_sorted: false, unique_indices: false })], [q]];
  }
  const b = ob!;
  const j = countBelow(dn.operand_batching_dims, b);
  const dimension_numbers = new GatherDimensionNumbers({
    offset_dims: shiftDims(dn.offset_dims, q),
    collapsed_slice_dims: shiftDims(dn.collapsed_slice_dims, b),
    start_index_map: shiftDims(dn.start_index_map, b),
    operand_batching_dims: insertAt(shiftDims(dn.operand_batching_dims, b), j, b),
    start_indices_batching_dims: insertAt(shiftDims(dn.start_indices_batching_dims, i), j, i),
  });
  const sizes = insertAt(sliceSizes, b, operand!.shape[b] === 0 ? 0 : 1);
  return [[gather.bind1([operand!, idx], { ...params, dimension_numbers, slice_sizes: sizes })], [q]];
}

/**
 * The scatter family (JAX's _scatter_batching_rule, without moving axes where the dimension lists
 * allow): the operand is batched (broadcast if it is not); with unbatched indices its batch axis is
 * one more window, matched by a window axis of the updates; with batched indices the operand and
 * indices get a pair of batching dimensions, matched by a scatter axis of the updates.
 */
function scatterBatch(prim: Primitive, [operand, indices, updates]: Array[], [ob, ib, ub]: BatchDim[], params: Params): BatchResult {
  const size = axisSizeOf([operand!, indices!, updates!], [ob, ib, ub]);
  const dn = scatterDims(params);
  const rank = operand!.ndim - (ob === null ? 0 : 1); // per example
  const updatesRank = updates!.ndim - (ub === null ? 0 : 1);
  const bind = (o: Array, idx: Array, u: Array, fields: Partial<ScatterDimensionNumbersLike>, outDim: number): BatchResult => {
    const dimension_numbers = new ScatterDimensionNumbers({ ...dn, ...fields });
    return [[prim.bind1([o, idx, u], { ...params, dimension_numbers })], [outDim]];
  };
  if (ib === null) {
    const windows = complement([...dn.inserted_window_dims, ...dn.operand_batching_dims], rank);
    // the operand's batch axis and the updates' must be the same window in both window lists
    const b = ob ?? clampTo(ub!, slotRange(windows, countBelow(dn.update_window_dims, ub!), rank));
    const k = countBelow(windows, b);
    const slots = slotRange(dn.update_window_dims, k, updatesRank);
    const u = ub !== null && within(ub, slots) ? ub : clampTo(ub ?? b, slots);
    return bind(matchAxis(operand!, ob, b, size), indices!, matchAxis(updates!, ub, u, size), {
      update_window_dims: insertAt(shiftDims(dn.update_window_dims, u), k, u),
      inserted_window_dims: shiftDims(dn.inserted_window_dims, b),
      scatter_dims_to_operand_dims: shiftDims(dn.scatter_dims_to_operand_dims, b),
      operand_batching_dims: shiftDims(dn.operand_batching_dims, b),
    }, b);
  }
  // the updates' batch axis must be the i-th of their scatter (non-window) axes when the indices'
  // is their i-th axis: batched updates that do not fit move the (smaller) indices instead
  const scatterAxes = complement(dn.update_window_dims, updatesRank);
  const last = indices!.ndim - 1;
  const fits = ub !== null && ib !== last && within(ub, slotRange(scatterAxes, ib, updatesRank));
  const i = ub === null ? (ib === last ? 0 : ib) : fits ? ib : countBelow(scatterAxes, ub);
  const idx = moveaxis(indices!, ib, i);
  const u = ub ?? clampTo(i, slotRange(scatterAxes, i, updatesRank));
  const b = ob ?? 0;
  const j = countBelow(dn.operand_batching_dims, b);
  return bind(matchAxis(operand!, ob, b, size), idx, matchAxis(updates!, ub, u, size), {
    update_window_dims: shiftDims(dn.update_window_dims, u),
    inserted_window_dims: shiftDims(dn.inserted_window_dims, b),
    scatter_dims_to_operand_dims: shiftDims(dn.scatter_dims_to_operand_dims, b),
    operand_batching_dims: insertAt(shiftDims(dn.operand_batching_dims, b), j, b),
    scatter_indices_batching_dims: insertAt(shiftDims(dn.scatter_indices_batching_dims, i), j, i),
  }, b);
}
