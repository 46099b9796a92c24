// `Array`, the abstract type users compute with: concrete arrays (ArrayImpl) and tracers
// both extend it, so user code is the same under eager execution and under transformations.
// Operator methods delegate to `arrayMethods`, which the numpy layer installs (core sits
// below numpy and cannot import it).
import type { ShapedArray } from './aval.js';
import type { Device } from '../runtime/device.js';
import type { HostArray } from '../runtime/element_types.js';
import type { DType } from './dtypes.js';

/** What array-taking functions accept: an Array, a JS scalar (weakly typed), or nested lists. */
export type ArrayLike = Array | number | boolean | bigint | NestedList | TypedArray;
/** Host data accepted by `jnp.array`: a flat TypedArray becomes a 1-D array of the matching dtype. */
export type TypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;
export interface NestedList extends ReadonlyArray<number | boolean | bigint | NestedList> {}

/** An index entry of `x.slice(...)`: integer, range `[start, stop, step]`, null (new axis), '...', or an index Array. */
export type IndexEntry = number | [number?, number?, number?] | (number | null | undefined)[] | null | '...' | Array;

/** `T` with its leaves as Arrays, as transformations return them (JS scalars become weakly typed Arrays). */
export type AsArrays<T> = T extends Array | number | boolean | bigint
  ? Array
  : T extends null | undefined
    ? T
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: AsArrays<T[K]> }
      : T extends object
        ? { [K in keyof T]: AsArrays<T[K]> }
        : T;

/** Options of `x.at(...)` methods, as JAX's (`mode`, `fill_value`, `indices_are_sorted`, `unique_indices`). */
export interface AtOptions {
  mode?: 'clip' | 'fill' | 'drop' | 'promise_in_bounds';
  fillValue?: number | boolean;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

/** `x.at(...index)`: functional updates, as JAX's `x.at[idx]`. */
export interface AtIndexer {
  get(options?: AtOptions): Array;
  set(values: ArrayLike, options?: AtOptions): Array;
  add(values: ArrayLike, options?: AtOptions): Array;
  subtract(values: ArrayLike, options?: AtOptions): Array;
  multiply(values: ArrayLike, options?: AtOptions): Array;
  /** Alias of `multiply`. */
  mul(values: ArrayLike, options?: AtOptions): Array;
  divide(values: ArrayLike, options?: AtOptions): Array;
  power(values: ArrayLike, options?: AtOptions): Array;
  min(values: ArrayLike, options?: AtOptions): Array;
  max(values: ArrayLike, options?: AtOptions): Array;
}

export interface ReduceOptions {
  keepdims?: boolean;
}

/** The array methods, installed by lib/numpy (see array_methods.ts there). */
export interface ArrayMethods {
  binary(name: string, x: Array, y: ArrayLike): Array;
  unary(name: string, x: Array): Array;
  reshape(x: Array, shape: readonly number[]): Array;
  transpose(x: Array, axes?: readonly number[]): Array;
  reduce(name: string, x: Array, axis: number | readonly number[] | null | undefined, options: ReduceOptions): Array;
  astype(x: Array, dtype: DType): Array;
  matmul(x: Array, y: ArrayLike): Array;
  slice(x: Array, index: IndexEntry[]): Array;
  at(x: Array, index: IndexEntry[]): AtIndexer;
}

let methods: ArrayMethods | undefined;

export function installArrayMethods(m: ArrayMethods): void {
  methods = m;
}

function m(): ArrayMethods {
  if (!methods) throw new Error('jaxts: array methods are not installed (import jaxts through its index)');
  return methods;
}

export abstract class Array {
  abstract get aval(): ShapedArray;

