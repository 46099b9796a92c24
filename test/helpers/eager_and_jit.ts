// Shared assertion for op tests: a function gives the same shape, dtype and bits eagerly and under jit.
import { jit, type Array } from '../../lib/index.js';

/** Runs `f` eagerly and under jit: same shape, dtype and bits; returns the eager result. */
export function both(f: (...args: Array[]) => Array, ...args: Array[]): Array {
  const eager = f(...args);
  const compiled = jit(f)(...args);
  expect(compiled.shape).toEqual(eager.shape);
  expect(compiled.dtype).toBe(eager.dtype);
  expect(Buffer.from(compiled.dataSync().buffer).equals(Buffer.from(eager.dataSync().buffer))).toBe(true);
  return eager;
}
