// The course's .NET runtime, off the page's thread. The page creates this worker as it loads, so the runtime, the
// library and the compiler are downloaded and started before the reader runs a first cell; then it runs the cells it is
// sent, one at a time, in order. Stopping a cell is terminating this worker (the page starts a new one).
import { dotnet } from './_framework/dotnet.js';

// The site keeps one gzip copy of each runtime file (any static host then serves it compressed) and this worker keeps
// what it fetched in the Cache API (file names carry a content hash, so a cached file is never stale).
const cacheName = 'descent-runtime';
function loadResource(type, name, defaultUri) {
    // JavaScript modules are imported as they are (and the runtime wants their URL, not a promise).
    return type === 'dotnetjs' || name.endsWith('.js') ? defaultUri : loadCompressed(type, name, defaultUri);
}

async function loadCompressed(type, name, defaultUri) {
    const url = new URL(defaultUri + '.gz', self.location.href).href;
    const cache = self.caches ? await self.caches.open(cacheName).catch(() => null) : null;
    let response = cache ? await cache.match(url) : undefined;
    if (!response) {
        const fetched = await fetch(url);
        if (!fetched.ok) {
            throw new Error(`${url}: HTTP ${fetched.status}`);
        }
        const bytes = await new Response(fetched.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
        const contentType = name.endsWith('.wasm') && type === 'dotnetwasm' ? 'application/wasm' : 'application/octet-stream';
        response = new Response(bytes, { headers: { 'content-type': contentType } });
        if (cache) {
            await cache.put(url, response.clone()).catch(() => {});
        }
    }
    return response;
}

const started = performance.now();
let runtime;
const ready = (async () => {
    const { getAssemblyExports, getConfig } = await dotnet.withResourceLoader(loadResource).create();
    const exports = await getAssemblyExports(getConfig().mainAssemblyName);
    runtime = exports.Descent.Browser.CourseRuntime;
    const start = JSON.parse(await runtime.StartAsync(new URL('references.zip', import.meta.url).href));
    // Compile and run a first cell now, so the reader's first cell does not pay for warming the compiler up.
    await runtime.RunCellAsync('1', 0, '');
    runtime.Reset();
    return { startMilliseconds: performance.now() - started, referencesMilliseconds: start.milliseconds, references: start.references };
})();

ready.then(
    (info) => postMessage({ type: 'ready', ...info }),
    (error) => postMessage({ type: 'failed', message: String((error && error.stack) || error) }));

let queue = Promise.resolve();
onmessage = (event) => {
    const request = event.data;
    queue = queue.then(async () => {
        try {
            await ready;
        } catch {
            return; // 'failed' was posted
        }
        if (request.type === 'reset') {
            runtime.Reset();
            postMessage({ type: 'reset', id: request.id });
            return;
        }
        if (request.type === 'highlight') {
            postMessage({ type: 'highlight', id: request.id, html: runtime.Highlight(request.code) });
            return;
        }
        const result = JSON.parse(await runtime.RunCellAsync(request.code, request.cell, request.assets));
        postMessage({ type: 'result', id: request.id, result });
    });
};
