#!/usr/bin/env python3
"""The app's bench and backend probe in Chromium on a lent GPU machine, which has Python but no Node or npm.

`npm run bench` and scripts/probe-backends.mjs drive Chromium through Playwright and serve the build with
Vite; neither is on those machines, and Node with Playwright does not fit beside Chromium in what a call
can carry. This does the same with the standard library alone: an HTTP server for the built pages (with
the headers of the build's own `_headers`, so the page is cross-origin isolated as the app is) and the
Chrome DevTools Protocol over --remote-debugging-pipe (JSON messages ending in NUL, on the browser's
fds 3 and 4). The pages are the same: the bench page reads window.__REEL_BENCH__ (src/bench/benchConfig.ts)
and prints REEL_BENCH lines; the probe page answers window.runProbe (scripts/probe/probe.ts).

  browser_bench.py --chrome PATH --args-json FILE [--flag F ...] info
  browser_bench.py ... probe --site DIR --backends fused,webgl,webgpu --batches 1024,8192 [--ms 1500] [--users 6040 --items 3706]
  browser_bench.py ... bench --site DIR --ncf PREFIX [--backend auto] [--epochs N] [--seed S] [--threads N]

Every result is one JSON line on stdout; the browser's own messages go to stderr.
"""
import argparse
import fcntl
import http.server
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time

# What `info` asks of a page: the WebGL renderer (unmasked, as the app's gpuDetection reads it) and the WebGPU adapter.
GPU_INFO_SCRIPT = """(async () => {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  const debug = gl && gl.getExtension('WEBGL_debug_renderer_info');
  const webgl = gl ? gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : null;
  let webgpu = null;
  if (navigator.gpu) {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) webgpu = { vendor: adapter.info.vendor, architecture: adapter.info.architecture, description: adapter.info.description, device: adapter.info.device };
  }
  return { webgl, webgpu, cores: navigator.hardwareConcurrency, isolated: self.crossOriginIsolated };
})()"""


def build_headers(site):
    """The headers the build asks its host for (the `/*` block of its _headers), or none."""
    path = os.path.join(site, '_headers')
    headers = []
    if os.path.exists(path):
        for line in open(path):
            if line.startswith(' ') and ':' in line:
                name, value = line.strip().split(':', 1)
                headers.append((name.strip(), value.strip()))
    return headers


def serve(site, data_files):
    """Serves `site` on a free port of 127.0.0.1, with data_files (url path -> file) beside it. Returns the base URL."""
    headers = build_headers(site)
    if not any(name.lower() == 'cross-origin-embedder-policy' for name, _ in headers):
        headers += [('Cross-Origin-Opener-Policy', 'same-origin'), ('Cross-Origin-Embedder-Policy', 'require-corp')]

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {'.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
                          '.html': 'text/html', '.css': 'text/css', '.json': 'application/json',
                          '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png'}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=site, **kwargs)

        def translate_path(self, path):
            data = data_files.get(path.split('?')[0])
            return data if data else super().translate_path(path)

        def end_headers(self):
            for name, value in headers:
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f'http://127.0.0.1:{server.server_address[1]}/'


