// Runs a chapter page's C# cells in this tab: a Web Worker hosts .NET WebAssembly (run/descent-worker.js), started as
// the page loads; each code cell gets Run and Edit; the runner bar runs the chapter, stops a cell, restarts the state.
// window.descent.runAll() returns a promise of one result per code cell: { cell, ok, error, skipped, milliseconds, outputs }.
(function () {
    'use strict';
    var script = document.currentScript;
    var root = script.dataset.root;
    var assets = script.dataset.assets;
    var status = document.getElementById('descent-status');
    var runAllButton = document.getElementById('descent-run-all');
    var stopButton = document.getElementById('descent-stop');
    var restartButton = document.getElementById('descent-restart');
    var sections = Array.prototype.slice.call(document.querySelectorAll('section.cell.code'));
    var worker = null;
    var ready = null;
    var pending = new Map();
    var nextId = 0;
    var running = 0;

    function setStatus(text) { status.textContent = text; }

    function startWorker() {
        var startedAt = performance.now();
        worker = new Worker(root + 'run/descent-worker.js', { type: 'module' });
        ready = new Promise(function (resolve, reject) {
            worker.onmessage = function (event) {
                var message = event.data;
                if (message.type === 'ready') {
                    setStatus('C# is ready in this tab (started in ' + ((performance.now() - startedAt) / 1000).toFixed(1) + ' s).');
                    resolve(message);
                } else if (message.type === 'failed') {
                    setStatus('C# could not start in this tab: ' + message.message);
                    reject(new Error(message.message));
                } else if (pending.has(message.id)) {
                    pending.get(message.id).resolve(message);
                    pending.delete(message.id);
                }
            };
            worker.onerror = function (event) {
                var error = new Error('the C# runtime stopped: ' + (event.message || 'unknown error'));
                setStatus(error.message);
                reject(error);
                pending.forEach(function (p) { p.reject(error); });
                pending.clear();
            };
        });
        ready.then(function () { runAllButton.disabled = false; restartButton.disabled = false; }, function () {});
        return ready;
    }

    function request(message) {
        return ready.then(function () {
            return new Promise(function (resolve, reject) {
                var id = ++nextId;
                pending.set(id, { resolve: resolve, reject: reject });
                message.id = id;
                worker.postMessage(message);
            });
        });
    }

    function cellNumber(section) { return Number(section.id.replace('cell-', '')); }

    // Scripts inserted with innerHTML do not run; a chart's script must.
    function activateScripts(container) {
        container.querySelectorAll('script').forEach(function (old) {
            var fresh = document.createElement('script');
            Array.prototype.forEach.call(old.attributes, function (a) { fresh.setAttribute(a.name, a.value); });
            fresh.text = old.text;
            old.parentNode.replaceChild(fresh, old);
        });
        if (window.renderMathInElement) {
            container.querySelectorAll('.markdown').forEach(function (el) {
                window.renderMathInElement(el, { delimiters: [{ left: '\\[', right: '\\]', display: true }, { left: '\\(', right: '\\)', display: false }, { left: '$$', right: '$$', display: true }], throwOnError: false });
            });
        }
    }

    function setEditing(section, editing) {
        var editor = section.querySelector('textarea.cell-editor');
        var source = section.querySelector('pre.source');
        if (editing) {
            editor.rows = Math.max(3, editor.value.split('\n').length + 1);
            editor.hidden = false;
            source.hidden = true;
            editor.focus();
        } else if (!editor.hidden) {
            editor.hidden = true;
            source.hidden = false;
            request({ type: 'highlight', code: editor.value }).then(function (reply) {
                source.querySelector('code').innerHTML = reply.html;
            }, function () {});
        }
        section.querySelector('button.edit').textContent = editing ? 'Done' : 'Edit';
    }

    function runCell(section) {
        var editor = section.querySelector('textarea.cell-editor');
        var outputs = section.querySelector('.outputs');
        var state = section.querySelector('.run-status');
        var number = cellNumber(section);
        state.textContent = 'queued…';
        running++;
        stopButton.disabled = false;
        return request({ type: 'cell', code: editor.value, cell: number, assets: assets }).then(function (reply) {
            var result = reply.result;
            section.querySelector('.prompt.in').textContent = 'In [' + result.executionCount + ']:';
            outputs.innerHTML = result.html;
            activateScripts(outputs);
            state.textContent = (result.ok ? 'ran in ' : 'failed after ') + Math.round(result.milliseconds) + ' ms';
            section.classList.toggle('failed', !result.ok);
            return {
                cell: number, ok: result.ok, skipped: false, milliseconds: result.milliseconds, outputs: result.outputs,
                error: result.error ? result.error.name + ': ' + result.error.message + (result.error.line ? ' (cell line ' + result.error.line + ')' : '') : null
            };
        }, function (error) {
            state.textContent = 'stopped';
            return { cell: number, ok: false, skipped: false, milliseconds: 0, outputs: [], error: String(error.message || error) };
        }).finally(function () {
            running--;
            stopButton.disabled = running === 0;
        });
    }

    // Like Jupyter's Run All: in order, stopping at the first cell that fails.
    function runAll() {
        var results = [];
        var failed = false;
        runAllButton.disabled = true;
        var startedAt = performance.now();
        setStatus('Running the chapter…');
        return sections.reduce(function (previous, section) {
            return previous.then(function () {
                if (failed) {
                    results.push({ cell: cellNumber(section), ok: false, skipped: true, milliseconds: 0, outputs: [], error: null });
                    return;
                }
                setStatus('Running cell ' + cellNumber(section) + ' (' + (results.length + 1) + ' of ' + sections.length + ' code cells)…');
                return runCell(section).then(function (result) {
                    results.push(result);
                    failed = !result.ok;
                });
            });
        }, ready).then(function () {
            var seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
            setStatus(failed ? 'Stopped at a failing cell after ' + seconds + ' s.' : 'Ran every cell in ' + seconds + ' s.');
            runAllButton.disabled = false;
            return results;
        });
    }

    // Terminating the worker is the only way to stop code that does not yield; its variables go with it.
    function stop() {
        worker.terminate();
        var error = new Error('stopped: the C# state was reset; run the cells above again');
        pending.forEach(function (p) { p.reject(error); });
        pending.clear();
        setStatus('Stopped. Starting C# again…');
        return startWorker();
    }

    function restart() {
        return request({ type: 'reset' }).then(function () { setStatus('Restarted: no variables are defined.'); });
    }

    sections.forEach(function (section) {
        var bar = document.createElement('div');
        bar.className = 'run-bar';
        bar.innerHTML = '<button type="button" class="run">Run</button> <button type="button" class="edit">Edit</button> <span class="run-status"></span>';
        section.insertBefore(bar, section.querySelector('.outputs'));
        bar.querySelector('button.run').addEventListener('click', function () { runCell(section); });
        bar.querySelector('button.edit').addEventListener('click', function () {
            setEditing(section, section.querySelector('textarea.cell-editor').hidden);
        });
        section.querySelector('textarea.cell-editor').addEventListener('keydown', function (event) {
            if (event.key === 'Enter' && (event.shiftKey || event.ctrlKey)) {
                event.preventDefault();
                runCell(section);
            }
        });
    });
    runAllButton.addEventListener('click', function () { runAll(); });
    stopButton.addEventListener('click', function () { stop(); });
    restartButton.addEventListener('click', function () { restart(); });

    if (location.protocol === 'file:') {
        // Browsers do not start module workers from files on disk.
        setStatus('To run cells here, serve this folder over HTTP (e.g. python3 -m http.server) and open the page from there.');
        ready = Promise.reject(new Error('pages opened from disk cannot start the C# runtime'));
        ready.catch(function () {});
    } else {
        startWorker();
    }
    window.descent = { runAll: runAll, runCell: function (number) { return runCell(document.getElementById('cell-' + number)); }, stop: stop, restart: restart, ready: function () { return ready; } };
})();
