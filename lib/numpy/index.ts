// jax.numpy, imported as `jnp`.
import './array_methods.js';

export { Array } from '../core/array.js';
export type { ArrayLike } from '../core/array.js';
export { dtypes, finfo, iinfo, promoteTypes, type DType } from '../core/dtypes.js';
export { asarray, astype } from './convert.js';
export * from './creation.js';
export * from './ufuncs.js';
export * from './reductions.js';
export * from './shape.js';
export * from './linalg.js';
export * from './indexing.js';
export * from './structure.js';
export * from './sorting.js';
export * from './mathematical.js';
export * from './statistics.js';
export * from './einsum.js';

import { dtypes, resultType as resultTypeWithWeak, type DTypeOperand, type DType } from '../core/dtypes.js';
/** jnp.result_type: the dtype NumPy-style promotion gives these operands. */
export const resultType = (...args: DTypeOperand[]): DType => resultTypeWithWeak(...args).dtype;

export const bool = dtypes.bool;
export const int8 = dtypes.int8;
export const int16 = dtypes.int16;
export const int32 = dtypes.int32;
export const int64 = dtypes.int64;
export const uint8 = dtypes.uint8;
export const uint16 = dtypes.uint16;
export const uint32 = dtypes.uint32;
export const uint64 = dtypes.uint64;
export const float16 = dtypes.float16;
export const bfloat16 = dtypes.bfloat16;
export const float32 = dtypes.float32;
export const float64 = dtypes.float64;
export const complex64 = dtypes.complex64;
export const complex128 = dtypes.complex128;
