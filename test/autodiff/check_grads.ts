// checkGrads, as JAX's jax.test_util.check_grads: forward mode against central finite
// differences, reverse mode by the inner-product identity <vjp(ct), t> = <ct, jvp(t)>, and
// order 2 by applying the same checks to jvp(f) and to x ↦ vjp(f)(f(x)). Run it on float64
// arguments under `config.with({ enableX64: true }, ...)`.
import { jvp, numpy as jnp, tree, vjp, type Array } from '../../lib/index.js';

export interface CheckGradsOptions {
  /** 1 or 2. */
  order?: number;
  modes?: ('fwd' | 'rev')[];
  /** Finite-difference step (JAX's default 1e-4). */
  eps?: number;
  /** Tolerances; JAX's defaults for float64 are 1e-5. */
  atol?: number;
  rtol?: number;
}

type Fn = (...args: never[]) => unknown;

const leaves = (x: unknown): Array[] => tree.leaves(x).filter((l): l is Array => l !== null) as Array[];
const values = (x: Array): number[] => globalThis.Array.from(x.dataSync() as Float64Array, Number);

/** A deterministic pseudo-random pytree shaped like `x` (uniform in [-1, 1), never near 0). */
function randLike(x: unknown, seed: { s: number }): unknown {
  return tree.map((leaf: unknown) => {
    const a = leaf as Array;
    const data = globalThis.Array.from({ length: a.size }, () => {
      seed.s = (seed.s * 1103515245 + 12345) % 2147483648;
      const u = seed.s / 2147483648;
      return (u < 0.5 ? -1 : 1) * (0.25 + Math.abs(u - 0.5) * 1.5);
    });
    return jnp.array(data, { dtype: a.dtype }).reshape(a.shape);
  }, x);
}

const combine = (x: unknown, t: unknown, scale: number) => tree.map((a: unknown, b: unknown) => (a as Array).add((b as Array).mul(scale)), x, t);

function innerProduct(x: unknown, y: unknown): number {
  const xs = leaves(x);
  const ys = leaves(y);
  let total = 0;
  xs.forEach((a, i) => values(a).forEach((v, k) => (total += v * values(ys[i]!)[k]!)));
  return total;
}

function checkClose(actual: unknown, expected: unknown, atol: number, rtol: number, what: string): void {
  const as = leaves(actual);
  const es = leaves(expected);
  if (as.length !== es.length) throw new Error(`${what}: ${as.length} leaves, expected ${es.length}`);
  as.forEach((a, i) => {
    const av = values(a);
    const ev = values(es[i]!);
    av.forEach((v, k) => {
      const e = ev[k]!;
      if (!(Math.abs(v - e) <= atol + rtol * Math.abs(e))) {
        throw new Error(`${what}: leaf ${i} element ${k} is ${v}, expected ${e} (atol ${atol}, rtol ${rtol})`);
      }
    });
  });
}

function numericalJvp(f: Fn, args: unknown[], tangent: unknown[], eps: number): unknown {
  const call = f as (...a: unknown[]) => unknown;
  const pos = call(...(combine(args, tangent, eps) as unknown[]));
  const neg = call(...(combine(args, tangent, -eps) as unknown[]));
  return tree.map((p: unknown, n: unknown) => (p as Array).sub(n as Array).mul(0.5 / eps), pos, neg);
}

function checkJvp(f: Fn, args: unknown[], o: Required<CheckGradsOptions>, what: string): void {
  const tangent = randLike(args, { s: 0 }) as unknown[];
  const [out, tOut] = jvp(f, args as never, tangent);
  checkClose(out, (f as (...a: unknown[]) => unknown)(...args), o.atol, o.rtol, `${what} primal`);
  checkClose(tOut, numericalJvp(f, args, tangent, o.eps), o.atol, o.rtol, `${what} tangent`);
}

function checkVjp(f: Fn, args: unknown[], o: Required<CheckGradsOptions>, what: string): void {
  const [out, vjpFn] = vjp(f, ...(args as never[])) as [unknown, (ct: unknown) => unknown[]];
  checkClose(out, (f as (...a: unknown[]) => unknown)(...args), o.atol, o.rtol, `${what} primal`);
  const tangent = randLike(args, { s: 0 }) as unknown[];
  const tangentOut = numericalJvp(f, args, tangent, o.eps);
  const cotangent = randLike(out, { s: 1 });
  const cotangentOut = vjpFn(cotangent);
  const ip = innerProduct(tangent, cotangentOut);
  const expected = innerProduct(tangentOut, cotangent);
  if (!(Math.abs(ip - expected) <= o.atol + o.rtol * Math.abs(expected))) {
    throw new Error(`${what}: <t, vjp(ct)> = ${ip} but <jvp(t), ct> = ${expected}`);
  }
}

/** Checks `f`'s derivatives at `args` up to `order`, in forward and/or reverse mode. */
export function checkGrads(f: Fn, args: unknown[], options: CheckGradsOptions = {}): void {
  const o: Required<CheckGradsOptions> = { order: 1, modes: ['fwd', 'rev'], eps: 1e-4, atol: 1e-5, rtol: 1e-5, ...options };
  const check = (fn: Fn, xs: unknown[], order: number, what: string) => {
    if (o.modes.includes('fwd')) {
      const name = what ? `JVP of ${what}` : 'JVP';
      checkJvp(fn, xs, o, name);
      if (order > 1) check(((p: unknown[], t: unknown[]) => jvp(fn, p as never, t)) as Fn, [xs, xs], order - 1, name);
    }
    if (o.modes.includes('rev')) {
      const name = what ? `VJP of ${what}` : 'VJP';
      checkVjp(fn, xs, o, name);
      if (order > 1) {
        const fVjp = (...ys: unknown[]) => {
          const [out, vjpFn] = vjp(fn, ...(ys as never[])) as [unknown, (ct: unknown) => unknown[]];
          return vjpFn(out);
        };
        check(fVjp as Fn, xs, order - 1, name);
      }
    }
  };
  check(f, args, o.order, '');
}
