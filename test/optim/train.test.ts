// optim under jit: a whole training step (valueAndGrad, optimiser update, applyUpdates) traces once,
// compiles once, carries its state as a pytree of Arrays, and follows optax's trajectory.
// Expected losses: the same steps with optax 0.2.8 under jax.jit (JAX 0.10.2, CPU).
import { jit, numpy as jnp, optim, tree, valueAndGrad, type Array } from '../../lib/index.js';

type Params = { w: Array; b: Array };

const X = jnp.array([[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [-2.0, 0.25, 1.0], [1.5, 1.0, 0.5]], { dtype: 'float32' });
const Y = jnp.array([[1.0, -1.0], [2.0, 0.5], [-0.5, 1.5], [0.0, 2.0]], { dtype: 'float32' });
const P0 = (): Params => ({
  w: jnp.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], { dtype: 'float32' }),
  b: jnp.array([0.0, 0.1], { dtype: 'float32' }),
});

const loss = (p: Params, x: Array, y: Array): Array => jnp.mean(jnp.square(jnp.matmul(x, p.w).add(p.b).sub(y)));

/** 60 jitted steps; returns the losses and the step function (for its stats) and the final state. */
function train(opt: optim.GradientTransformation) {
  const step = jit((p: Params, s: unknown, x: Array, y: Array) => {
    const [l, g] = valueAndGrad(loss)(p, x, y);
    const [u, next] = opt.update(g, s, p);
    return [optim.applyUpdates(p, u), next, l] as const;
  });
  let params = P0();
  let state = opt.init(params);
  const losses: number[] = [];
  for (let i = 0; i < 60; i++) {
    let l: Array;
    [params, state, l] = step(params, state, X, Y);
    losses.push(l.item() as number);
  }
  return { losses, step, params, state };
}

const AT = [0, 1, 10, 30, 59];
const expectLosses = (losses: number[], expected: number[]) =>
  AT.forEach((i, k) => expect(Math.abs(losses[i]! - expected[k]!)).toBeLessThanOrEqual(1e-5 * expected[k]!));

describe('a jitted training step', () => {
  test('adam reduces a quadratic loss over {w: (3, 2), b: (2,)}, as optax does', () => {
    const { losses, step, params, state } = train(optim.adam(0.1));
    expectLosses(losses, [1.9019532203674316, 1.4697680473327637, 0.6323792934417725, 0.2965465784072876, 0.11728158593177795]);
    expect(loss(params, X, Y).item()).toBeCloseTo(0.11434119939804077, 5);
    // The state is a pytree of Arrays whose avals do not change between steps: one trace, one compile.
    expect(step.stats.traces).toBe(1);
    expect(step.stats.compiles).toBe(1);
    const [adamState] = state as [optim.ScaleByAdamState];
    expect(adamState.count.dtype).toBe('int32');
    expect(adamState.count.item()).toBe(60);
    expect(tree.leaves(state).every((x) => (x as Array).dtype === 'float32' || x === adamState.count)).toBe(true);
  });

  test('clipping, scheduled learning rate and weight decay in one chain', () => {
    const opt = optim.chain(
      optim.clipByGlobalNorm(1.0),
      optim.adamw(optim.warmupCosineDecaySchedule(0.0, 0.1, 5, 60, { endValue: 0.01 }), { weightDecay: 0.01 }),
    );
    const { losses, step } = train(opt);
    // The learning rate is 0 at step 0, so the second loss equals the first.
    expectLosses(losses, [1.9019532203674316, 1.9019532203674316, 0.5818095207214355, 0.36326152086257935, 0.2400095909833908]);
    expect(step.stats.traces).toBe(1);
  });

  test('one jitted update equals the eager update', () => {
    const opt = optim.rmsprop(0.01, { centered: true, momentum: 0.9 });
    const params = P0();
    const grads = valueAndGrad(loss)(params, X, Y)[1];
    const state = opt.init(params);
    const eager = opt.update(grads, state, params);
    const compiled = jit((g: Params, s: typeof state, p: Params) => opt.update(g, s, p))(grads, state, params);
    const eagerLeaves = tree.leaves(eager) as Array[];
    const compiledLeaves = tree.leaves(compiled) as Array[];
    expect(tree.structure(compiled).equals(tree.structure(eager))).toBe(true);
    eagerLeaves.forEach((e, i) => {
      const c = compiledLeaves[i]!;
      expect(c.dtype).toBe(e.dtype);
      const [ev, cv] = [e.dataSync(), c.dataSync()] as Float32Array[];
      ev!.forEach((v, k) => expect(Math.abs(cv![k]! - v)).toBeLessThanOrEqual(1e-6 * Math.abs(v)));
    });
  });
});
