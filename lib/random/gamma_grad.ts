// d(sample)/d(a) for Gamma(a, 1) draws by implicit reparameterization: -(dP(a, x)/da) / p(x; a),
// with the regularized incomplete gamma's a-derivative from its power series (x small) or its
// continued fraction (x > 1 and x > a), as JAX's random_gamma_grad (jax._src.lax.special) computes it.
// Both loops mask finished elements, so evaluating all elements together equals one at a time.
import type { Array } from '../core/array.js';
import { finfo } from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';

const select = (pred: Array, onTrue: Array, onFalse: Array): Array => lax.selectN.bind1([pred, onFalse, onTrue]);
const [add, sub, mul, div] = [jnp.add, jnp.subtract, jnp.multiply, jnp.divide];

/** The series for x <= 1 or x <= a: -(d(ans)/da + ans dlog(ax)/da) x / a. */
function series(x: Array, a: Array, enabled: Array): Array {
  const eps = finfo(a.dtype).eps;
  const ones = jnp.onesLike(a);
  const zeros = jnp.zerosLike(a);
  const [, , , ans, , , dansDa] = lax.whileLoop(
    (v: Array[]) => jnp.any(v[0]!),
    ([on, r0, c0, ans0, x0, dcDa0, dansDa0]: Array[]) => {
      const r = add(r0!, 1);
      const dcDa = sub(mul(dcDa0!, div(x0!, r)), div(mul(c0!, x0!), mul(r, r)));
      const dansDa = add(dansDa0!, dcDa);
      const c = mul(c0!, div(x0!, r));
      const ans = add(ans0!, c);
      const going = jnp.logicalAnd(on!, jnp.greater(jnp.abs(div(dcDa, dansDa)), eps));
      return [going, select(on!, r, r0!), select(on!, c, c0!), select(on!, ans, ans0!), x0!, select(on!, dcDa, dcDa0!), select(on!, dansDa, dansDa0!)];
    },
    [enabled, a, ones, ones, x, zeros, zeros],
  ) as Array[];
  const dlogaxDa = sub(jnp.log(x), lax.digamma.bind1([add(a, 1)]));
  return div(mul(jnp.negative(add(dansDa!, mul(ans!, dlogaxDa))), x), a);
}

/** The continued fraction for x > 1 and x > a, rescaled to stay finite. */
function continuedFraction(x: Array, a: Array, enabled: Array): Array {
  const eps = finfo(a.dtype).eps;
  const y0 = sub(1, a);
  const z0 = add(add(x, y0), 1);
  const pkm1 = add(x, 1);
  const qkm1 = mul(z0, x);
  const ans0 = div(pkm1, qkm1);
  const dqkm1 = jnp.negative(x);
  const dansDa0 = div(sub(jnp.zerosLike(x), mul(ans0, dqkm1)), qkm1);
  const init = [enabled, ans0, jnp.onesLike(x), y0, z0, jnp.zeros([], { dtype: x.dtype }), pkm1, qkm1, jnp.onesLike(x), x, jnp.zerosLike(x), jnp.zerosLike(x), jnp.zerosLike(x), dqkm1, dansDa0];
  const out = lax.whileLoop(
    (v: Array[]) => jnp.logicalAnd(jnp.less(v[5]!, 2000), jnp.any(v[0]!)),
    (v: Array[]) => {
      const [on, ansOld, , yOld, zOld, cOld, pkm1Old, qkm1Old, pkm2Old, qkm2Old, dpkm2Old, dqkm2Old, dpkm1Old, dqkm1Old, dansOld] = v as [Array, Array, Array, Array, Array, Array, Array, Array, Array, Array, Array, Array, Array, Array, Array];
      const c = add(cOld, 1);
      const y = add(yOld, 1);
      const z = add(zOld, 2);
      const yc = mul(y, c);
      const pk = sub(mul(pkm1Old, z), mul(pkm2Old, yc));
      const qk = sub(mul(qkm1Old, z), mul(qkm2Old, yc));
      const nonzero = jnp.notEqual(qk, 0);
      const r = div(pk, qk);
      const t = select(nonzero, jnp.abs(div(sub(ansOld, r), r)), jnp.onesLike(r));
      const ans = select(nonzero, r, ansOld);
      const dpk = add(sub(sub(mul(dpkm1Old, z), pkm1Old), mul(dpkm2Old, yc)), mul(pkm2Old, c));
      const dqk = add(sub(sub(mul(dqkm1Old, z), qkm1Old), mul(dqkm2Old, yc)), mul(qkm2Old, c));
      const dansNew = select(nonzero, div(sub(dpk, mul(ans, dqk)), qk), dansOld);
      const gradChange = select(nonzero, jnp.abs(sub(dansNew, dansOld)), jnp.onesLike(dansOld));
      const rescale = jnp.greater(jnp.abs(pk), 1 / eps);
      const scaled = (u: Array): Array => select(rescale, mul(u, eps), u);
      const [pkm2, pkm1, qkm2, qkm1] = [scaled(pkm1Old), scaled(pk), scaled(qkm1Old), scaled(qk)];
      const [dpkm2, dqkm2, dpkm1, dqkm1] = [scaled(dpkm1Old), scaled(dqkm1Old), scaled(dpk), scaled(dqk)];
      const going = jnp.logicalAnd(on, jnp.greater(gradChange, eps));
      const keep = (nu: Array, old: Array): Array => select(on, nu, old);
      return [
        going, keep(ans, ansOld), keep(t, v[2]!), keep(y, yOld), keep(z, zOld), c,
        keep(pkm1, pkm1Old), keep(qkm1, qkm1Old), keep(pkm2, pkm2Old), keep(qkm2, qkm2Old),
        keep(dpkm2, dpkm2Old), keep(dqkm2, dqkm2Old), keep(dpkm1, dpkm1Old), keep(dqkm1, dqkm1Old), keep(dansNew, dansOld),
      ];
    },
    init,
  ) as Array[];
  const dlogaxDa = sub(jnp.log(x), lax.digamma.bind1([a]));
  return jnp.negative(mul(add(out[14]!, mul(out[1]!, dlogaxDa)), x));
}

/** lax.random_gamma_grad(a, x): d x / d a for x ~ Gamma(a, 1), elementwise. */
export function randomGammaGrad(a: Array, x: Array): Array {
  const isNan = jnp.logicalOr(jnp.isnan(a), jnp.isnan(x));
  const xIsZero = jnp.equal(x, 0);
  const domainError = jnp.logicalOr(jnp.less(x, 0), jnp.lessEqual(a, 0));
  const useContinuedFraction = jnp.logicalAnd(jnp.greater(x, 1), jnp.greater(x, a));
  const logAx = sub(sub(mul(a, jnp.log(x)), x), lax.lgamma.bind1([a]));
  const underflow = jnp.less(logAx, -Math.log(finfo(a.dtype).max));
  const enabled = jnp.logicalNot(jnp.logicalOr(jnp.logicalOr(jnp.logicalOr(xIsZero, domainError), underflow), isNan));
  let out = select(
    useContinuedFraction,
    jnp.negative(continuedFraction(x, a, jnp.logicalAnd(enabled, useContinuedFraction))),
    series(x, a, jnp.logicalAnd(enabled, jnp.logicalNot(useContinuedFraction))),
  );
  out = select(xIsZero, jnp.zerosLike(out), out);
  return select(jnp.logicalOr(domainError, isNan), jnp.fullLike(a, NaN), out);
}
