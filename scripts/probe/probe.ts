/**
 * Page side of scripts/probe-backends.mjs: runs one worker per request and hands its report
 * to the runner through `window.runProbe`.
 */
import type { ProbeReport, ProbeRequest } from './probe.worker';

declare global {
  interface Window {
    runProbe(request: ProbeRequest): Promise<ProbeReport>;
  }
}

window.runProbe = (request) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./probe.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ log?: string; report?: ProbeReport }>) => {
      if (event.data.log) console.log(event.data.log);
      if (event.data.report) {
        worker.terminate();
        resolve(event.data.report);
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || 'worker error'));
    };
    worker.postMessage(request);
  });
