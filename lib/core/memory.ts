// Live-array accounting (`memory()`), `tidy` scopes, and a GC safety net for forgotten arrays.
import type { DeviceBuffer } from '../runtime/device_buffer.js';

export interface Entry {
  device: string;
  bytes: number;
}

// The entry itself is the registry's token (held strongly by `live`, weakly by the registry), so
// tracking an array costs one Map insertion and one registration.
const live = new Set<Entry>();
const collected = new FinalizationRegistry<Entry>((entry) => live.delete(entry));
const scopes: Set<{ dispose(): void }>[] = [];
const deviceNames = new WeakMap<object, string>();

/** Counts `array` as live until `untrackArray` or garbage collection; returns its entry. */
export function trackArray(array: { dispose(): void }, buffer: DeviceBuffer): Entry {
  let device = deviceNames.get(buffer.device);
  if (device === undefined) deviceNames.set(buffer.device, (device = String(buffer.device)));
  const entry: Entry = { device, bytes: buffer.nbytes };
  live.add(entry);
  collected.register(array, entry, entry);
  scopes.at(-1)?.add(array);
  return entry;
}

export function untrackArray(entry: Entry | undefined): void {
  if (!entry || !live.delete(entry)) return;
  collected.unregister(entry);
}

export interface MemoryReport {
  /** Live arrays with device data. */
  numArrays: number;
  numBytes: number;
  byDevice: Record<string, { numArrays: number; numBytes: number }>;
}

/** Live arrays and their bytes, per device. */
export function memory(): MemoryReport {
  const report: MemoryReport = { numArrays: 0, numBytes: 0, byDevice: {} };
  for (const { device, bytes } of live) {
    report.numArrays++;
    report.numBytes += bytes;
    const d = (report.byDevice[device] ??= { numArrays: 0, numBytes: 0 });
    d.numArrays++;
    d.numBytes += bytes;
  }
  return report;
}

/**
 * Runs `fn` and disposes every array it created that is not part of its result (any pytree
 * of arrays). Works for async functions too: the scope closes when the promise settles,
 * so do not run unrelated array code concurrently inside it.
 */
export function tidy<T>(fn: () => T, keep: (result: T) => Iterable<object> = defaultKeep): T {
  const scope = new Set<{ dispose(): void }>();
  scopes.push(scope);
  const close = (result: T | undefined, failed: boolean) => {
    const index = scopes.lastIndexOf(scope);
    if (index >= 0) scopes.splice(index, 1);
    const kept = new Set<object>(failed ? [] : keep(result as T));
    for (const array of scope) {
      if (kept.has(array)) scopes.at(-1)?.add(array); // survives into the enclosing scope
      else array.dispose();
    }
  };
  let result: T;
  try {
    result = fn();
  } catch (error) {
    close(undefined, true);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        close(value as T, false);
        return value;
      },
      (error: unknown) => {
        close(undefined, true);
        throw error;
      },
    ) as T;
  }
  close(result, false);
  return result;
}

function defaultKeep(result: unknown): Iterable<object> {
  const out: object[] = [];
  const visit = (x: unknown) => {
    if (x === null || typeof x !== 'object') return;
    if (globalThis.Array.isArray(x)) x.forEach(visit);
    else if (Object.getPrototypeOf(x) === Object.prototype) Object.values(x).forEach(visit);
    else out.push(x);
  };
  visit(result);
  return out;
}
