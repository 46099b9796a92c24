// optim schedules: values at several step counts against optax 0.2.8 (JAX 0.10.2, CPU), eagerly
// and under jit; schedules are elementwise, so one int32 vector of counts checks them all.
import { jit, numpy as jnp, optim, type Array } from '../../lib/index.js';

const COUNTS = [0, 1, 2, 5, 10, 15, 50, 100, 150];

const SCHEDULES: [string, optim.Schedule][] = [
  ['constant', optim.constantSchedule(0.1)],
  ['linear', optim.linearSchedule(1.0, 0.1, 100, { transitionBegin: 10 })],
  ['polynomial', optim.polynomialSchedule(1.0, 0.0, 2, 100)],
  ['exponential', optim.exponentialDecay(1.0, 10, 0.5)],
  ['exponential staircase', optim.exponentialDecay(1.0, 10, 0.5, { transitionBegin: 5, staircase: true, endValue: 0.2 })],
  ['exponential growth', optim.exponentialDecay(0.1, 10, 1.5, { endValue: 0.5 })],
  ['cosine', optim.cosineDecaySchedule(1.0, 100)],
  ['cosine alpha exponent', optim.cosineDecaySchedule(1.0, 100, { alpha: 0.1, exponent: 2.0 })],
  ['warmup cosine', optim.warmupCosineDecaySchedule(0.0, 1.0, 10, 100, { endValue: 0.05 })],
  ['warmup exponential', optim.warmupExponentialDecaySchedule(0.0, 1.0, 10, 20, 0.5)],
  ['warmup constant', optim.warmupConstantSchedule(0.0, 1.0, 10)],
  ['piecewise constant', optim.piecewiseConstantSchedule(1.0, { 10: 0.5, 50: 0.1 })],
];

// optax's values at COUNTS.
const EXPECTED: Record<string, number[]> = {
  'constant': [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
  'linear': [1, 1, 1, 1, 1, 0.955, 0.64000005, 0.19000003, 0.1],
  'polynomial': [1, 0.98010004, 0.96040004, 0.9025, 0.80999994, 0.7225, 0.25, 0, 0],
  'exponential': [1, 0.933033, 0.8705506, 0.70710677, 0.5, 0.35355338, 0.03125, 0.0009765625, 0.000030517578],
  'exponential staircase': [1, 1, 1, 1, 1, 0.5, 0.2, 0.2, 0.2],
  'exponential growth': [0.1, 0.10413797, 0.10844719, 0.12247449, 0.15, 0.18371174, 0.5, 0.5, 0.5],
  'cosine': [1, 0.99975324, 0.99901336, 0.99384415, 0.97552824, 0.94550323, 0.49999997, 0, 0],
  'cosine alpha exponent': [1, 0.9995559, 0.9982249, 0.9889536, 0.9564898, 0.90457875, 0.32499996, 0.1, 0.1],
  'warmup cosine': [0, 0.100000024, 0.19999999, 0.5, 1, 0.99278367, 0.60748285, 0.05, 0.05],
  'warmup exponential': [0, 0.100000024, 0.19999999, 0.5, 1, 0.8408964, 0.25, 0.044194173, 0.0078125],
  'warmup constant': [0, 0.100000024, 0.19999999, 0.5, 1, 1, 1, 1, 1],
  'piecewise constant': [1, 1, 1, 1, 0.5, 0.5, 0.05, 0.05, 0.05],
};

const close = (actual: number[], expected: number[], name: string) =>
  actual.forEach((x, i) => {
    if (!(Math.abs(x - expected[i]!) <= 1e-6 * Math.abs(expected[i]!) + 1e-7)) throw new Error(`${name} at count ${COUNTS[i]}: got ${x}, expected ${expected[i]} (optax)`);
  });

describe('schedules match optax', () => {
  const counts = jnp.array(COUNTS, { dtype: 'int32' });
  test.each(SCHEDULES)('%s, eagerly and under jit', (name, schedule) => {
    const eager = jnp.broadcastTo(jnp.asarray(schedule(counts)), [COUNTS.length]);
    expect(eager.dtype).toBe('float32');
    close(eager.tolistSync() as number[], EXPECTED[name]!, name);
    // Under jit XLA fuses and may differ in the last bit (so does optax under jax.jit: e.g. warmup
    // cosine at 50 is 0.60748285 eagerly, 0.6074828 jitted), hence a tolerance, not equal bits.
    const compiled = jit((c: Array) => jnp.broadcastTo(jnp.asarray(schedule(c)), [COUNTS.length]))(counts);
    close(compiled.tolistSync() as number[], EXPECTED[name]!, `${name} (jit)`);
  });

  test('a JS number is a step count too', () => {
    expect(optim.warmupCosineDecaySchedule(0.0, 1.0, 10, 100, { endValue: 0.05 })(5).item()).toBeCloseTo(0.5, 7);
    expect(optim.exponentialDecay(1.0, 10, 0.5)(10).item()).toBeCloseTo(0.5, 7);
  });

  test('weak types follow optax: cosine decay is weak, linear is not', () => {
    const count = jnp.array(3, { dtype: 'int32' });
    expect(optim.cosineDecaySchedule(1.0, 100)(count).weakType).toBe(true);
    expect(optim.linearSchedule(1.0, 0.1, 100)(count).weakType).toBe(false);
  });

  test('degenerate arguments: constant schedules, or an error as optax gives', () => {
    expect(optim.exponentialDecay(0.3, 0, 0.5)(7).item()).toBeCloseTo(0.3, 7);
    expect(optim.exponentialDecay(0.3, 10, 0)(7).item()).toBeCloseTo(0.3, 7);
    expect(optim.linearSchedule(0.3, 0, 0)(7).item()).toBeCloseTo(0.3, 7);
    expect(() => optim.cosineDecaySchedule(1, 0)).toThrow('The cosine_decay_schedule requires positive decay_steps, got decay_steps=0.');
    expect(() => optim.piecewiseConstantSchedule(1, { 5: -1 })).toThrow('`piecewise_constant_schedule` expects non-negative scale factors');
  });
});
