// jax.random: counter-based pseudo-random numbers, bit for bit JAX's (threefry2x32, partitionable).
// Keys are raw uint32 key data `[..., 2]` (see keys.ts): `key(seed)` and `PRNGKey(seed)` agree.
export { PRNGKey, key, keyData, wrapKeyData, split, foldIn, bits } from './keys.js';
export { uniform, normal, truncatedNormal, exponential, laplace, logistic, gumbel, cauchy } from './continuous.js';
export type { UniformOptions, GumbelOptions, TruncatedNormalOptions } from './continuous.js';
export { randint, bernoulli, categorical, permutation, choice } from './discrete.js';
export type { RandintOptions, BernoulliOptions, CategoricalOptions, PermutationOptions, ChoiceOptions } from './discrete.js';
export { gamma, loggamma, beta, dirichlet } from './gamma.js';
export type { GammaOptions, BetaOptions } from './gamma.js';
export { poisson } from './poisson.js';
export type { PoissonOptions } from './poisson.js';
export { multivariateNormal, orthogonal } from './matrices.js';
export type { MultivariateNormalOptions, OrthogonalOptions } from './matrices.js';
export { lognormal, pareto, rayleigh, wald, weibullMin, triangular, geometric, rademacher, maxwell, doubleSidedMaxwell } from './transformed.js';
export type { ParetoOptions, RayleighOptions, WaldOptions, TriangularOptions, LognormalOptions, GeometricOptions, DoubleSidedMaxwellOptions, WeibullMinOptions } from './transformed.js';
export { t, chisquare, f, generalizedNormal, ball } from './gamma_family.js';
export type { TOptions, ChisquareOptions, FOptions, GeneralizedNormalOptions, BallOptions } from './gamma_family.js';
export { binomial } from './binomial.js';
export type { BinomialOptions } from './binomial.js';
export type { ShapeDTypeOptions } from './args.js';
