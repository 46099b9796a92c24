// The on-disk cache of compiled executables: serialized programs keyed by a hash of the
// plugin build, the compile options and the program text, so a restarted process (or the
// next test file) skips XLA compilation. Deserializing takes about a millisecond where
// compiling takes tens.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultCacheDir } from './discovery.js';

/** The cache folder, or null when disabled with JAXTS_COMPILATION_CACHE=0. */
export function compilationCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.JAXTS_COMPILATION_CACHE === '0') return null;
  return env.JAXTS_COMPILATION_CACHE_DIR ?? path.join(defaultCacheDir(env), 'executables');
}

export function diskKey(pluginIdentity: string, programKey: string): string {
  return createHash('sha256').update(pluginIdentity).update('\0').update(programKey).digest('hex');
}

export function readCached(key: string): Uint8Array | undefined {
  const dir = compilationCacheDir();
  if (!dir) return undefined;
  try {
    return readFileSync(path.join(dir, `${key}.bin`));
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only costs recompilation. */
export function writeCached(key: string, bytes: Uint8Array): void {
  const dir = compilationCacheDir();
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${key}.bin`);
    const temp = `${file}.tmp-${process.pid}`;
    writeFileSync(temp, bytes);
    renameSync(temp, file);
  } catch {
    // read-only home, full disk: carry on without the cache
  }
}
