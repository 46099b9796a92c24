// Runs after `npm install` (and from `prepare`, once dist/ is built): fetches the pinned CPU PJRT
// plugin into the per-user cache unless it is there. It never fails the install: on any problem it
// says what to run and exits 0, and the library says the same again at first use.
import { existsSync } from 'node:fs';

const installer = new URL('../dist/runtime/install.js', import.meta.url);

async function main() {
  if (process.env.JAXTS_SKIP_PLUGIN_DOWNLOAD === '1') return;
  if (process.env.JAXTS_PLUGIN_CPU) return; // the user brings their own plugin
  if (!existsSync(installer)) return; // not built yet: `prepare` runs this again after tsc
  try {
    const { installPlugin } = await import(installer.href);
    await installPlugin('cpu'); // returns at once, without pip, when the plugin is cached
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // The reason already names the command to run and JAXTS_PLUGIN_CPU.
    console.error(`jaxts: the CPU PJRT plugin was not installed; npm install goes on.\n${reason}\n(JAXTS_SKIP_PLUGIN_DOWNLOAD=1 skips this step.)`);
  }
}

await main();
process.exit(0);
