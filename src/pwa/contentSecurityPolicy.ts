/**
 * The app's Content-Security-Policy, in one place. vite.config.ts puts it into the built index.html
 * (a meta tag), into `vite preview`'s headers and into `_headers` for static hosts.
 *
 * Every source is here because the built app needs it; nothing loads from another origin.
 */
const DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  // Module scripts from the app's own origin only: no inline script, no eval. WebAssembly compiles
  // (tfjs-backend-wasm, the training kernels) need 'wasm-unsafe-eval', which allows no JS eval.
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  // The import, training and ranking workers and the service worker are same-origin module scripts.
  'worker-src': ["'self'"],
  // Stylesheets are files (Svelte's CSS is extracted at build). No 'unsafe-inline': the styles the
  // code sets (virtua's virtual lists, uPlot) go through the CSSOM (element.style), which CSP allows.
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // The provisioned MovieLens files under datasets/ are served with the app; nothing is downloaded
  // from elsewhere.
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'media-src': ["'none'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'base-uri': ["'none'"],
  // Forms are handled by the page's code; none submits anywhere.
  'form-action': ["'none'"],
};

/** Directives a browser honours only from an HTTP header (in a meta tag they are ignored with a warning). */
const HEADER_ONLY: Record<string, string[]> = {
  'frame-ancestors': ["'none'"],
};

function serialise(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** For `<meta http-equiv="Content-Security-Policy">`. */
export const CSP_META = serialise(DIRECTIVES);
/** For the `Content-Security-Policy` response header. */
export const CSP_HEADER = serialise({ ...DIRECTIVES, ...HEADER_ONLY });

/**
 * Cross-origin isolation: with these two headers on the page, and every resource same-origin (as
 * here), the page gets SharedArrayBuffer, which training on several threads needs (one model in
 * shared memory, src/engine/training/trainingThreads.ts). Without them training uses one thread.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Response headers for every file of the app (preview server, `_headers` of static hosts). */
export const SECURITY_HEADERS: Record<string, string> = {
  ...CROSS_ORIGIN_ISOLATION_HEADERS,
  'Content-Security-Policy': CSP_HEADER,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