class Browser:
    """Chromium driven over the DevTools protocol on a pipe: call() sends a command and waits for its answer."""

    def __init__(self, chrome, args):
        to_chrome_read, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_write = os.pipe()

        def as_fds_3_and_4():
            # Moved above 4 first, so that neither dup2 overwrites the other's source.
            a = fcntl.fcntl(to_chrome_read, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_chrome_write, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.profile = tempfile.mkdtemp(prefix='reel-chrome-')
        command = [chrome, '--headless', '--remote-debugging-pipe', f'--user-data-dir={self.profile}', *args, 'about:blank']
        print(f'launch: {" ".join(command)}', file=sys.stderr)
        self.process = subprocess.Popen(command, preexec_fn=as_fds_3_and_4, pass_fds=(3, 4), stdout=sys.stderr)
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self.next_id = 0
        self.answers = {}
        self.answered = threading.Condition()
        self.events = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b''
        while True:
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                self.events.put({'method': 'closed'})
                with self.answered:
                    self.answered.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b'\0')
            for raw in messages:
                message = json.loads(raw)
                if 'id' in message:
                    with self.answered:
                        self.answers[message['id']] = message
                        self.answered.notify_all()
                else:
                    self.events.put(message)

    def call(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        key = self.next_id
        message = {'id': key, 'method': method, 'params': params or {}}
        if session:
            message['sessionId'] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b'\0')
        deadline = time.time() + timeout
        with self.answered:
            while key not in self.answers:
                if self.process.poll() is not None:
                    raise RuntimeError(f'{method}: the browser exited ({self.process.returncode})')
                if not self.answered.wait(timeout=max(0.0, deadline - time.time())) and time.time() >= deadline:
                    raise TimeoutError(f'{method}: no answer in {timeout} s')
            answer = self.answers.pop(key)
        if 'error' in answer:
            raise RuntimeError(f'{method}: {answer["error"]}')
        return answer.get('result', {})

    def page(self):
        """A session on the first tab, with console messages reported as events."""
        targets = self.call('Target.getTargets')['targetInfos']
        target = next(t for t in targets if t['type'] == 'page')
        session = self.call('Target.attachToTarget', {'targetId': target['targetId'], 'flatten': True})['sessionId']
        self.call('Runtime.enable', session=session)
        self.call('Page.enable', session=session)
        return session

    def evaluate(self, session, expression, timeout=60):
        result = self.call('Runtime.evaluate', {'expression': expression, 'awaitPromise': True, 'returnByValue': True},
                           session=session, timeout=timeout)
        if 'exceptionDetails' in result:
            raise RuntimeError(json.dumps(result['exceptionDetails'])[:2000])
        return result['result'].get('value')

    def close(self):
        try:
            self.call('Browser.close', timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def console_text(event):
    return ' '.join(str(a.get('value', a.get('description', ''))) for a in event['params'].get('args', []))


def emit(line):
    print(json.dumps(line), flush=True)


def run_info(browser, site):
    session = browser.page()
    url = serve(site, {}) if site else 'about:blank'
    browser.call('Page.navigate', {'url': url}, session=session)
    wait_for_event(browser, 'Page.loadEventFired', 30)  # evaluate in the new document, not about:blank
    emit({'info': browser.evaluate(session, GPU_INFO_SCRIPT)})


def wait_for_event(browser, method, seconds):
    """Waits for the browser's next `method` event; the console messages before it go to stderr."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            event = browser.events.get(timeout=1)
        except queue.Empty:
            continue
        if event.get('method') == method:
            return event
        if event.get('method') == 'Runtime.consoleAPICalled':
            print(f'console: {console_text(event)}', file=sys.stderr)
    raise TimeoutError(f'no {method} in {seconds} s')


def run_probe(browser, options):
    url = serve(options.site, {})
    for backend in options.backends.split(','):
        session = browser.page()
        browser.call('Page.navigate', {'url': url}, session=session)
        deadline = time.time() + 30
        while not browser.evaluate(session, "typeof window.runProbe === 'function'"):
            if time.time() > deadline:
                raise TimeoutError('the probe page did not load')
            time.sleep(0.1)
        request = {'backend': backend, 'batchSizes': [int(b) for b in options.batches.split(',')],
                   'milliseconds': options.ms, 'numUsers': options.users, 'numItems': options.items, 'flags': {}}
        try:
            report = browser.evaluate(session, f'window.runProbe({json.dumps(request)})', timeout=options.timeout)
        except Exception as error:
            report = {'requested': backend, 'error': str(error)}
        emit({'probe': report})
        drain_console(browser)


def drain_console(browser):
    while not browser.events.empty():
        event = browser.events.get()
        if event.get('method') == 'Runtime.consoleAPICalled':
            print(f'console: {console_text(event)}', file=sys.stderr)


def run_bench(browser, options):
    files = {'/__bench_data/train': f'{options.ncf}.train.rating', '/__bench_data/test': f'{options.ncf}.test.rating',
             '/__bench_data/negative': f'{options.ncf}.test.negative'}
    url = serve(options.site, files)
    settings = {key: value for key, value in
                {'epochs': options.epochs, 'seed': options.seed, 'threads': options.threads, 'batchSize': options.batch}.items()
                if value is not None}
    config = {'data': {'kind': 'ncf', 'train': '/__bench_data/train', 'test': '/__bench_data/test', 'negative': '/__bench_data/negative'},
              'model': {'kind': 'neumf', 'settings': settings, 'paper': False, 'backend': options.backend},
              'maxFullUsers': None}
    session = browser.page()
    browser.call('Page.addScriptToEvaluateOnNewDocument', {'source': f'window.__REEL_BENCH__ = {json.dumps(config)};'}, session=session)
    browser.call('Page.navigate', {'url': f'{url}?bench'}, session=session)
    deadline = time.time() + options.timeout
    while time.time() < deadline:
        try:
            event = browser.events.get(timeout=1)
        except queue.Empty:
            continue
        method = event.get('method')
        if method == 'closed':
            raise RuntimeError('the browser closed')
        if method == 'Runtime.exceptionThrown':
            raise RuntimeError(json.dumps(event['params']['exceptionDetails'])[:2000])
        if method != 'Runtime.consoleAPICalled':
            continue
        text = console_text(event)
        if text == 'REEL_BENCH_DONE':
            return
        if text.startswith('REEL_BENCH_INFO '):
            emit({'info': text[len('REEL_BENCH_INFO '):]})
        elif text.startswith('REEL_BENCH '):
            line = json.loads(text[len('REEL_BENCH '):])
            emit(line)
            if 'error' in line:
                raise RuntimeError(line['error'])
        else:
            print(f'console: {text}', file=sys.stderr)
    raise TimeoutError(f'the bench did not finish in {options.timeout} s')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--chrome', required=True)
    parser.add_argument('--args-json', required=True, help="the launch arguments of scripts/lib/chromium.mjs, as JSON")
    parser.add_argument('--flag', action='append', default=[], help='one more Chromium flag (repeatable)')
    parser.add_argument('--timeout', type=float, default=300)
    modes = parser.add_subparsers(dest='mode', required=True)
    info = modes.add_parser('info')
    info.add_argument('--site')
    probe = modes.add_parser('probe')
    probe.add_argument('--site', required=True)
    probe.add_argument('--backends', default='fused,webgl,webgpu')
    probe.add_argument('--batches', default='1024,8192,32768')
    probe.add_argument('--ms', type=int, default=1500)
    probe.add_argument('--users', type=int, default=6040)
    probe.add_argument('--items', type=int, default=3706)
    bench = modes.add_parser('bench')
    bench.add_argument('--site', required=True)
    bench.add_argument('--ncf', required=True, help='split path prefix: PREFIX.train.rating, .test.rating, .test.negative')
    bench.add_argument('--backend', default='auto')
    for name in ('epochs', 'seed', 'threads', 'batch'):
        bench.add_argument(f'--{name}', type=int)
    options = parser.parse_args()
    # `timeout` stops this with SIGTERM: leave through `finally`, which closes the browser, rather than orphan it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))

    browser = Browser(options.chrome, json.load(open(options.args_json)) + options.flag)
    try:
        if options.mode == 'info':
            run_info(browser, options.site)
        elif options.mode == 'probe':
            run_probe(browser, options)
        else:
            run_bench(browser, options)
    except Exception as error:
        emit({'error': str(error)})
        sys.exit(1)
    finally:
        drain_console(browser)
        browser.close()


if __name__ == '__main__':
    main()
