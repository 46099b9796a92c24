// optim: optax-style gradient transformations over pytrees, with state as pytrees of Arrays.
export {
  applyUpdates,
  chain,
  identity,
  type EmptyState,
  type GradientTransformation,
  type PyTree,
  type ScalarOrSchedule,
  type Schedule,
  type StateOf,
} from './transform.js';
export { safeIncrement } from './moments.js';
export { addDecayedWeights, masked, scale, scaleByLearningRate, scaleBySchedule, type CountState, type DecayState, type Mask, type MaskedState } from './scale.js';
export { sgd, trace, type SgdOptions, type TraceOptions, type TraceState } from './sgd.js';
export { adam, adamw, scaleByAdam, type AdamOptions, type AdamwOptions, type ScaleByAdamState } from './adam.js';
export { rmsprop, scaleByRms, scaleByStddev, type RmsOptions, type RmspropOptions, type ScaleByRmsState, type ScaleByStddevState } from './rmsprop.js';
export { adagrad, scaleByRss, type AdagradOptions, type ScaleByRssState } from './adagrad.js';
export { lion, scaleByLion, type LionAliasOptions, type LionOptions, type ScaleByLionState } from './lion.js';
export { clip, clipByGlobalNorm, globalNorm } from './clipping.js';
export {
  constantSchedule,
  cosineDecaySchedule,
  exponentialDecay,
  joinSchedules,
  linearSchedule,
  piecewiseConstantSchedule,
  polynomialSchedule,
  warmupConstantSchedule,
  warmupCosineDecaySchedule,
  warmupExponentialDecaySchedule,
  type CosineDecayOptions,
  type ExponentialDecayOptions,
  type TransitionOptions,
  type WarmupCosineDecayOptions,
} from './schedules.js';
