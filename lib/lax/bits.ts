// Bit-counting primitives on integers (jax.lax.clz, jax.lax.population_count). Integer results
// carry no tangents, so, as in JAX, there is no differentiation rule.
import { isInteger } from '../core/dtypes.js';
import { unary } from './elementwise.js';

/** clz(x): the number of leading zero bits of each element, in x's dtype. */
export const clz = unary('clz', isInteger, 'integer', 'stablehlo.count_leading_zeros');

/** population_count(x): the number of set bits of each element, in x's dtype. */
export const populationCount = unary('population_count', isInteger, 'integer', 'stablehlo.popcnt');
