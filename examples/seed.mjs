// The seed program: an MLP's loss, its gradient with jit(grad), and per-example gradients with
// jit(vmap(gradLoss, { inAxes: [null, 0, 0] })); prints each example's gradient norm.
// Run with `npm run seed` (after `npm install`).
import { grad, jit, numpy as jnp, random, tree, vmap } from 'jaxts';

function predict(params, inputs) {
  let outputs = inputs;
  for (const [W, b] of params) {
    outputs = jnp.dot(inputs, W).add(b);
    inputs = jnp.tanh(outputs);
  }
  return outputs;
}
const loss = (params, inputs, targets) => jnp.sum(predict(params, inputs).sub(targets).square());

const gradLoss = jit(grad(loss));
const perexGrads = jit(vmap(gradLoss, { inAxes: [null, 0, 0] }));

const sizes = [784, 512, 512, 10];
const batch = 8;
const keys = random.split(random.PRNGKey(0), sizes.length + 1);
const params = sizes.slice(0, -1).map((m, i) => [random.normal(keys.slice(i), [m, sizes[i + 1]]).mul(0.01), jnp.zeros([sizes[i + 1]])]);
const inputs = random.normal(keys.slice(sizes.length - 1), [batch, 784]);
const targets = random.normal(keys.slice(sizes.length), [batch, 10]);

let t0 = performance.now();
const grads = gradLoss(params, inputs, targets);
console.log(`loss ${loss(params, inputs, targets).item().toFixed(6)}; jit(grad(loss)) first call ${(performance.now() - t0).toFixed(0)} ms`);
console.log(`gradient shapes: ${tree.leaves(grads).map((g) => `[${g.shape}]`).join(' ')}`);

t0 = performance.now();
const perExample = perexGrads(params, inputs, targets);
const norms = jnp.sqrt(tree.leaves(perExample).map((g) => jnp.sum(g.reshape([batch, -1]).square(), 1)).reduce((a, b) => a.add(b)));
console.log(`per-example gradients (jit(vmap(gradLoss))) in ${(performance.now() - t0).toFixed(0)} ms; norms:`);
norms.tolistSync().forEach((n, i) => console.log(`  example ${i}: ${n.toFixed(6)}`));
// The per-example gradients add up to the batch gradient.
const summed = tree.map((g) => g.sum(0), perExample);
const gap = Math.max(...tree.leaves(summed).map((g, i) => jnp.max(jnp.abs(g.sub(tree.leaves(grads)[i]))).item()));
console.log(`max |sum of per-example gradients - batch gradient| = ${gap.toExponential(2)}`);
