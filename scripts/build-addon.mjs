// Builds the native addon with node-gyp against the running Node's own headers, so that
// nothing is downloaded (node-gyp would otherwise fetch a headers tarball).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

function localNodeDir() {
  const candidates = [
    process.env.npm_config_nodedir,
    path.dirname(path.dirname(process.execPath)),
    '/usr',
    '/usr/local',
  ].filter(Boolean);
  for (const dir of candidates) {
    const header = path.join(dir, 'include', 'node', 'node_version.h');
    if (!existsSync(header)) continue;
    const text = readFileSync(header, 'utf8');
    const v = (name) => text.match(new RegExp(`#define ${name} (\\d+)`))?.[1];
    const version = `v${v('NODE_MAJOR_VERSION')}.${v('NODE_MINOR_VERSION')}.${v('NODE_PATCH_VERSION')}`;
    // Node-API is ABI-stable, so headers of the same major version suffice.
    if (version.split('.')[0] === process.version.split('.')[0]) return dir;
  }
  return null;
}

const nodedir = localNodeDir();
if (!nodedir) {
  console.error(
    `jaxts: cannot build the native addon: no Node ${process.version} headers found ` +
      `(looked for include/node/node_version.h under ${path.dirname(path.dirname(process.execPath))}, /usr, /usr/local). ` +
      'Install the headers of your Node (Debian: apt-get install libnode-dev or nodejs with headers) ' +
      'or set npm_config_nodedir to a Node source/headers directory.',
  );
  process.exit(1);
}
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const args = [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, `--jobs=max`];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('jaxts: building the native addon failed (see the compiler output above).');
  process.exit(result.status ?? 1);
}
