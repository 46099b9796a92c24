// A logical mesh of devices with named axes, as jax.sharding.Mesh and jax.make_mesh.
import type { Device } from '../runtime/device.js';
import { devices as backendDevices } from '../runtime/registry.js';

export class Mesh {
  /** The devices in row-major order over the mesh axes. */
  readonly devices: readonly Device[];
  readonly shape: readonly number[];
  readonly axisNames: readonly string[];

  /** `devices` in row-major order of `shape`; one name per mesh axis. */
  constructor(devices: readonly Device[], shape: readonly number[], axisNames: readonly string[]) {
    if (shape.length !== axisNames.length) {
      throw new Error(`Mesh: the mesh shape ${JSON.stringify(shape)} and axis names ${JSON.stringify(axisNames)} must have the same length`);
    }
    if (new Set(axisNames).size !== axisNames.length) throw new Error(`Mesh: axis names must be unique, got ${JSON.stringify(axisNames)}`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== devices.length) throw new Error(`Mesh: a mesh of shape ${JSON.stringify(shape)} needs ${size} devices, got ${devices.length}`);
    if (new Set(devices).size !== devices.length) throw new Error('Mesh: a device appears twice');
    this.devices = [...devices];
    this.shape = [...shape];
    this.axisNames = [...axisNames];
  }

  get size(): number {
    return this.devices.length;
  }

  /** The size of the named mesh axis. */
  axisSize(name: string): number {
    const i = this.axisNames.indexOf(name);
    if (i < 0) throw new Error(`Resource axis: ${name} of the partition spec is not found in mesh: ${JSON.stringify(this.axisNames)}.`);
    return this.shape[i]!;
  }

  /** The mesh coordinates of the device at flat position `p`. */
  coords(p: number): number[] {
    const out = new globalThis.Array<number>(this.shape.length);
    for (let d = this.shape.length - 1; d >= 0; d--) {
      out[d] = p % this.shape[d]!;
      p = Math.floor(p / this.shape[d]!);
    }
    return out;
  }

  toString(): string {
    return `Mesh(${this.axisNames.map((n, i) => `'${n}': ${this.shape[i]}`).join(', ')})`;
  }
}

/** `makeMesh([2, 2], ['x', 'y'])`: the first devices of the default backend (or `devices`) arranged as a mesh. */
export function makeMesh(shape: readonly number[], axisNames: readonly string[], options: { devices?: readonly Device[] } = {}): Mesh {
  const pool = options.devices ?? backendDevices();
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > pool.length) throw new Error(`makeMesh: the mesh shape ${JSON.stringify(shape)} needs ${size} devices, but only ${pool.length} are available`);
  return new Mesh(pool.slice(0, size), shape, axisNames);
}
