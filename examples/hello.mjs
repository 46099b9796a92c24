// The main job: find a PJRT backend, compile a StableHLO program and run it.
// Run with `npm start` (after `npm install`).
import { defaultBackend } from 'jaxts';

const backend = defaultBackend();
console.log(`${backend}`);
console.log('plugin:', backend.pluginPath);
console.log('devices:', backend.devices.map(String).join(', '));

const program = `module @hello attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  func.func public @main(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> (tensor<2x2xf32>, tensor<f32>) {
    %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
    %zero = stablehlo.constant dense<0.0> : tensor<f32>
    %1 = stablehlo.reduce(%0 init: %zero) applies stablehlo.add across dimensions = [0, 1] : (tensor<2x2xf32>, tensor<f32>) -> tensor<f32>
    return %0, %1 : tensor<2x2xf32>, tensor<f32>
  }
}`;

const t0 = performance.now();
const exe = await backend.compile(program);
console.log(`compiled in ${(performance.now() - t0).toFixed(1)} ms`);
const a = backend.bufferFromHost(new Float32Array([1, 2, 3, 4, 5, 6]), 'float32', [2, 3]);
const b = backend.bufferFromHost(new Float32Array([7, 8, 9, 10, 11, 12]), 'float32', [3, 2]);
const [product, total] = await exe.run([a, b]);
console.log('a @ b =', Array.from(await product.toHost()), 'shape', product.shape);
console.log('sum   =', (await total.toHost())[0]);
