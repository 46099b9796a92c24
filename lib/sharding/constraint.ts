// withShardingConstraint: a layout request to XLA's partitioner inside a sharded program.
import type { Array } from '../core/array.js';
import { Primitive } from '../core/primitive.js';
import { defrules } from '../interpreters/ad.js';
import type { NamedSharding } from './named_sharding.js';

/** sharding_constraint[sharding]: XLA's `Sharding` custom call; the identity outside sharded programs. */
export const shardingConstraint: Primitive = defrules(new Primitive('sharding_constraint', {
  abstractEval: ([x]) => [x!],
  impl: ([x]) => [x!],
  lower: (ctx, [x], params, [out]) => [
    ctx.op1('stablehlo.custom_call', [x!], out!, { call_target_name: '"Sharding"', 'mhlo.sharding': JSON.stringify(params.sharding as string) }),
  ],
}), {
  jvp: ([x], [t], params) => [[shardingConstraint.bind1([x!], params)], [t ? shardingConstraint.bind1([t], params) : null]],
  transpose: ([ct], _args, params) => [ct ? shardingConstraint.bind1([ct], params) : null],
});

/** `lax.withShardingConstraint(x, sharding)`: asks XLA's partitioner to lay `x` out as `sharding` says. */
export function withShardingConstraint(x: Array, sharding: NamedSharding): Array {
  sharding.shardShape(x.shape); // the divisibility error now rather than from XLA
  return shardingConstraint.bind1([x], { sharding: sharding.hloSharding(x.ndim) });
}
