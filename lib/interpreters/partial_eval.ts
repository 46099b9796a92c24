// Tracing to a jaxpr (JAX's DynamicJaxprTrace): every operation applied to a tracer of this
// trace, or made while it is the dynamic trace, becomes an equation.
import { Array } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import type { ShapedArray } from '../core/aval.js';
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type JaxprEqn } from '../core/jaxpr.js';
import type { Params, Primitive } from '../core/primitive.js';
import { Trace, Tracer, withMainTrace, type MainTrace } from '../core/trace.js';

class Builder {
  readonly eqns: JaxprEqn[] = [];
  readonly tracerVars = new Map<JaxprTracer, Var>();
  readonly constVars = new Map<Array, Var>();
  readonly constTracers = new Map<Array, JaxprTracer>();
  literals = new Map<JaxprTracer, Literal>();

  varFor(t: JaxprTracer): Var {
    let v = this.tracerVars.get(t);
    if (!v) {
      v = new Var(t.aval);
      this.tracerVars.set(t, v);
    }
    return v;
  }

  atomFor(t: JaxprTracer): Atom {
    return this.literals.get(t) ?? this.varFor(t);
  }
}

export class JaxprTracer extends Tracer {
  readonly trace: JaxprTrace;
  readonly #aval: ShapedArray;
  constructor(trace: JaxprTrace, aval: ShapedArray) {
    super();
    this.trace = trace;
    this.#aval = aval;
  }
  get aval(): ShapedArray {
    return this.#aval;
  }
}

function builderOf(main: MainTrace): Builder {
  return main.globalData as Builder;
}

export class JaxprTrace extends Trace {
  get builder(): Builder {
    return builderOf(this.main);
  }

  newArg(aval: ShapedArray): JaxprTracer {
    const tracer = new JaxprTracer(this, aval);
    this.builder.varFor(tracer);
    return tracer;
  }

  /** Constants: scalars from the host become literals; other arrays become constvars. */
  pure(x: Array): JaxprTracer {
    const b = this.builder;
    const known = b.constTracers.get(x);
    if (known) return known;
    const tracer = new JaxprTracer(this, x.aval);
    const host = x instanceof ArrayImpl ? x.hostData : undefined;
    if (host && x.size === 1 && x.ndim === 0 && !x.dtype.startsWith('complex')) {
      const value = x.dtype === 'bool' ? host[0] !== 0 : (x as ArrayImpl).dataSync()[0]!;
      b.literals.set(tracer, new Literal(value as number | boolean | bigint, x.aval));
    } else {
      b.constVars.set(x, b.varFor(tracer));
    }
    b.constTracers.set(x, tracer);
    return tracer;
  }

  processPrimitive(primitive: Primitive, tracers: Array[], params: Params): Array[] {
    const ins = tracers as JaxprTracer[];
    const outAvals = primitive.rules.abstractEval(
      ins.map((t) => t.aval),
      params,
    );
    const outs = outAvals.map((a) => new JaxprTracer(this, a));
    this.builder.eqns.push({
      primitive,
      inputs: ins.map((t) => this.builder.atomFor(t)),
      params,
      outVars: outs.map((t) => this.builder.varFor(t)),
    });
    return outs;
  }
}

/**
 * Traces `fn` on arguments of the given avals into a closed jaxpr. Operations on values
 * closed over by `fn` (concrete arrays) are recorded too, as JAX's dynamic tracing does.
 */
export function traceToJaxpr(fn: (...args: Array[]) => Array[], inAvals: ShapedArray[]): ClosedJaxpr {
  return withMainTrace(
    JaxprTrace,
    new Builder(),
    (main) => {
      const trace = new JaxprTrace(main);
      const builder = builderOf(main);
      const args = inAvals.map((a) => trace.newArg(a));
      const inVars = args.map((t) => builder.varFor(t));
      const outs = fn(...args).map((o) => (o instanceof JaxprTracer && o.trace.main === main ? o : trace.pure(o)));
      const outAtoms = outs.map((t) => builder.atomFor(t));
      const constVars = [...builder.constVars.values()];
      const consts = [...builder.constVars.keys()];
      return new ClosedJaxpr(new Jaxpr(constVars, inVars, builder.eqns, outAtoms), consts);
    },
    { dynamic: true },
  );
}
