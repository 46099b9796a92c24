// Create/execute/dispose cycles must keep RSS bounded. Usage: node bench/churn.mjs [cycles] [dispose|gc]
// With `gc`, nothing is disposed: the garbage collector's finalizers must free the buffers.
// Prints RSS (MiB) at intervals and the growth over the second half of the run.
import { getBackend } from '../dist/index.js';

const cycles = Number(process.argv[2] ?? 100000);
const mode = process.argv[3] ?? 'dispose';
const backend = getBackend('cpu');
const exe = backend.compileSync(`module @churn attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  func.func public @main(%x: tensor<256xf32>) -> tensor<256xf32> {
    %0 = stablehlo.multiply %x, %x : tensor<256xf32>
    return %0 : tensor<256xf32>
  }
}`);
const host = new Float32Array(256).fill(1.5);
const mib = () => process.memoryUsage().rss / 2 ** 20;
const samples = [];
const start = performance.now();
for (let i = 1; i <= cycles; i++) {
  const x = backend.bufferFromHost(host, 'float32', [256]);
  const [y] = exe.executeSync([x]);
  if (i % 1000 === 0) await y.toHost(); // also exercise async readback
  if (mode === 'dispose') {
    x.dispose();
    y.dispose();
  }
  if (i % (cycles / 10) === 0) samples.push(+mib().toFixed(1));
}
const seconds = (performance.now() - start) / 1000;
const half = samples[Math.floor(samples.length / 2) - 1];
console.log(JSON.stringify({ cycles, mode, seconds: +seconds.toFixed(1), rssMiB: samples, growthSecondHalfMiB: +(samples.at(-1) - half).toFixed(1) }));
process.exit(0);
