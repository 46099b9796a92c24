// jax.nn.initializers: factories returning `init(key, shape, dtype?)` functions, with JAX's
// formulas (jax/_src/nn/initializers.py), so the same key gives the same weights as in JAX.
import type { Array, ArrayLike } from '../core/array.js';
import { checkDType, defaultFloatDType, isComplex, type DType } from '../core/dtypes.js';
import * as jnp from '../numpy/index.js';
import * as random from '../random/index.js';

/** `init(key, shape, dtype?)`: an array of `shape` (dtype: the factory's, else the default float). */
export type Initializer = (key: ArrayLike, shape: number | readonly number[], dtype?: DType) => Array;

const shapeOf = (shape: number | readonly number[]): number[] => (typeof shape === 'number' ? [shape] : [...shape]);
const dtypeOr = (dtype: DType | undefined, fallback: DType | undefined): DType =>
  dtype !== undefined ? checkDType(dtype, 'initializer') : fallback !== undefined ? checkDType(fallback, 'initializer') : defaultFloatDType();
/** jnp.array(v, dtype): a strong scalar, a JS number rounded once to `dtype` (as from a Python float). */
const scalar = (v: ArrayLike, dtype: DType): Array => jnp.asarray(v, dtype);
const isOptions = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !globalThis.Array.isArray(v) && !(v instanceof jnp.Array);

/** zeros(key, shape, dtype?) */
export const zeros: Initializer = (_key, shape, dtype) => jnp.zeros(shapeOf(shape), { dtype: dtypeOr(dtype, undefined) });

/** ones(key, shape, dtype?) */
export const ones: Initializer = (_key, shape, dtype) => jnp.ones(shapeOf(shape), { dtype: dtypeOr(dtype, undefined) });

/** constant(value, dtype?): every entry `value`. */
export function constant(value: ArrayLike, dtype?: DType): Initializer {
  return (_key, shape, d) => jnp.full(shapeOf(shape), value, { dtype: dtypeOr(d, dtype) });
}

/** uniform(scale = 0.01, dtype?): U[0, scale). Also uniform({ scale, dtype }). */
export function uniform(scale: ArrayLike | { scale?: ArrayLike; dtype?: DType } = 1e-2, dtype?: DType): Initializer {
  if (isOptions(scale)) ({ scale = 1e-2, dtype } = scale);
  const s = scale as ArrayLike;
  return (key, shape, d) => {
    const dt = dtypeOr(d, dtype);
    return jnp.multiply(random.uniform(key, shapeOf(shape), dt), scalar(s, dt));
  };
}

/** normal(stddev = 0.01, dtype?): N(0, stddev²). Also normal({ stddev, dtype }). */
export function normal(stddev: ArrayLike | { stddev?: ArrayLike; dtype?: DType } = 1e-2, dtype?: DType): Initializer {
  if (isOptions(stddev)) ({ stddev = 1e-2, dtype } = stddev);
  const s = stddev as ArrayLike;
  return (key, shape, d) => {
    const dt = dtypeOr(d, dtype);
    return jnp.multiply(random.normal(key, shapeOf(shape), dt), scalar(s, dt));
  };
}

export interface TruncatedNormalOptions {
  stddev?: ArrayLike;
  dtype?: DType;
  lower?: ArrayLike;
  upper?: ArrayLike;
}

/**
 * truncatedNormal(stddev = 0.01, dtype?, lower = -2, upper = 2): stddev times a standard normal
 * truncated to [lower, upper] (so the spread is less than stddev). Also truncatedNormal({ ... }).
 */
export function truncatedNormal(stddev: ArrayLike | TruncatedNormalOptions = 1e-2, dtype?: DType, lower: ArrayLike = -2.0, upper: ArrayLike = 2.0): Initializer {
  if (isOptions(stddev)) ({ stddev = 1e-2, dtype, lower = -2.0, upper = 2.0 } = stddev as TruncatedNormalOptions);
  const s = stddev as ArrayLike;
  return (key, shape, d) => {
    const dt = dtypeOr(d, dtype);
    return jnp.multiply(random.truncatedNormal(key, lower, upper, shapeOf(shape), dt), scalar(s, dt));
  };
}

export type AxisSpec = number | readonly number[];

