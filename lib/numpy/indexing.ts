// NumPy indexing as JAX does it: `x.slice(...)` (static slices, dynamic slices, or a gather for
// advanced indices), `x.at(...)` (scatters), `take` and `takeAlongAxis`.
import { Array, type ArrayLike, type AtIndexer, type IndexEntry } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { shapeStr } from '../core/aval.js';
import { iinfo, isBool, isInteger, isUnsignedInteger, resultType } from '../core/dtypes.js';
import type { Primitive } from '../core/primitive.js';
import * as lax from '../lax/index.js';
import type { GatherScatterMode } from '../lax/slicing.js';
import { asarray, broadcastShapes, broadcastTo, convertTo } from './convert.js';
import { add, divide, less, negative, power, remainder, where } from './ufuncs.js';

/** NumPy's IndexError: an index out of range or malformed. */
export class IndexError extends RangeError {
  override name = 'IndexError';
}

/** JAX's NonConcreteBooleanIndexError: a boolean mask whose values are not known while tracing. */
export class NonConcreteBooleanIndexError extends TypeError {
  override name = 'NonConcreteBooleanIndexError';
  constructor(mask: Array) {
    super(
      `Array boolean indices must be concrete; got ShapedArray(${mask.aval.str()})\n` +
        'Under jit and other transformations the number of true values is unknown, so the result shape is too; ' +
        'use jnp.where(mask, x, y) or jnp.nonzero(mask, { size }) instead.',
    );
  }
}

