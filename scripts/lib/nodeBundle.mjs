// Shared by the Node benchmarks that run the project's TypeScript on worker_threads or carry it to
// another machine: one ES module per entry, with every dependency bundled in (so the folder runs
// where there is no node_modules), except the packages named in `external`.
import { resolve } from 'node:path';
import { build } from 'vite';
import { root } from './ssrModules.mjs';

/** Bundles `entries` ({ name: 'src/…ts' }) into `outDir` as `<name>.mjs`, emptying it first. */
export async function bundleForNode(entries, outDir, external = []) {
  await build({
    configFile: false,
    root,
    logLevel: 'error',
    publicDir: false,
    ssr: { noExternal: true },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      rollupOptions: {
        input: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, resolve(root, path)])),
        external,
        output: { format: 'es', entryFileNames: '[name].mjs' },
      },
    },
  });
}
