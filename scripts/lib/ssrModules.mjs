// Shared by the Node benchmark scripts: the project's TypeScript modules through Vite's SSR module
// loader (no build step), and `--name value` arguments.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `use(load)` with `load('/src/…ts')` importing project modules; closes the loader afterwards. */
export async function withSsrModules(use) {
  const vite = await createServer({
    configFile: false,
    root,
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: 'custom',
    optimizeDeps: { noDiscovery: true, include: [] },
    logLevel: 'error',
  });
  try {
    return await use((path) => vite.ssrLoadModule(path));
  } finally {
    await vite.close();
  }
}

/** `--a 1 --b x` → { a: '1', b: 'x' }. */
export function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i += 2) flags[argv[i].replace(/^--/, '')] = argv[i + 1];
  return flags;
}
