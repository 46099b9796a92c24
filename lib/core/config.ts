// Global configuration, as `jax.config`: `config.update('enableX64', true)`.

export interface ConfigValues {
  /** 64-bit types (int64, float64, ...) instead of their 32-bit defaults. Default false. */
  enableX64: boolean;
  /** Log every jit cache miss with its reason. Default false. */
  explainCacheMisses: boolean;
}

const values: ConfigValues = {
  enableX64: ['1', 'true', 'True'].includes(process.env.JAXTS_ENABLE_X64 ?? process.env.JAX_ENABLE_X64 ?? ''),
  explainCacheMisses: false,
};

export const config = {
  get enableX64(): boolean {
    return values.enableX64;
  },
  get explainCacheMisses(): boolean {
    return values.explainCacheMisses;
  },
  /** Sets a configuration value; an unknown name is an error naming it. */
  update<K extends keyof ConfigValues>(name: K, value: ConfigValues[K]): void {
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      throw new Error(`Unrecognized config option: ${String(name)} (known: ${Object.keys(values).join(', ')})`);
    }
    if (typeof value !== typeof values[name]) {
      throw new TypeError(`config.update('${String(name)}', ...): expected a ${typeof values[name]}, got ${typeof value}`);
    }
    values[name] = value;
  },
  /** Runs `fn` with some values changed, restoring them afterwards (also for async functions). */
  with<T>(changes: Partial<ConfigValues>, fn: () => T): T {
    const saved = { ...values };
    Object.assign(values, changes);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      Object.assign(values, saved);
      throw error;
    }
    if (result instanceof Promise) {
      return result.finally(() => Object.assign(values, saved)) as T;
    }
    Object.assign(values, saved);
    return result;
  },
};