export interface GetOptions {
  /** Out-of-bounds handling of array indices: clamp ('clip', the default behaviour) or fill. */
  mode?: GatherScatterMode;
  /** The value out-of-bounds positions read with mode 'fill' (default NaN, the dtype's extreme, or true). */
  fillValue?: number | boolean | null;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

export interface UpdateOptions {
  /** Out-of-bounds updates: dropped ('fill' or 'drop', the default) or clamped ('clip'). */
  mode?: GatherScatterMode;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

// ---- parsing ----

/** One index entry that consumes at most one axis, after '...' and boolean masks are expanded. */
type Entry =
  | { kind: 'none' }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'int'; index: number | Array } // a static integer or a 0-d integer Array
  | { kind: 'array'; index: Array }; // an integer Array (advanced indexing)

interface Parsed {
  entries: Entry[];
  /** The array and index entries sit next to each other (NumPy keeps their dims in place). */
  contiguous: boolean;
  /** Axes a 0-d boolean index inserts into the operand (JAX's scalar_bool_dims). */
  insertedAxes: number[];
}

type Raw =
  | Entry
  | { kind: 'ellipsis' }
  | { kind: 'bool'; index: Array };

const FULL: Entry = { kind: 'slice', start: null, stop: null, step: null };

function describe(entry: unknown): string {
  if (entry instanceof Array) return `Array(${entry.aval.str()})`;
  try {
    return JSON.stringify(entry) ?? String(entry);
  } catch {
    return String(entry);
  }
}

function classify(entry: IndexEntry): Raw {
  if (entry === null) return { kind: 'none' };
  if (entry === '...') return { kind: 'ellipsis' };
  if (typeof entry === 'number') {
    if (!Number.isInteger(entry)) throw new TypeError(`Indexer must have integer or boolean type, got indexer with type float (${entry})`);
    return { kind: 'int', index: entry };
  }
  if (entry instanceof Array) {
    if (isBool(entry.dtype)) return { kind: 'bool', index: entry };
    if (!isInteger(entry.dtype)) throw new TypeError(`Indexer must have integer or boolean type, got indexer with type ${entry.dtype}`);
    return entry.ndim === 0 ? { kind: 'int', index: entry } : { kind: 'array', index: entry };
  }
  if (globalThis.Array.isArray(entry)) {
    if (entry.length > 3 || entry.some((v) => v !== null && v !== undefined && !Number.isInteger(v))) {
      throw new TypeError(`a range index is [start, stop, step] with integers or null, got ${describe(entry)}`);
    }
    const [start = null, stop = null, step = null] = entry as (number | null | undefined)[];
    if (step === 0) throw new RangeError('slice step cannot be zero');
    return { kind: 'slice', start, stop, step };
  }
  throw new IndexError(`only integers, ranges [start, stop, step], '...', null (new axis) and integer or boolean Arrays are valid indices; got ${describe(entry)}`);
}

/** Row-major coordinates of the true elements of a concrete mask, one int32 Array per dimension. */
function maskCoordinates(mask: Array): Array[] {
  if (!(mask instanceof ArrayImpl)) throw new NonConcreteBooleanIndexError(mask);
  const values = mask.dataSync();
  const coords: number[][] = mask.shape.map(() => []);
  const strides = mask.shape.map((_, i) => mask.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  values.forEach((v, flat) => {
    if (v) strides.forEach((s, d) => coords[d]!.push(Math.floor(flat / s) % mask.shape[d]!));
  });
  return coords.map((c) => asarray(c, 'int32'));
}

function parseIndex(shape: readonly number[], index: IndexEntry[]): Parsed {
  const raws = index.map(classify);
  const consumed = raws.map((r) => (r.kind === 'none' || r.kind === 'ellipsis' ? 0 : r.kind === 'bool' ? r.index.ndim : 1));
  const ellipses = raws.filter((r) => r.kind === 'ellipsis').length;
  if (ellipses > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const total = consumed.reduce((a, b) => a + b, 0);
  if (total > shape.length) throw new IndexError(`Too many indices: array is ${shape.length}-dimensional, but ${total} were indexed`);

  const entries: Entry[] = [];
  const insertedAxes: number[] = [];
  const advancedPositions: number[] = [];
  let axis = 0; // axis of the operand, in its original numbering
  let position = 0; // position in the index with masks expanded and '...' as one entry (JAX's)
  raws.forEach((raw, i) => {
    if (raw.kind === 'ellipsis') {
      for (let k = 0; k < shape.length - total; k++) entries.push(FULL);
      axis += shape.length - total;
      position++;
    } else if (raw.kind === 'bool' && raw.index.ndim === 0) {
      // x[True] adds an axis of size 1 and indexes it with [0]; x[False] with [] (as JAX does)
      if (!(raw.index instanceof ArrayImpl)) throw new NonConcreteBooleanIndexError(raw.index);
      insertedAxes.push(axis + insertedAxes.length);
      entries.push({ kind: 'array', index: asarray(raw.index.item() ? [0] : [], 'int32') });
      advancedPositions.push(position++);
    } else if (raw.kind === 'bool') {
      const expected = shape.slice(axis, axis + raw.index.ndim);
      if (raw.index.shape.some((d, k) => d !== 0 && d !== expected[k])) {
        throw new IndexError(`boolean index did not match shape of indexed array in index ${i}: got ${shapeStr(raw.index.shape)}, expected ${shapeStr(expected)}`);
      }
      for (const c of maskCoordinates(raw.index)) {
        entries.push({ kind: 'array', index: c });
        advancedPositions.push(position++);
      }
      axis += raw.index.ndim;
    } else {
      if (raw.kind === 'int' || raw.kind === 'array') advancedPositions.push(position);
      entries.push(raw);
      axis += consumed[i]!;
      position++;
    }
  });
  for (; axis < shape.length; axis++) entries.push(FULL);
  const contiguous = advancedPositions.every((p, k) => k === 0 || p === advancedPositions[k - 1]! + 1);
  return { entries, contiguous, insertedAxes };
}

/** Python's slice.indices(size) plus the slice length. */
function sliceIndices(e: Extract<Entry, { kind: 'slice' }>, size: number): [start: number, stop: number, step: number, length: number] {
  const step = e.step ?? 1;
  const [lower, upper] = step < 0 ? [-1, size - 1] : [0, size];
  const clampBound = (v: number | null, fallback: number) => {
    if (v === null) return fallback;
    const w = v < 0 ? v + size : v;
    return w < lower ? lower : w > upper ? upper : w;
  };
  const start = clampBound(e.start, step < 0 ? upper : lower);
  const stop = clampBound(e.stop, step < 0 ? lower : upper);
  const length = step < 0 ? Math.max(0, Math.ceil((start - stop) / -step)) : Math.max(0, Math.ceil((stop - start) / step));
  return [start, stop, step, length];
}

/** The values of an index array that lives on the host (a literal), if it does. */
function hostValues(a: Array): number[] | undefined {
  if (!(a instanceof ArrayImpl) || !a.hostData || a.isDisposed) return undefined;
  return globalThis.Array.from(a.dataSync() as Iterable<number | bigint>, Number);
}

/** Negative indices count from the end (JAX's normalize_indices); skipped where statically non-negative. */
function normalizeIndex(i: Array, size: number): Array {
  if (isUnsignedInteger(i.dtype) || hostValues(i)?.every((v) => v >= 0)) return i;
  return where(less(i, 0), add(i, size), i);
}

function outOfBounds(i: number, axis: number, size: number): IndexError {
  return new IndexError(`index ${i} is out of bounds for axis ${axis} with size ${size}`);
}

// ---- x[idx] ----

/** Static ints, slices, new axes: slice, rev, squeeze and expand_dims (JAX's _static_slice). */
function staticSlice(x: Array, entries: Entry[], clip: boolean): Array {
  const starts: number[] = [];
  const limits: number[] = [];
  const strides: number[] = [];
  const revAxes: number[] = [];
  const squeezeAxes: number[] = [];
  const newAxes: number[] = [];
  for (const e of entries) {
    const axis = starts.length;
    const size = x.shape[axis]!;
    if (e.kind === 'none') newAxes.push(starts.length - squeezeAxes.length + newAxes.length);
    else if (e.kind === 'int') {
      const i = e.index as number;
      let start = i < 0 ? i + size : i;
      if (!(start >= 0 && start < size)) {
        if (!clip || size === 0) throw outOfBounds(i, axis, size);
        start = Math.min(Math.max(start, 0), size - 1);
      }
      starts.push(start);
      limits.push(start + 1);
      strides.push(1);
      squeezeAxes.push(axis);
    } else if (e.kind === 'slice') {
      const [start, stop, step] = sliceIndices(e, size);
      if (step < 0) {
        // the same elements in increasing order, reversed afterwards
        const first = Math.min(size, stop + 1 + (Math.abs(start - stop - 1) % -step));
        starts.push(first);
        limits.push(Math.max(first, start + 1));
        strides.push(-step);
        revAxes.push(axis);
      } else {
        starts.push(start);
        limits.push(Math.max(start, stop));
        strides.push(step);
      }
    }
  }
  const unitStrides = strides.every((s) => s === 1);
  const trivial = unitStrides && starts.every((s, i) => s === 0 && limits[i] === x.shape[i]);
  let out = trivial ? x : lax.slice.bind1([x], { start_indices: starts, limit_indices: limits, strides: unitStrides ? null : strides });
  if (revAxes.length) out = lax.rev.bind1([out], { dimensions: revAxes });
  if (squeezeAxes.length) out = lax.squeeze.bind1([out], { dimensions: squeezeAxes });
  return lax.expandDims(out, newAxes);
}

/** Scalar Array indices with unit-step slices: one dynamic_slice (JAX's _dynamic_slice). */
function dynamicSlice(x: Array, entries: Entry[]): Array {
  const starts: (number | Array)[] = [];
  const sizes: number[] = [];
  const revAxes: number[] = [];
  const squeezeAxes: number[] = [];
  const newAxes: number[] = [];
  let trivial = true;
  for (const e of entries) {
    const axis = starts.length;
    const size = x.shape[axis]!;
    if (e.kind === 'none') newAxes.push(starts.length - squeezeAxes.length + newAxes.length);
    else if (e.kind === 'int') {
      if (size === 0) throw new IndexError(`index is out of bounds for axis ${axis} with size 0`);
      trivial = false;
      starts.push(e.index);
      sizes.push(1);
      squeezeAxes.push(axis);
    } else if (e.kind === 'slice') {
      const [start, stop, step] = sliceIndices(e, size);
      if (e.start !== null || e.stop !== null || e.step !== null) trivial = false;
      if (step < 0) {
        starts.push(stop + 1);
        sizes.push(Math.max(0, start - stop));
        revAxes.push(axis);
      } else {
        starts.push(start);
        sizes.push(Math.max(0, stop - start));
      }
    }
  }
  let out = x;
  if (!trivial) {
    // dynamic_slice needs one index dtype: int32 when there are several (JAX's rule)
    const single = starts.length === 1 && starts[0] instanceof Array ? starts[0].dtype : 'int32';
    const operands = starts.map((s, axis) => {
      if (!(s instanceof Array)) return asarray(s < 0 ? s + x.shape[axis]! : s, single);
      const converted = s.dtype === single ? s : convertTo(s, single, false);
      return converted; // lax.dynamicSlice wraps negative starts (once)
    });
    out = lax.dynamicSlice.bind1([x, ...operands], { slice_sizes: sizes });
  }
  if (revAxes.length) out = lax.rev.bind1([out], { dimensions: revAxes });
  if (squeezeAxes.length) out = lax.squeeze.bind1([out], { dimensions: squeezeAxes });
  return lax.expandDims(out, newAxes);
}

/** An index as a gather: JAX's _index_to_gather (also the plan of the scatter for `x.at`). */
interface GatherPlan {
  /** The shape x[idx] has. */
  sliceShape: number[];
  gatherSliceShape: number[];
  /** [..., index vector]; null when no index is needed (all full slices). */
  indices: Array | null;
  dnums: lax.GatherDimensionNumbers;
  /** No advanced indices: the indices are unique and sorted. */
  basic: boolean;
  reversedDims: number[];
  newAxes: number[];
}

function planGather(shape: readonly number[], { entries, contiguous }: Parsed): GatherPlan {
  const advanced = entries.some((e) => e.kind === 'array');
  const advancedEntries = advanced ? entries.filter((e): e is Extract<Entry, { kind: 'int' | 'array' }> => e.kind === 'int' || e.kind === 'array') : [];
  const firstAdvanced = contiguous ? entries.findIndex((e) => e.kind === 'int' || e.kind === 'array') : 0;
  const pieces: [Array, number][] = []; // arrays with the gather-index dimension where they start
  const indicesShape: number[] = [];
  const sliceShape: number[] = [];
  const gatherSliceShape: number[] = [];
  const offsetDims: number[] = [];
  const collapsed: number[] = [];
  const startIndexMap: number[] = [];
  const reversedDims: number[] = [];
  const newAxes: number[] = [];
  let xAxis = 0;
  let yAxis = 0;
  let collapsedYAxis = 0;
  const int32 = (a: Array) => convertTo(a, 'int32', false);
  entries.forEach((e, pos) => {
    if (advanced && pos === firstAdvanced) {
      const xAxes = entries.flatMap((f, k) => (f.kind === 'int' || f.kind === 'array' ? [entries.slice(0, k).filter((g) => g.kind !== 'none').length] : []));
      const arrays = advancedEntries.map((f, k) => {
        const size = shape[xAxes[k]!]!;
        return f.index instanceof Array ? int32(normalizeIndex(f.index, size)) : asarray(f.index < 0 ? f.index + size : f.index, 'int32');
      });
      let b: number[];
      try {
        b = broadcastShapes('index', ...arrays.map((a) => a.shape));
      } catch {
        throw new IndexError(`shape mismatch: indexing arrays could not be broadcast together with shapes ${arrays.map((a) => shapeStr(a.shape)).join(' ')}`);
      }
      for (const a of arrays) pieces.push([broadcastTo(a, b, 'index'), indicesShape.length]);
      indicesShape.push(...b);
      startIndexMap.push(...xAxes);
      collapsed.push(...xAxes);
      sliceShape.push(...b);
      yAxis += b.length;
      collapsedYAxis += b.length;
    }
    const size = shape[xAxis]!;
    if (advanced && (e.kind === 'int' || e.kind === 'array')) {
      xAxis++;
      gatherSliceShape.push(1);
    } else if (e.kind === 'int') {
      if (size === 0) throw new IndexError(`index is out of bounds for axis ${xAxis} with size 0`);
      const i = e.index instanceof Array ? normalizeIndex(e.index, size) : asarray(e.index < 0 ? e.index + size : e.index, 'int32');
      pieces.push([int32(i), indicesShape.length]);
      collapsed.push(xAxis);
      gatherSliceShape.push(1);
      startIndexMap.push(xAxis);
      xAxis++;
    } else if (e.kind === 'none') {
      sliceShape.push(1);
      newAxes.push(yAxis);
      yAxis++;
    } else if (e.kind === 'slice') {
      const [start, , step, length] = sliceIndices(e, size);
      sliceShape.push(length);
      if (step === 1) {
        if (length !== size) {
          pieces.push([asarray(start, 'int32'), indicesShape.length]);
          startIndexMap.push(xAxis);
        }
        gatherSliceShape.push(length);
        offsetDims.push(collapsedYAxis);
      } else {
        // increasing positions; a negative step reverses the result afterwards
        const positions = globalThis.Array.from({ length }, (_, k) => start + step * k);
        if (step < 0) {
          positions.reverse();
          reversedDims.push(collapsedYAxis);
        }
        pieces.push([asarray(positions, 'int32'), indicesShape.length]);
        gatherSliceShape.push(1);
        startIndexMap.push(xAxis);
        indicesShape.push(length);
        collapsed.push(xAxis);
      }
      collapsedYAxis++;
      yAxis++;
      xAxis++;
    }
  });
  let indices: Array | null = null;
  if (pieces.length === 1) {
    const [g] = pieces[0]!;
    indices = lax.expandDims(g, [g.ndim]);
  } else if (pieces.length > 1) {
    const full = [...indicesShape, 1];
    indices = lax.concatenate.bind1(
      pieces.map(([g, at]) => lax.broadcastInDim.bind1([g], { shape: full, broadcast_dimensions: g.shape.map((_, k) => at + k) })),
      { dimension: indicesShape.length },
    );
  }
  return {
    sliceShape,
    gatherSliceShape,
    indices,
    dnums: new lax.GatherDimensionNumbers({ offset_dims: offsetDims, collapsed_slice_dims: [...collapsed].sort((a, b) => a - b), start_index_map: startIndexMap }),
    basic: !advanced,
    reversedDims,
    newAxes,
  };
}

function gatherIndex(x: Array, parsed: Parsed, options: GetOptions): Array {
  const plan = planGather(x.shape, parsed);
  if (plan.sliceShape.some((d) => d === 0)) return lax.broadcastInDim.bind1([convertTo(asarray(0), x.dtype, x.weakType)], { shape: plan.sliceShape, broadcast_dimensions: [] });
  let y = x;
  if (plan.indices && plan.indices.size > 0) {
    y = lax.gather.bind1([x, plan.indices], {
      dimension_numbers: plan.dnums,
      slice_sizes: plan.gatherSliceShape,
      indices_are_sorted: plan.basic || options.indicesAreSorted === true,
      unique_indices: plan.basic || options.uniqueIndices === true,
      mode: options.mode ?? 'promise_in_bounds',
      fill_value: options.fillValue ?? null,
    });
  }
  if (plan.reversedDims.length) y = lax.rev.bind1([y], { dimensions: plan.reversedDims });
  return lax.expandDims(y, plan.newAxes);
}

/** `x.slice(...index)` (x[index] in NumPy), and `x.at(...index).get(options)`. */
export function getItem(x: Array, index: IndexEntry[], options: GetOptions = {}): Array {
  const parsed = parseIndex(x.shape, index);
  const operand = parsed.insertedAxes.length ? lax.expandDims(x, parsed.insertedAxes) : x;
  const mode = options.mode ?? 'promise_in_bounds';
  const kinds = new Set(parsed.entries.map((e) => e.kind));
  const staticInts = parsed.entries.every((e) => e.kind !== 'int' || typeof e.index === 'number');
  // Out-of-range static integers clamp (JAX 0.10.2's x[4] on 4 rows is the last row), as dynamic ones do.
  if (mode !== 'fill' && mode !== 'drop' && !kinds.has('array') && staticInts) return staticSlice(operand, parsed.entries, true);
  const unitSlices = parsed.entries.every((e) => e.kind !== 'slice' || e.step === null || Math.abs(e.step) === 1);
  if (mode !== 'fill' && mode !== 'drop' && !kinds.has('array') && unitSlices) return dynamicSlice(operand, parsed.entries);
  return gatherIndex(operand, parsed, options);
}

// ---- x.at[idx] ----

function scatterUpdate(x: Array, index: IndexEntry[], values: ArrayLike, primitive: Primitive, options: UpdateOptions): Array {
  // a JS integer that fits x's integer dtype is taken in that dtype (as JAX does for Python ints)
  let y: Array;
  if (typeof values === 'number' && Number.isInteger(values) && isInteger(x.dtype) && values >= Number(iinfo(x.dtype).min) && values <= Number(iinfo(x.dtype).max)) {
    y = asarray(values, x.dtype);
  } else y = asarray(values);
  const parsed = parseIndex(x.shape, index);
  const operand = parsed.insertedAxes.length ? lax.expandDims(x, parsed.insertedAxes) : x;
  const plan = planGather(operand.shape, parsed);
  if (plan.sliceShape.some((d) => d === 0)) return x;
  // promote as JAX does (x.at[i].add(1.5) on ints adds in float), then convert back to x's dtype
  const { dtype, weak } = resultType({ dtype: operand.dtype, weakType: operand.weakType }, { dtype: y.dtype, weakType: y.weakType });
  let updates = broadcastTo(convertTo(y, dtype, weak), plan.sliceShape, 'at');
  if (plan.newAxes.length) updates = lax.squeeze.bind1([updates], { dimensions: plan.newAxes });
  if (plan.reversedDims.length) updates = lax.rev.bind1([updates], { dimensions: plan.reversedDims });
  const { offset_dims, collapsed_slice_dims, start_index_map } = plan.dnums;
  let out = primitive.bind1([convertTo(operand, dtype, weak), plan.indices ?? asarray([], 'int32'), updates], {
    dimension_numbers: new lax.ScatterDimensionNumbers({ update_window_dims: offset_dims, inserted_window_dims: collapsed_slice_dims, scatter_dims_to_operand_dims: start_index_map }),
    indices_are_sorted: plan.basic || options.indicesAreSorted === true,
    unique_indices: plan.basic || options.uniqueIndices === true,
    mode: options.mode ?? 'fill',
  });
  if (parsed.insertedAxes.length) out = lax.squeeze.bind1([out], { dimensions: parsed.insertedAxes });
  return convertTo(out, x.dtype, x.weakType);
}

/**
 * An `x.at(...index)` with JAX's `.at[]` methods (functional updates): get, set, add, subtract,
 * multiply (alias mul), divide, power, min, max.
 */
export interface IndexUpdater extends AtIndexer {
  get(options?: GetOptions): Array;
  set(values: ArrayLike, options?: UpdateOptions): Array;
  add(values: ArrayLike, options?: UpdateOptions): Array;
  subtract(values: ArrayLike, options?: UpdateOptions): Array;
  multiply(values: ArrayLike, options?: UpdateOptions): Array;
  mul(values: ArrayLike, options?: UpdateOptions): Array;
  divide(values: ArrayLike, options?: UpdateOptions): Array;
  power(values: ArrayLike, options?: UpdateOptions): Array;
  min(values: ArrayLike, options?: UpdateOptions): Array;
  max(values: ArrayLike, options?: UpdateOptions): Array;
}

export function at(x: Array, index: IndexEntry[]): IndexUpdater {
  const mul = (v: ArrayLike, options: UpdateOptions = {}) => scatterUpdate(x, index, v, lax.scatterMul, options);
  // divide and power, as JAX: x / (or **) the product of the values scattered onto ones.
  const onesWith = (v: ArrayLike, options: UpdateOptions) => {
    const one = lax.broadcastInDim.bind1([convertTo(asarray(1), x.dtype, x.weakType)], { shape: x.shape, broadcast_dimensions: [] });
    return scatterUpdate(one, index, v, lax.scatterMul, options);
  };
  return {
    get: (options = {}) => getItem(x, index, options),
    set: (v, options = {}) => scatterUpdate(x, index, v, lax.scatter, options),
    add: (v, options = {}) => scatterUpdate(x, index, v, lax.scatterAdd, options),
    // x - v at the index is x + (-v): exact for floats, and for integers modulo 2^bits.
    subtract: (v, options = {}) => scatterUpdate(x, index, negative(convertTo(asarray(v), x.dtype, x.weakType)), lax.scatterAdd, options),
    multiply: mul,
    mul,
    divide: (v, options = {}) => divide(x, onesWith(v, options)),
    power: (v, options = {}) => power(x, onesWith(v, options)),
    min: (v, options = {}) => scatterUpdate(x, index, v, lax.scatterMin, options),
    max: (v, options = {}) => scatterUpdate(x, index, v, lax.scatterMax, options),
  };
}

// ---- take, takeAlongAxis ----

export interface TakeOptions {
  axis?: number | null;
  /** 'fill' (default: out-of-bounds reads give fillValue), 'clip', or 'wrap' (indices modulo the size). */
  mode?: 'fill' | 'clip' | 'wrap' | 'promise_in_bounds';
  fillValue?: number | boolean | null;
  uniqueIndices?: boolean;
  indicesAreSorted?: boolean;
}

const range = (a: number, b: number): number[] => globalThis.Array.from({ length: Math.max(0, b - a) }, (_, k) => a + k);

function canonicalAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) throw new RangeError(`${op}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

function takeMode(op: string, mode: string | undefined, indices: Array, size: number): [Array, GatherScatterMode] {
  if (mode === undefined || mode === 'fill') return [normalizeIndex(indices, size), 'fill'];
  if (mode === 'clip' || mode === 'promise_in_bounds') return [indices, mode];
  if (mode === 'wrap') return [remainder(indices, size), 'promise_in_bounds'];
  if (mode === 'raise') throw new TypeError(`${op}: mode 'raise' is not supported (no out-of-bounds errors can be reported from compiled code)`);
  throw new TypeError(`Invalid mode '${mode}' for ${op}`);
}

/** jnp.take(a, indices, axis = null, { mode, fillValue }): elements of `a` (flattened when axis is null) at `indices`. */
export function take(a: ArrayLike, indices: ArrayLike, axis?: number | null | TakeOptions, options: TakeOptions = {}): Array {
  if (axis !== null && typeof axis === 'object') [options, axis] = [axis, axis.axis];
  let arr = asarray(a);
  const idx = asarray(indices);
  if (!isInteger(idx.dtype)) throw new TypeError(`take: indices must be integers, got ${idx.dtype}`);
  if (axis === null || axis === undefined) {
    arr = lax.reshape.bind1([arr], { new_sizes: [arr.size] });
    axis = 0;
  }
  const ax = canonicalAxis('take', axis, arr.ndim);
  const size = arr.shape[ax]!;
  if (size === 0) {
    if (idx.size !== 0) throw new IndexError('Cannot do a non-empty jnp.take() from an empty axis.');
    return arr;
  }
  const [i, mode] = takeMode('take', options.mode, idx, size);
  const outShape = [...arr.shape.slice(0, ax), ...idx.shape, ...arr.shape.slice(ax + 1)];
  if (idx.size === 0) return lax.broadcastInDim.bind1([convertTo(asarray(0), arr.dtype, arr.weakType)], { shape: outShape, broadcast_dimensions: [] });
  const sliceSizes = [...arr.shape];
  sliceSizes[ax] = 1;
  const offsetDims = [...range(0, ax), ...range(ax + idx.ndim, arr.ndim + idx.ndim - 1)];
  return lax.gather.bind1([arr, lax.expandDims(i, [i.ndim])], {
    dimension_numbers: new lax.GatherDimensionNumbers({ offset_dims: offsetDims, collapsed_slice_dims: [ax], start_index_map: [ax] }),
    slice_sizes: sliceSizes,
    indices_are_sorted: options.indicesAreSorted === true,
    unique_indices: options.uniqueIndices === true,
    mode,
    fill_value: options.fillValue ?? null,
  });
}

/** jnp.take_along_axis(arr, indices, axis, { mode, fillValue }): picks along `axis` with indices shaped like `arr`. */
export function takeAlongAxis(arr: ArrayLike, indices: ArrayLike, axisOrOptions: number | null | TakeOptions, options: Omit<TakeOptions, 'axis'> = {}): Array {
  let axis: number | null;
  if (axisOrOptions !== null && typeof axisOrOptions === 'object') ({ axis = null, ...options } = axisOrOptions);
  else axis = axisOrOptions;
  let a = asarray(arr);
  let idx = asarray(indices);
  if (!isInteger(idx.dtype)) throw new TypeError(`take_along_axis indices must be of integer type, got ${idx.dtype}`);
  if (axis === null) {
    if (idx.ndim !== 1) throw new TypeError(`take_along_axis indices must be 1D if axis=None, got shape ${shapeStr(idx.shape)}`);
    a = lax.reshape.bind1([a], { new_sizes: [a.size] });
    axis = 0;
  }
  if (a.ndim !== idx.ndim) throw new TypeError(`indices and arr must have the same number of dimensions; ${idx.ndim} vs. ${a.ndim}`);
  const ax = canonicalAxis('take_along_axis', axis, a.ndim);
  const axisSize = a.shape[ax]!;
  const arrShape = a.shape.map((d, i) => (i === ax ? 1 : d));
  const outShape = broadcastShapes('take_along_axis', idx.shape, arrShape);
  if (axisSize === 0) return lax.broadcastInDim.bind1([convertTo(asarray(0), a.dtype, false)], { shape: outShape, broadcast_dimensions: [] });
  const mode = options.mode ?? 'fill';
  if (mode !== 'promise_in_bounds') idx = normalizeIndex(convertTo(idx, 'int32', false), axisSize);
  if (mode === 'wrap') idx = remainder(idx, axisSize);
  // index dims that are 1 take the whole axis (offset dims); equal dims pair up as batching dims
  const indexDims = idx.shape.flatMap((d, i) => (i === ax || d !== 1 ? [i] : []));
  const gatherIndices = lax.reshape.bind1([idx], { new_sizes: [...indexDims.map((i) => outShape[i]!), 1] });
  const sliceSizes: number[] = [];
  const offsetDims: number[] = [];
  const startIndexMap: number[] = [];
  const collapsed: number[] = [];
  const operandBatching: number[] = [];
  const indicesBatching: number[] = [];
  const squeezeDims: number[] = [];
  let newI = 0;
  let j = 0;
  for (let i = 0; i < a.ndim; i++) {
    if (i === ax) {
      sliceSizes.push(1);
      startIndexMap.push(newI);
      collapsed.push(newI);
      newI++;
      j++;
    } else if (idx.shape[i] === 1) {
      offsetDims.push(i);
      sliceSizes.push(arrShape[i]!);
      newI++;
    } else if (arrShape[i] === 1) {
      squeezeDims.push(i);
      j++;
    } else {
      sliceSizes.push(arrShape[i] === 0 ? 0 : 1);
      operandBatching.push(newI);
      indicesBatching.push(j);
      newI++;
      j++;
    }
  }
  if (squeezeDims.length) a = lax.squeeze.bind1([a], { dimensions: squeezeDims });
  return lax.gather.bind1([a, gatherIndices], {
    dimension_numbers: new lax.GatherDimensionNumbers({
      offset_dims: offsetDims,
      collapsed_slice_dims: collapsed,
      start_index_map: startIndexMap,
      operand_batching_dims: operandBatching,
      start_indices_batching_dims: indicesBatching,
    }),
    slice_sizes: sliceSizes,
    indices_are_sorted: false,
    unique_indices: false,
    mode: mode === 'wrap' ? 'promise_in_bounds' : mode,
    fill_value: options.fillValue ?? null,
  });
}

