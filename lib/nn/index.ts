// jax.nn: activations, softmax and friends, attention, and parameter initializers.
export * from './activations.js';
export { softmax, logSoftmax, type SoftmaxOptions } from './softmax.js';
export * from './functions.js';
export { dotProductAttention, type DotProductAttentionOptions } from './attention.js';
export * as initializers from './initializers.js';
// jax.nn.tanh is jax.numpy.tanh re-exported
export { tanh } from '../numpy/ufuncs.js';
