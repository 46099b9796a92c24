// Round-trip latency of a tiny program through the addon, next to the same loop in C++
// straight against PJRT (bench/native/roundtrip.cc). Usage:
//   node bench/roundtrip.mjs [iterations] [platform]
// Prints one JSON line with medians (µs) and the ratio to the native loop.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend } from '../dist/index.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const iterations = Number(process.argv[2] ?? 20000);
const platform = process.argv[3] ?? 'cpu';
const backend = getBackend(platform);

const text = `module @bench attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  func.func public @main(%x: tensor<8xf32>) -> tensor<8xf32> {
    %one = stablehlo.constant dense<1.0> : tensor<8xf32>
    %0 = stablehlo.add %x, %one : tensor<8xf32>
    return %0 : tensor<8xf32>
  }
}`;
const exe = backend.compileSync(text);
const x = backend.bufferFromHost(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]), 'float32', [8]);

const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
// Samples are batches of 100 round trips, so the timer's own cost does not count.
const BATCH = 100;
async function measure(label, step, isAsync) {
  for (let i = 0; i < Math.min(2000, iterations); i++) isAsync ? await step() : step(); // warm up
  const samples = [];
  for (let i = 0; i < iterations / BATCH; i++) {
    const t0 = performance.now();
    if (isAsync) for (let k = 0; k < BATCH; k++) await step();
    else for (let k = 0; k < BATCH; k++) step();
    samples.push(((performance.now() - t0) * 1000) / BATCH);
  }
  return [label, +median(samples).toFixed(3)];
}

const results = Object.fromEntries([
  await measure('async_us', async () => {
    const { outputs, done } = exe.dispatch([x]);
    await done;
    outputs[0].dispose();
  }, true),
  await measure('sync_us', () => {
    exe.executeSync([x])[0].dispose();
  }, false),
]);

// The native baseline, built from source beside the project.
const buildDir = path.join(root, 'bench', 'native', 'build');
mkdirSync(buildDir, { recursive: true });
const binary = path.join(buildDir, 'roundtrip');
execFileSync('g++', ['-O2', '-std=c++17', '-o', binary, path.join(root, 'bench', 'native', 'roundtrip.cc'), '-ldl']);
const native = JSON.parse(
  execFileSync(binary, [backend.pluginPath, String(iterations), platform], { stdio: ['ignore', 'pipe', 'ignore'] }).toString(),
);
console.log(
  JSON.stringify({
    platform,
    device: String(backend.devices[0]),
    iterations,
    native_us: native.median_us,
    ...results,
    ratio_async: +(results.async_us / native.median_us).toFixed(2),
    ratio_sync: +(results.sync_us / native.median_us).toFixed(2),
  }),
);
process.exit(0);