  get shape(): number[] {
    return [...this.aval.shape];
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get ndim(): number {
    return this.aval.ndim;
  }
  get size(): number {
    return this.aval.size;
  }
  get weakType(): boolean {
    return this.aval.weakType;
  }

  /** The values, row-major (float16/bfloat16 widened to Float32Array; complex interleaved). */
  data(): Promise<HostArray> { return this.concrete('data'); }
  dataSync(): HostArray { return this.concrete('dataSync'); }
  /** The values as nested JS arrays. */
  tolist(): Promise<unknown> { return this.concrete('tolist'); }
  tolistSync(): unknown { return this.concrete('tolistSync'); }
  /** The single element of a size-1 array as a JS value. */
  item(): number | boolean | bigint { return this.concrete('item'); }
  /** Frees device memory now (concrete arrays); later use is an error. */
  dispose(): void {}
  /** The device holding the data. */
  get device(): Device { return this.concrete('device'); }
  /** Resolves once the value is computed (dispatch is asynchronous). */
  blockUntilReady(): Promise<this> { return this.concrete('blockUntilReady'); }
  /** Blocks the JS thread until the value is computed. */
  blockUntilReadySync(): this { return this.concrete('blockUntilReadySync'); }
  [Symbol.dispose](): void { this.dispose(); }

  /** Tracers have no values: the error JAX gives when a traced value is used concretely. */
  protected concrete(method: string): never {
    throw new Error(
      `Abstract tracer value encountered where concrete value is expected: ${String(this)}\n` +
        `The problem arose with the \`${method}\` method. Values inside jit and other transformations are abstract; ` +
        'use lax.cond / lax.select for data-dependent choices, or mark the argument static.',
    );
  }

  add(y: ArrayLike): Array { return m().binary('add', this, y); }
  sub(y: ArrayLike): Array { return m().binary('subtract', this, y); }
  mul(y: ArrayLike): Array { return m().binary('multiply', this, y); }
  div(y: ArrayLike): Array { return m().binary('divide', this, y); }
  pow(y: ArrayLike): Array { return m().binary('power', this, y); }
  maximum(y: ArrayLike): Array { return m().binary('maximum', this, y); }
  minimum(y: ArrayLike): Array { return m().binary('minimum', this, y); }
  greater(y: ArrayLike): Array { return m().binary('greater', this, y); }
  less(y: ArrayLike): Array { return m().binary('less', this, y); }
  equal(y: ArrayLike): Array { return m().binary('equal', this, y); }
  notEqual(y: ArrayLike): Array { return m().binary('not_equal', this, y); }
  greaterEqual(y: ArrayLike): Array { return m().binary('greater_equal', this, y); }
  lessEqual(y: ArrayLike): Array { return m().binary('less_equal', this, y); }
  neg(): Array { return m().unary('negative', this); }
  abs(): Array { return m().unary('abs', this); }
  exp(): Array { return m().unary('exp', this); }
  log(): Array { return m().unary('log', this); }
  sqrt(): Array { return m().unary('sqrt', this); }
  tanh(): Array { return m().unary('tanh', this); }
  square(): Array { return m().unary('square', this); }
  matmul(y: ArrayLike): Array { return m().matmul(this, y); }
  reshape(shape: readonly number[]): Array { return m().reshape(this, shape); }
  transpose(axes?: readonly number[]): Array { return m().transpose(this, axes); }
  get T(): Array { return m().transpose(this); }
  astype(dtype: DType): Array { return m().astype(this, dtype); }
  sum(axis?: number | readonly number[] | null, options: ReduceOptions = {}): Array { return m().reduce('sum', this, axis, options); }
  mean(axis?: number | readonly number[] | null, options: ReduceOptions = {}): Array { return m().reduce('mean', this, axis, options); }
  max(axis?: number | readonly number[] | null, options: ReduceOptions = {}): Array { return m().reduce('max', this, axis, options); }
  min(axis?: number | readonly number[] | null, options: ReduceOptions = {}): Array { return m().reduce('min', this, axis, options); }
  prod(axis?: number | readonly number[] | null, options: ReduceOptions = {}): Array { return m().reduce('prod', this, axis, options); }
  slice(...index: IndexEntry[]): Array { return m().slice(this, index); }
  at(...index: IndexEntry[]): AtIndexer { return m().at(this, index); }

  /** Iterates over the first axis, as iterating a JAX array does: `const [k1, k2] = random.split(key)`. */
  *[Symbol.iterator](): Iterator<Array> {
    if (this.ndim === 0) throw new TypeError(`iteration over a 0-d array (${this.aval.str()})`);
    for (let i = 0; i < this.shape[0]!; i++) yield this.slice(i);
  }
}
