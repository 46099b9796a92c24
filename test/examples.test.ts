// The examples a new user runs (`npm run seed`, `npm run mnist`) work end to end on the built
// package and print what Python JAX prints for the same program (random is bit-exact, so both
// start from the same weights and batches).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = (name: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'examples', name), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, JAXTS_PLATFORMS: 'cpu' } });

test('seed: per-example gradient norms equal JAX 0.10.2 values', () => {
  const result = example('seed.mjs');
  expect(result.status).toBe(0);
  const norms = [...result.stdout.matchAll(/example \d: ([0-9.]+)/g)].map((m) => Number(m[1]));
  // jax.jit(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0))) on the same keys and shapes
  const jax = [14.470742, 13.915719, 16.683477, 11.768492, 16.535301, 16.150677, 17.116909, 17.59426];
  expect(norms).toHaveLength(8);
  norms.forEach((n, i) => expect(Math.abs(n - jax[i]!) / jax[i]!).toBeLessThan(1e-5));
  expect(result.stdout).toMatch(/loss 76\.2474/); // JAX: 76.24745
  expect(Number(/batch gradient\| = ([0-9.e+-]+)/.exec(result.stdout)![1])).toBeLessThan(1e-5);
}, 120_000);

test('mnist: three epochs of adam reach the 93% target with JAX losses', () => {
  const result = example('mnist.mjs', '--epochs', '3');
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.status).toBe(0);
  const losses = [...result.stdout.matchAll(/epoch +\d+ +loss ([0-9.]+)/g)].map((m) => Number(m[1]));
  // examples/mnist_jax.py with JAX 0.10.2 on the same machine: 0.5611, 0.2045, 0.1313
  expect(losses).toHaveLength(3);
  [0.5611, 0.2045, 0.1313].forEach((want, i) => expect(Math.abs(losses[i]! - want)).toBeLessThan(2e-3));
  expect(result.stdout).toMatch(/final test accuracy 9[3-9]\.\d\d% \(target 93%\): reached/);
}, 300_000);