const axisSize = (shape: readonly number[], axis: AxisSpec): number => {
  const at = (i: number) => {
    const d = shape[i < 0 ? i + shape.length : i];
    if (d === undefined) throw new RangeError(`initializer: axis ${i} is out of bounds for a weights shape (${shape.join(', ')})`);
    return d;
  };
  return typeof axis === 'number' ? at(axis) : axis.reduce((n, i) => n * at(i), 1);
};

/**
 * [fan_in, fan_out] of a weights shape: the in/out axis sizes times the receptive field (the
 * product of the axes that are neither in, out nor batch), as JAX's _compute_fans.
 */
export function computeFans(shape: readonly number[], inAxis: AxisSpec = -2, outAxis: AxisSpec = -1, batchAxis: AxisSpec = []): [number, number] {
  if (inAxis === -2 && shape.length <= 1) {
    throw new RangeError(
      `Can't compute input and output sizes of a ${shape.length}-dimensional weights tensor with default in_axis. Must be at least 2D or specify in_axis explicitly.`,
    );
  }
  const inSize = axisSize(shape, inAxis);
  const outSize = axisSize(shape, outAxis);
  const batchSize = axisSize(shape, batchAxis);
  const receptiveField = shape.reduce((n, d) => n * d, 1) / inSize / outSize / batchSize;
  return [inSize * receptiveField, outSize * receptiveField];
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg' | 'fan_geo_avg';
export type Distribution = 'truncated_normal' | 'normal' | 'uniform';

export interface FanOptions {
  /** Axis or axes of the inputs (default -2). */
  inAxis?: AxisSpec;
  /** Axis or axes of the outputs (default -1). */
  outAxis?: AxisSpec;
  /** Axes shared by independent weights, left out of the fans (default none). */
  batchAxis?: AxisSpec;
  dtype?: DType;
}

/**
 * varianceScaling(scale, mode, distribution, { inAxis, outAxis, batchAxis, dtype }): samples with
 * variance scale / n, n the fan of `mode`; truncated normals are rescaled by the standard
 * deviation of a standard normal truncated to [-2, 2] (0.8796...), uniforms span ±sqrt(3 variance).
 */
export function varianceScaling(scale: number, mode: FanMode, distribution: Distribution, options: FanOptions = {}): Initializer {
  const { inAxis = -2, outAxis = -1, batchAxis = [] } = options;
  if (!['fan_in', 'fan_out', 'fan_avg', 'fan_geo_avg'].includes(mode)) throw new RangeError(`invalid mode for variance scaling initializer: ${mode}`);
  if (!['truncated_normal', 'normal', 'uniform'].includes(distribution)) {
    throw new RangeError(`invalid distribution for variance scaling initializer: ${distribution}`);
  }
  return (key, shape, d) => {
    const s = shapeOf(shape);
    const dt = dtypeOr(d, options.dtype);
    if (isComplex(dt)) throw new TypeError(`varianceScaling: complex dtypes are not supported in jaxts yet, got ${dt}`);
    const [fanIn, fanOut] = computeFans(s, inAxis, outAxis, batchAxis);
    const denominator = { fan_in: fanIn, fan_out: fanOut, fan_avg: (fanIn + fanOut) / 2, fan_geo_avg: Math.sqrt(fanIn * fanOut) }[mode];
    const variance = scalar(scale / denominator, dt);
    if (distribution === 'truncated_normal') {
      const stddev = jnp.divide(jnp.sqrt(variance), scalar(0.87962566103423978, dt));
      return jnp.multiply(random.truncatedNormal(key, -2, 2, s, dt), stddev);
    }
    if (distribution === 'normal') return jnp.multiply(random.normal(key, s, dt), jnp.sqrt(variance));
    return jnp.multiply(random.uniform(key, s, dt, -1), jnp.sqrt(jnp.multiply(3, variance)));
  };
}

/** Fan options given positionally (inAxis, outAxis, batchAxis, dtype) or as one object. */
type FanArgs = [options?: FanOptions] | [inAxis?: AxisSpec, outAxis?: AxisSpec, batchAxis?: AxisSpec, dtype?: DType];
function fanOptions(args: FanArgs): FanOptions {
  if (isOptions(args[0])) return args[0] as FanOptions;
  const [inAxis, outAxis, batchAxis, dtype] = args as [AxisSpec?, AxisSpec?, AxisSpec?, DType?];
  return { inAxis, outAxis, batchAxis, dtype };
}

/** glorotUniform(inAxis = -2, outAxis = -1, batchAxis = [], dtype?): variance 1 / fan_avg, uniform. */
export const glorotUniform = (...args: FanArgs): Initializer => varianceScaling(1.0, 'fan_avg', 'uniform', fanOptions(args));
/** glorotNormal(...): variance 1 / fan_avg, truncated normal. */
export const glorotNormal = (...args: FanArgs): Initializer => varianceScaling(1.0, 'fan_avg', 'truncated_normal', fanOptions(args));
/** lecunUniform(...): variance 1 / fan_in, uniform. */
export const lecunUniform = (...args: FanArgs): Initializer => varianceScaling(1.0, 'fan_in', 'uniform', fanOptions(args));
/** lecunNormal(...): variance 1 / fan_in, truncated normal. */
export const lecunNormal = (...args: FanArgs): Initializer => varianceScaling(1.0, 'fan_in', 'truncated_normal', fanOptions(args));
/** heUniform(...): variance 2 / fan_in, uniform. */
export const heUniform = (...args: FanArgs): Initializer => varianceScaling(2.0, 'fan_in', 'uniform', fanOptions(args));
/** heNormal(...): variance 2 / fan_in, truncated normal. */
export const heNormal = (...args: FanArgs): Initializer => varianceScaling(2.0, 'fan_in', 'truncated_normal', fanOptions(args));
export const xavierUniform = glorotUniform;
export const xavierNormal = glorotNormal;
export const kaimingUniform = heUniform;
export const kaimingNormal = heNormal;

export interface OrthogonalOptions {
  scale?: ArrayLike;
  /** The axis whose slices are orthonormal columns (default -1). */
  columnAxis?: number;
  dtype?: DType;
}

/**
 * orthogonal(scale = 1, columnAxis = -1, dtype?): the shape flattened to (rows, shape[columnAxis])
 * is a scaled (semi-)orthogonal matrix from random.orthogonal. Also orthogonal({ ... }).
 */
export function orthogonal(scale: ArrayLike | OrthogonalOptions = 1.0, columnAxis = -1, dtype?: DType): Initializer {
  if (isOptions(scale)) ({ scale = 1.0, columnAxis = -1, dtype } = scale as OrthogonalOptions);
  const sc = scale as ArrayLike;
  return (key, shape, d) => {
    const s = shapeOf(shape);
    const dt = dtypeOr(d, dtype);
    if (s.length < 2) throw new RangeError('orthogonal initializer requires at least a 2D shape');
    if (s.some((n) => n === 0)) return jnp.zeros(s, { dtype: dt });
    const axis = columnAxis < 0 ? columnAxis + s.length : columnAxis;
    const nCols = s[axis];
    if (nCols === undefined) throw new RangeError(`orthogonal: column_axis ${columnAxis} is out of bounds for a ${s.length}-dimensional shape`);
    const nRows = s.reduce((n, x) => n * x, 1) / nCols;
    const q = random.orthogonal(key, nRows, [], dt, nCols);
    const rest = s.filter((_, i) => i !== axis);
    return jnp.multiply(scalar(sc, dt), jnp.moveaxis(jnp.reshape(q, [...rest, nCols]), -1, axis));
  };
}

/**
 * deltaOrthogonal(scale = 1, columnAxis = -1, dtype?): for 3-, 4- and 5-d convolution kernels,
 * zeros except an orthogonal (in, out) matrix at the spatial centre (Xiao et al. 2018).
 */
export function deltaOrthogonal(scale: ArrayLike | OrthogonalOptions = 1.0, columnAxis = -1, dtype?: DType): Initializer {
  if (isOptions(scale)) ({ scale = 1.0, columnAxis = -1, dtype } = scale as OrthogonalOptions);
  const ortho = orthogonal(scale as ArrayLike, columnAxis, dtype);
  return (key, shape, d) => {
    const s = shapeOf(shape);
    const dt = dtypeOr(d, dtype);
    if (![3, 4, 5].includes(s.length)) throw new RangeError('Delta orthogonal initializer requires a 3D, 4D or 5D shape.');
    if (s.at(-1)! < s.at(-2)!) throw new RangeError('`fan_in` must be less or equal than `fan_out`. ');
    const matrix = ortho(key, s.slice(-2));
    const centre = s.slice(0, -2).map((k) => Math.floor((k - 1) / 2));
    return jnp.zeros(s, { dtype: dt }).at(...centre).set(matrix);
  };
}
