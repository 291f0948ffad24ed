/**
 * Ports of the two preview servers the browser tests use (playwright.config.ts). Set REEL_TEST_PORT to run the
 * suites of two checkouts side by side: the sub-path server takes the next port.
 */
export const APP_PORT = Number(process.env.REEL_TEST_PORT ?? 4173);
export const SUBPATH_PORT = APP_PORT + 1;
