// Eager execution: each primitive runs as a cached, compiled one-operation program, keyed by
// primitive, parameters, input types and device (as JAX does).
import { Array } from '../core/array.js';
import { ArrayImpl, setDefaultDevice } from '../core/array_impl.js';
import type { ShapedArray } from '../core/aval.js';
import { Jaxpr, Var, type JaxprEqn } from '../core/jaxpr.js';
import { paramsKey, type Params, type Primitive } from '../core/primitive.js';
import { setBaseTrace, Trace, type Tracer } from '../core/trace.js';
import { lowerModule } from '../lowering/module.js';
import type { Device } from '../runtime/device.js';
import type { Executable } from '../runtime/executable.js';
import { defaultBackend } from '../runtime/registry.js';

setDefaultDevice(() => defaultBackend().devices[0]!);

const executables = new Map<string, Executable>();

/** Statistics of the eager-op cache (for tests and diagnostics). */
export const eagerStats = { compiles: 0, hits: 0 };

function compileOp(primitive: Primitive, params: Params, inAvals: ShapedArray[], outAvals: ShapedArray[], device: Device): Executable {
  const key = `${primitive.name}|${paramsKey(params)}|${inAvals.map((a) => `${a.dtype}[${a.shape.join(',')}]`).join(';')}|${device.backend.platform}:${device.id}`;
  const hit = executables.get(key);
  if (hit) {
    eagerStats.hits++;
    return hit;
  }
  const inVars = inAvals.map((a) => new Var(a));
  const outVars = outAvals.map((a) => new Var(a));
  const eqn: JaxprEqn = { primitive, inputs: inVars, params, outVars };
  const { text, signature } = lowerModule(new Jaxpr([], inVars, [eqn], outVars), { name: primitive.name });
  const exe = device.backend.compileSync(text, { signature, deviceAssignment: [[device.id]] });
  executables.set(key, exe);
  eagerStats.compiles++;
  return exe;
}

/** The device an operation on `args` runs on: that of its first device-resident input. */
function deviceOf(args: ArrayImpl[]): Device {
  for (const a of args) if (!a.hostData) return a.device;
  return defaultBackend().devices[0]!;
}

export function applyPrimitive(primitive: Primitive, args: ArrayImpl[], params: Params): ArrayImpl[] {
  const inAvals = args.map((a) => a.aval);
  const outAvals = primitive.rules.abstractEval(inAvals, params);
  const device = deviceOf(args);
  const exe = compileOp(primitive, params, inAvals, outAvals, device);
  const outs = exe.execute(args.map((a) => a.buffer(device)));
  return outs.map((buffer, i) => new ArrayImpl(outAvals[i]!, buffer));
}

export class EvalTrace extends Trace {
  pure(x: Array): Array {
    return x;
  }
  processPrimitive(primitive: Primitive, args: Array[], params: Params): Array[] {
    if (primitive.rules.impl) return primitive.rules.impl(args, params);
    return applyPrimitive(primitive, args as ArrayImpl[], params);
  }
}

setBaseTrace(EvalTrace);

export type { Tracer };
