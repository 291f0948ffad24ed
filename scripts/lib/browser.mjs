// Shared by the benchmark scripts: serve the production build and drive Debian's Chromium.
import { execSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The benchmarks' own production build, apart from dist/ (which `npm test` rebuilds): a benchmark
 * series keeps running on one build while the tests run beside it.
 */
export const BENCH_BUILD = 'dist-bench';

/**
 * Builds the app into BENCH_BUILD when there is no build yet (or REEL_REBUILD is set), then serves it on a free port.
 * `files` (url path → file path) are streamed from disk by the same server: same-origin (CSP, COEP) and of any size
 * (a 650 MB ratings file cannot go through Playwright's route.fulfill, which holds the body in one string).
 */
export async function serveBuild(files = new Map()) {
  if (!existsSync(join(root, BENCH_BUILD, 'index.html')) || process.env.REEL_REBUILD) {
    execSync(`npx vite build --outDir ${BENCH_BUILD} --emptyOutDir`, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const serveFiles = {
    name: 'reel-bench-files',
    configurePreviewServer(previewServer) {
      previewServer.middlewares.use((req, res, next) => {
        const path = files.get(new URL(req.url ?? '/', 'http://x').pathname);
        if (!path) return next();
        res.setHeader('Content-Type', 'text/plain');
        res.setHeader('Content-Length', statSync(path).size);
        createReadStream(path).pipe(res);
      });
    },
  };
  const server = await preview({
    root,
    plugins: [serveFiles],
    build: { outDir: BENCH_BUILD },
    preview: { port: 0, host: '127.0.0.1' },
    logLevel: 'silent',
  });
  const address = server.httpServer.address();
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

export async function launchChromium(extraArgs = []) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  return browser;
}

/** Resident memory (MB) of the renderer processes of the browser this process launched: the tabs and their workers. */
export function rendererMemoryMb() {
  const procs = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      procs.push({ pid: Number(pid), ppid, cmd, rss });
    } catch {
      // The process ended while we looked.
    }
  }
  // Every process descending from this Node process (the browser may sit under Debian's wrapper script).
  const tree = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) if (!tree.has(p.pid) && tree.has(p.ppid)) (tree.add(p.pid), (grew = true));
  }
  return (
    procs
      .filter((p) => tree.has(p.pid) && p.cmd.some((a) => a.includes('--type=renderer') && !a.includes('--top-chrome-webui')))
      .reduce((s, p) => s + p.rss, 0) / 1024
  );
}
