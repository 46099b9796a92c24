// Jaxprs: the closed, typed, first-order programs that tracing produces and transformations
// rewrite; printed as JAX prints them.
import type { Array } from './array.js';
import type { ShapedArray } from './aval.js';
import type { Params, Primitive } from './primitive.js';

export class Var {
  constructor(readonly aval: ShapedArray) {}
}

/** A scalar constant written inline (JS numbers and booleans met while tracing). */
export class Literal {
  constructor(
    readonly value: number | boolean | bigint,
    readonly aval: ShapedArray,
  ) {}
}

export type Atom = Var | Literal;

export interface JaxprEqn {
  primitive: Primitive;
  inputs: Atom[];
  params: Params;
  outVars: Var[];
}

export class Jaxpr {
  constructor(
    readonly constVars: Var[],
    readonly inVars: Var[],
    readonly eqns: JaxprEqn[],
    readonly outs: Atom[],
  ) {}

  get inAvals(): ShapedArray[] {
    return this.inVars.map((v) => v.aval);
  }

  get outAvals(): ShapedArray[] {
    return this.outs.map((v) => v.aval);
  }

  toString(): string {
    return printJaxpr(this);
  }
}

/** A jaxpr with the values of its constants. */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: Array[],
  ) {}

  get inAvals(): ShapedArray[] {
    return this.jaxpr.inAvals;
  }

  get outAvals(): ShapedArray[] {
    return this.jaxpr.outAvals;
  }

  toString(): string {
    return printJaxpr(this.jaxpr);
  }
}

/** Names a, b, ..., z, ba, bb, ... as JAX's printer does. */
function varName(i: number): string {
  let name = '';
  do {
    name = String.fromCharCode(97 + (i % 26)) + name;
    i = Math.floor(i / 26);
  } while (i > 0);
  return name;
}

function formatParam(value: unknown): string {
  if (globalThis.Array.isArray(value)) return `(${value.map(formatParam).join(', ')}${value.length === 1 ? ',' : ''})`;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'object' && 'toString' in value && value.toString !== Object.prototype.toString) return String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function formatLiteral(l: Literal): string {
  if (typeof l.value === 'boolean') return l.value ? 'True' : 'False';
  const text = String(l.value);
  const isFloat = ['float16', 'bfloat16', 'float32', 'float64'].includes(l.aval.dtype);
  return `${isFloat && /^-?\d+$/.test(text) ? `${text}.0` : text}:${l.aval.str()}`;
}

export function printJaxpr(jaxpr: Jaxpr, indent = 0): string {
  const names = new Map<Var, string>();
  const name = (v: Var) => {
    let n = names.get(v);
    if (!n) {
      n = varName(names.size);
      names.set(v, n);
    }
    return n;
  };
  const atom = (a: Atom) => (a instanceof Literal ? formatLiteral(a) : name(a));
  const binder = (v: Var) => `${name(v)}:${v.aval.str()}`;
  const pad = ' '.repeat(indent);
  const lines = [`${pad}{ lambda ${jaxpr.constVars.map(binder).join(' ')}; ${jaxpr.inVars.map(binder).join(' ')}. let`];
  for (const eqn of jaxpr.eqns) {
    // Sorted by name, as JAX prints them.
    const entries = Object.entries(eqn.params)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const params = entries.length
      ? `[${entries
          .map(([k, v]) =>
            v instanceof ClosedJaxpr || v instanceof Jaxpr
              ? `${k}=\n${printJaxpr(v instanceof ClosedJaxpr ? v.jaxpr : v, indent + 6)}\n${pad}    `
              : `${k}=${formatParam(v)}`,
          )
          .join(' ')}]`
      : '';
    const lhs = eqn.outVars.map(binder).join(' ');
    lines.push(`${pad}    ${lhs} = ${eqn.primitive.name}${params} ${eqn.inputs.map(atom).join(' ')}`);
  }
  const outs = jaxpr.outs.map(atom);
  lines.push(`${pad}  in (${outs.join(', ')}${outs.length === 1 ? ',' : ''}) }`);
  return lines.join('\n');
}

/** Dead code elimination: drops equations whose outputs nothing uses (primitives are pure). */
export function dce(jaxpr: Jaxpr): Jaxpr {
  const live = new Set<Var>(jaxpr.outs.filter((a): a is Var => a instanceof Var));
  const kept: JaxprEqn[] = [];
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    const eqn = jaxpr.eqns[i]!;
    if (!eqn.outVars.some((v) => live.has(v))) continue;
    kept.push(eqn);
    for (const a of eqn.inputs) if (a instanceof Var) live.add(a);
  }
  kept.reverse();
  return new Jaxpr(jaxpr.constVars, jaxpr.inVars, kept, jaxpr.outs);
}
