// The two factorizations the samplers need, written with jnp ops for small static sizes: jnp.linalg
// has no cholesky or qr yet. Results match LAPACK's (which JAX calls) up to rounding.
import type { Array } from '../core/array.js';
import * as jnp from '../numpy/index.js';

const column = (a: Array, j: number): Array => a.slice('...', [], j);
const entry = (v: Array, i: number): Array => v.slice('...', [i, i + 1]);

/** Lower Cholesky factor of symmetric positive definite matrices `[..., n, n]`, column by column. */
export function cholesky(a: Array): Array {
  const n = a.shape[a.ndim - 1]!;
  const row = jnp.arange(n);
  const cols: Array[] = [];
  for (let j = 0; j < n; j++) {
    let s = column(a, j);
    for (const c of cols) s = jnp.subtract(s, jnp.multiply(c, entry(c, j)));
    const diag = jnp.sqrt(entry(s, j));
    cols.push(jnp.where(jnp.greater(row, j), jnp.divide(s, diag), jnp.where(jnp.equal(row, j), diag, 0)));
  }
  return jnp.stack(cols, -1);
}

/**
 * The Q of a QR factorization of `[..., m, n]` (m >= n) whose R has a positive diagonal, by
 * modified Gram-Schmidt applied twice (accurate to rounding for well-conditioned matrices).
 * It equals LAPACK's Q with its columns' signs fixed by sign(diag R), as jax.random.orthogonal does.
 */
export function orthonormalColumns(a: Array): Array {
  const n = a.shape[a.ndim - 1]!;
  const qs: Array[] = [];
  for (let j = 0; j < n; j++) {
    let v = column(a, j);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of qs) v = jnp.subtract(v, jnp.multiply(q, jnp.sum(jnp.multiply(q, v), -1, { keepdims: true })));
    }
    qs.push(jnp.divide(v, jnp.sqrt(jnp.sum(jnp.multiply(v, v), -1, { keepdims: true }))));
  }
  return jnp.stack(qs, -1);
}
