// Several CPU devices (the plugin's cpu_device_count): placement and multi-device programs.
import { cpuBackend, numbers, program } from './helpers.js';

const backend = cpuBackend(4);
const negText = program('(%x: tensor<3xf32>) -> tensor<3xf32>', '    %0 = stablehlo.negate %x : tensor<3xf32>\n    return %0 : tensor<3xf32>');

describe('four CPU devices', () => {
  test('the client reports four devices with ids, kinds and JAX-style names', () => {
    expect(backend.devices.map((d) => d.id)).toEqual([0, 1, 2, 3]);
    expect(backend.devices.map((d) => d.kind)).toEqual(['cpu', 'cpu', 'cpu', 'cpu']);
    expect(backend.devices.map(String)).toEqual(['CpuDevice(id=0)', 'CpuDevice(id=1)', 'CpuDevice(id=2)', 'CpuDevice(id=3)']);
    expect(backend.devices[0]!.memoryStats()).toBeNull(); // the CPU plugin reports none
  });

  test('a program compiled for device 3 runs there and its result lives there', async () => {
    const exe = await backend.compile(negText, { deviceAssignment: [[3]] });
    expect(exe.devices.map((d) => d.id)).toEqual([3]);
    const x = backend.bufferFromHost(new Float32Array([1, -2, 3]), 'float32', [3], 3);
    expect(x.native.deviceIndex).toBe(3);
    const [out] = await exe.run([x]);
    expect(out!.device.id).toBe(3);
    expect(out!.native.deviceIndex).toBe(3); // where PJRT says the buffer is
    expect(numbers(await out!.toHost())).toEqual([-1, 2, -3]);
  });

  test('an argument on the wrong device is rejected with both devices named', async () => {
    const exe = await backend.compile(negText, { deviceAssignment: [[2]] });
    const x = backend.bufferFromHost(new Float32Array([1, 2, 3]), 'float32', [3], 0);
    expect(() => exe.execute([x])).toThrow('execute: argument 0 lives on CpuDevice(id=0) but the program runs on CpuDevice(id=2)');
  });

  test('a replicated program runs on all four devices with a cross-replica sum', async () => {
    const text = program(
      '(%x: tensor<2xf32>) -> tensor<2xf32>',
      `    %0 = "stablehlo.all_reduce"(%x) ({
    ^bb0(%a: tensor<f32>, %b: tensor<f32>):
      %s = stablehlo.add %a, %b : tensor<f32>
      stablehlo.return %s : tensor<f32>
    }) {replica_groups = dense<[[0, 1, 2, 3]]> : tensor<1x4xi64>} : (tensor<2xf32>) -> tensor<2xf32>
    return %0 : tensor<2xf32>`,
      'mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 4 : i32',
    );
    const exe = await backend.compile(text, { numReplicas: 4, deviceAssignment: [[0], [1], [2], [3]] });
    expect(exe.devices.map((d) => d.id)).toEqual([0, 1, 2, 3]);
    const args = backend.devices.map((d, i) => [backend.bufferFromHost(new Float32Array([i, 10 * i]), 'float32', [2], d)]);
    const { outputs, done } = exe.dispatchSharded(args);
    await done;
    expect(outputs.map((row) => row[0]!.device.id)).toEqual([0, 1, 2, 3]);
    for (const row of outputs) expect(numbers(await row[0]!.toHost())).toEqual([6, 60]);
    expect(() => exe.execute(args[0]!)).toThrow('this program runs on 4 devices; use executeSharded');
  });
});
