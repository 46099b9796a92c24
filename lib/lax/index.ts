// jax.lax: the primitives and thin functions over them. lax never promotes dtypes.
export * from './elementwise.js';
export * from './bits.js';
export * from './convert.js';
export * from './shape.js';
export * from './reduce.js';
export * from './dot.js';
export * from './slicing.js';
export * from './sorting.js';
export * from './cumulative.js';
export * from './windowed.js';
export * from './stop_gradient.js';
export * from './control.js';
export { psum, pmean, pmax, pmin, allGather, allToAll, ppermute, psumScatter, axisIndex, axisSize, NameError, type AxisName, type AllGatherOptions, type AllToAllOptions, type PsumScatterOptions } from './parallel.js';
export { withShardingConstraint } from '../sharding/constraint.js';
