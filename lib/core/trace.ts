// The trace stack and tracers, as in JAX's autodidax: every `bind` finds the innermost
// trace among its arguments, raises all arguments into it and lets it process the primitive.
import { Array } from './array.js';
import type { ShapedArray } from './aval.js';
import type { Params, Primitive } from './primitive.js';

export class MainTrace {
  constructor(
    readonly level: number,
    readonly traceType: TraceType,
    readonly globalData: unknown,
  ) {}
}

export type TraceType = new (main: MainTrace) => Trace;

export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** A value from a lower level (a concrete array or another trace's tracer) as a tracer here. */
  abstract pure(x: Array): Tracer | Array;
  lift(x: Array): Tracer | Array {
    return this.pure(x);
  }
  abstract processPrimitive(primitive: Primitive, tracers: Array[], params: Params): Array[];
}

export abstract class Tracer extends Array {
  abstract readonly trace: Trace;
  abstract override get aval(): ShapedArray;
  /** The value with as few tracer layers as possible (a tracer may know it holds a constant). */
  fullLower(): Array {
    return this;
  }
  override toString(): string {
    return `Traced<${this.aval.str(true)}>with<${this.trace.constructor.name}>`;
  }
}

let baseTraceType: TraceType | undefined;
const stack: MainTrace[] = [];
/** The trace that captures every operation, even on constants (jit's, with dynamic tracing). */
let dynamic: MainTrace | undefined;

/** Installs the bottom of the stack (the eager evaluator); called once by interpreters/eval.ts. */
export function setBaseTrace(type: TraceType): void {
  baseTraceType = type;
  stack.length = 0;
  stack.push(new MainTrace(0, type, null));
}

function bottom(): MainTrace {
  if (!baseTraceType) throw new Error('jaxts: the evaluation trace is not installed (import jaxts through its index)');
  return stack[0]!;
}

/** Runs `fn` with a new main trace of `type` on top of the stack. */
export function withMainTrace<T>(type: TraceType, globalData: unknown, fn: (main: MainTrace) => T, options: { dynamic?: boolean } = {}): T {
  bottom();
  const main = new MainTrace(stack.length, type, globalData);
  stack.push(main);
  const savedDynamic = dynamic;
  if (options.dynamic) dynamic = main;
  try {
    return fn(main);
  } finally {
    stack.pop();
    dynamic = savedDynamic;
  }
}

/** True when no transformation is active: operations run eagerly (jit's dispatch fast path). */
export function isEager(): boolean {
  return stack.length === 1 && dynamic === undefined;
}

export function currentLevel(): number {
  return stack.length - 1;
}

function findTopTrace(args: Array[]): Trace {
  let top = dynamic ?? bottom();
  for (const x of args) {
    if (x instanceof Tracer && x.trace.main.level > top.level) top = x.trace.main;
  }
  return new top.traceType(top);
}

function fullRaise(trace: Trace, value: Array): Array {
  if (!(value instanceof Tracer)) return trace.pure(value);
  const level = trace.main.level;
  if (value.trace.main === trace.main) return value;
  if (value.trace.main.level < level) return trace.lift(value);
  throw new Error(`jaxts: a tracer from an inner transformation escaped its scope (${value}); ` + 'do not store traced values outside the function being transformed');
}

function fullLower(value: Array): Array {
  return value instanceof Tracer ? value.fullLower() : value;
}

export function bind(primitive: Primitive, args: Array[], params: Params): Array[] {
  const trace = findTopTrace(args);
  const tracers = args.map((a) => fullRaise(trace, a));
  const outs = trace.processPrimitive(primitive, tracers, params);
  return outs.map(fullLower);
}
