// Live-array accounting (`memory()`), `tidy` scopes, and a GC safety net for forgotten arrays.
import type { DeviceBuffer } from '../runtime/device_buffer.js';

interface Entry {
  device: string;
  bytes: number;
}

const live = new Map<object, Entry>();
const collected = new FinalizationRegistry<object>((token) => live.delete(token));
const tokens = new WeakMap<object, object>();
const scopes: Set<{ dispose(): void }>[] = [];

export function trackArray(array: { dispose(): void }, buffer: DeviceBuffer): void {
  const token = {};
  tokens.set(array, token);
  live.set(token, { device: String(buffer.device), bytes: buffer.nbytes });
  collected.register(array, token, token);
  scopes.at(-1)?.add(array);
}

export function untrackArray(array: object, _buffer: DeviceBuffer): void {
  const token = tokens.get(array);
  if (!token) return;
  live.delete(token);
  collected.unregister(token);
  tokens.delete(array);
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
  for (const { device, bytes } of live.values()) {
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
