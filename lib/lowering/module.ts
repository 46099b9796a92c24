// Assembles a StableHLO module from a jaxpr: `func.func public @main` as JAX emits it,
// several results without tuples, donation through `tf.aliasing_output`, sub-jaxprs as
// private functions reached with `func.call`.
import type { ShapedArray } from '../core/aval.js';
import { Literal, type Jaxpr, type Var } from '../core/jaxpr.js';
import type { ProgramSignature } from '../runtime/mlir_signature.js';
import { LoweringContext, tensorType, type Value } from './context.js';

export interface LoweredModule {
  text: string;
  signature: ProgramSignature;
}

export interface LowerOptions {
  /** Module name, as JAX's `jit_<function name>`. */
  name?: string;
  /** `[argument index, output index]` pairs to alias (donated arguments). */
  aliases?: [number, number][];
  numReplicas?: number;
  numPartitions?: number;
  /** Extra attributes of `@main`'s parameters (e.g. `mhlo.sharding = "{replicated}"`), by position. */
  argAttrs?: (string | undefined)[];
  /** Attributes of `@main`'s results, by position. */
  resultAttrs?: (string | undefined)[];
}

class ModuleBuilder {
  private readonly functions: string[] = [];
  private readonly used = new Set<string>(['main']);

  addFunction = (name: string, text: (symbol: string) => string): string => {
    const base = name.replace(/[^A-Za-z0-9_]/g, '_');
    let symbol = base;
    for (let i = 1; this.used.has(symbol); i++) symbol = `${base}_${i}`;
    this.used.add(symbol);
    this.functions.push(text(symbol));
    return symbol;
  };

  text(name: string, main: string, numReplicas: number, numPartitions: number): string {
    return `module @${name} attributes {mhlo.num_partitions = ${numPartitions} : i32, mhlo.num_replicas = ${numReplicas} : i32} {\n${[main, ...this.functions].join('\n')}\n}\n`;
  }
}

/** Emits the body of `jaxpr` (its constVars first, then inVars, as parameters) into `ctx`. */
export function lowerJaxprBody(ctx: LoweringContext, jaxpr: Jaxpr, args: Value[]): Value[] {
  const env = new Map<Var, Value>();
  const params = [...jaxpr.constVars, ...jaxpr.inVars];
  if (params.length !== args.length) throw new Error(`lowering: jaxpr takes ${params.length} values, got ${args.length}`);
  params.forEach((v, i) => env.set(v, args[i]!));
  const read = (a: Var | Literal): Value => (a instanceof Literal ? ctx.constant(a.value, a.aval) : env.get(a)!);
  for (const eqn of jaxpr.eqns) {
    const outAvals = eqn.outVars.map((v) => v.aval);
    const outs = eqn.primitive.rules.lower(ctx, eqn.inputs.map(read), eqn.params, outAvals);
    eqn.outVars.forEach((v, i) => env.set(v, outs[i]!));
  }
  return jaxpr.outs.map(read);
}

function functionText(
  visibility: 'public' | 'private',
  symbol: string,
  argAvals: ShapedArray[],
  body: LoweringContext,
  results: Value[],
  argAttrs: (string | undefined)[] = [],
  resultAttrs: (string | undefined)[] = [],
): string {
  const params = argAvals.map((aval, i) => `%arg${i}: ${tensorType(aval)}${argAttrs[i] ? ` {${argAttrs[i]}}` : ''}`).join(', ');
  const resultTypes = results.map((r) => tensorType(r.aval)).join(', ');
  const resultDecls = results.map((r, i) => `${tensorType(r.aval)}${resultAttrs[i] ? ` {${resultAttrs[i]}}` : ''}`).join(', ');
  return [
    `  func.func ${visibility} @${symbol}(${params}) -> (${resultDecls}) {`,
    body.text(),
    `    return ${results.map((r) => r.ref).join(', ')} : ${resultTypes}`,
    '  }',
  ].filter((line) => line !== '').join('\n');
}

/** Adds `jaxpr` as a private function of the module being built; returns its symbol. */
export function lowerPrivateFunction(ctx: LoweringContext, name: string, jaxpr: Jaxpr): string {
  return ctx.addFunction(name, (symbol) => {
    const inner = new LoweringContext(ctx.addFunction);
    const avals = [...jaxpr.constVars, ...jaxpr.inVars].map((v) => v.aval);
    const args = avals.map((aval, i) => ({ ref: `%arg${i}`, aval }));
    const results = lowerJaxprBody(inner, jaxpr, args);
    return functionText('private', symbol, avals, inner, results);
  });
}

/** The module for `jaxpr`; its constVars become the leading parameters of `@main`. */
export function lowerModule(jaxpr: Jaxpr, options: LowerOptions = {}): LoweredModule {
  const module = new ModuleBuilder();
  const ctx = new LoweringContext(module.addFunction);
  const avals = [...jaxpr.constVars, ...jaxpr.inVars].map((v) => v.aval);
  const args = avals.map((aval, i) => ({ ref: `%arg${i}`, aval }));
  const results = lowerJaxprBody(ctx, jaxpr, args);
  const argAttrs: (string | undefined)[] = [...(options.argAttrs ?? [])];
  for (const [arg, out] of options.aliases ?? []) {
    const alias = `tf.aliasing_output = ${out} : i32`;
    argAttrs[arg] = argAttrs[arg] ? `${argAttrs[arg]}, ${alias}` : alias;
  }
  const main = functionText('public', 'main', avals, ctx, results, argAttrs, options.resultAttrs);
  const name = (options.name ?? 'jit_fn').replace(/[^A-Za-z0-9_]/g, '_');
  return {
    text: module.text(name, main, options.numReplicas ?? 1, options.numPartitions ?? 1),
    signature: {
      params: avals.map((a) => ({ dtype: a.dtype, shape: [...a.shape] })),
      results: results.map((r) => ({ dtype: r.aval.dtype, shape: [...r.aval.shape] })),
    },
  };
}
