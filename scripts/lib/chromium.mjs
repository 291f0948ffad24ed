// Debian's Chromium, as the browser tests and the benchmarks launch it (Playwright never downloads a browser here).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Needed as root in a container (no sandbox) and on a machine with a closed network (no background traffic).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
