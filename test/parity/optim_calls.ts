// The `optim` family's calling convention (scripts/parity/README.md "Optimisers"), as
// scripts/parity/optim_calls.py runs it with optax: a transformation is initialised with the
// params, updated with each gradient pytree in turn (params advanced by applyUpdates), and the
// leaves of [params, last updates, state] are compared; a schedule is read at each step count.
// Nested transformations and schedules in the kwargs ({fn: 'optim.<name>', kwargs}) come built by the runner.
import { camel } from './names.js';
import { Array, numpy as jnp, optim, tree } from '../../lib/index.js';
import type { Arg, Resolved } from './calls.js';


// The constructor arguments jaxts takes positionally (optax's names); the rest go in the options object.
const POSITIONAL: Record<string, string[]> = {
  sgd: ['learning_rate'],
  adam: ['learning_rate'],
  adamw: ['learning_rate'],
  rmsprop: ['learning_rate'],
  adagrad: ['learning_rate'],
  lion: ['learning_rate'],
  clip: ['max_delta'],
  clip_by_global_norm: ['max_norm'],
  masked: ['inner', 'mask'],
  scale: ['step_size'],
  scale_by_learning_rate: ['learning_rate'],
  scale_by_schedule: ['step_size_fn'],
  add_decayed_weights: ['weight_decay'],
  trace: ['decay'],
  constant_schedule: ['value'],
  linear_schedule: ['init_value', 'end_value', 'transition_steps'],
  polynomial_schedule: ['init_value', 'end_value', 'power', 'transition_steps'],
  cosine_decay_schedule: ['init_value', 'decay_steps'],
  exponential_decay: ['init_value', 'transition_steps', 'decay_rate'],
  piecewise_constant_schedule: ['init_value', 'boundaries_and_scales'],
  join_schedules: ['schedules', 'boundaries'],
  warmup_constant_schedule: ['init_value', 'peak_value', 'warmup_steps'],
  warmup_cosine_decay_schedule: ['init_value', 'peak_value', 'warmup_steps', 'decay_steps'],
  warmup_exponential_decay_schedule: ['init_value', 'peak_value', 'warmup_steps', 'transition_steps', 'decay_rate'],
};
const PLAIN = new Set(['apply_updates', 'global_norm', 'safe_increment']);
const SCHEDULES = new Set([
  'constant_schedule', 'linear_schedule', 'polynomial_schedule', 'cosine_decay_schedule', 'exponential_decay',
  'piecewise_constant_schedule', 'join_schedules', 'warmup_constant_schedule', 'warmup_cosine_decay_schedule',
  'warmup_exponential_decay_schedule',
]);

type Factory = (...a: unknown[]) => unknown;
type Transformation = optim.GradientTransformation;

function exported(name: string): Factory | undefined {
  const f = (optim as Record<string, unknown>)[camel(name)];
  return typeof f === 'function' ? (f as Factory) : undefined;
}

/** The transformation or schedule `name` from optax-style keyword arguments (nested specs already built by the runner). */
function build(f: Factory, name: string, kw: Record<string, Arg>): unknown {
  if (name === 'chain') return f(...(kw.args as unknown[]));
  const positional = POSITIONAL[name] ?? [];
  const options = Object.fromEntries(Object.entries(kw).filter(([k]) => !positional.includes(k)).map(([k, v]) => [camel(k), v]));
  return f(...positional.map((k) => kw[k]), ...(Object.keys(options).length ? [options] : []));
}

/** Init, K updates (each applied), and the leaves of [params, last updates, state]. */
function runTransformation(tx: Transformation, params: unknown, grads: unknown[]): unknown[] {
  if (!grads.length) throw new Error('optim parity case: give at least one gradient pytree');
  let state = tx.init(params);
  let updates: unknown;
  for (const g of grads) {
    [updates, state] = tx.update(g, state, params);
    params = optim.applyUpdates(params, updates);
  }
  return tree.leaves([params, updates, state]);
}

/** `optim.<name>` (optax's name) run by the convention, or why jaxts cannot yet. */
export function optimCall(name: string): Resolved {
  const f = exported(name);
  if (!f) return { unsupported: `optim.${camel(name)} is not a function` };
  const via = `optim.${camel(name)}`;
  if (PLAIN.has(name)) return { via, invoke: (args, kwargs) => (Object.keys(kwargs).length ? f(...args, kwargs) : f(...args)) };
  return {
    via,
    invoke: (args, kwargs) => {
      const built = build(f, name, kwargs);
      // A nested {fn: 'optim.<name>', kwargs} (no args): the transformation or schedule itself.
      if (!args.length) return built;
      if (SCHEDULES.has(name)) return args.map((count) => (built as (c: unknown) => unknown)(count));
      return runTransformation(built as Transformation, args[0], args[1] as unknown[]);
    },
  };
}
