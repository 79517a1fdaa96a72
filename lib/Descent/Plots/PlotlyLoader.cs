// This file is compiled into both the library (lib/Descent) and the notebook engine (lib/Descent.Notebooks, as a
// linked file): every piece of chart HTML either of them emits loads plotly.js through this one loader.
namespace Descent.Plots;

/// <summary>
/// The one way the course's HTML gets plotly.js, wherever the HTML is shown: the page's global <c>Plotly</c> when
/// it has one (the course site), else require.js when the page has it (classic Notebook, JupyterLab's HTML outputs),
/// else a script tag loading plotly.js from its CDN once per page (VS Code's output renderers, a bare HTML file).
/// require.js waits for plotly.js (3.6 MB) as long as it takes (its default gives up after 7 s, too soon on a slow
/// link or a busy machine); a failed load is still reported.
/// </summary>
internal static class PlotlyLoader
{
    /// <summary>The CDN address of plotly.js <paramref name="version"/>, without <c>.js</c> (require.js adds it).</summary>
    public static string CdnModule(string version) => $"https://cdn.plot.ly/plotly-{version}.min";

    /// <summary>
    /// A script body that calls <paramref name="drawFunction"/> (JavaScript: <c>function (Plotly) { … }</c>) with
    /// plotly.js once it is available. A CDN load that fails writes the reason into the element
    /// <paramref name="elementId"/> instead of failing silently.
    /// </summary>
    /// <param name="version">The plotly.js version the figure was written for, e.g. 2.28.0.</param>
    /// <param name="elementId">The id of the element the figure is drawn in.</param>
    /// <param name="drawFunction">A JavaScript function expression taking <c>Plotly</c>.</param>
    public static string Script(string version, string elementId, string drawFunction)
    {
        if (string.IsNullOrWhiteSpace(version) || version.Any(c => !(char.IsAsciiDigit(c) || c == '.')))
        {
            throw new ArgumentException($"plotly.js version must look like 2.28.0, but was '{version}'.", nameof(version));
        }

        if (string.IsNullOrWhiteSpace(elementId) || elementId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ArgumentException($"element id must be letters, digits, '-' and '_', but was '{elementId}'.", nameof(elementId));
        }

        var module = CdnModule(version);
        return $$"""
            (function (draw) {
              var w = window;
              if (w.Plotly && typeof w.Plotly.newPlot === 'function') { draw(w.Plotly); return; }
              if (typeof w.requirejs === 'function' && typeof w.requirejs.config === 'function') {
                var load = w.requirejs.config({ context: 'descent-plotly', paths: { plotly: '{{module}}' }, waitSeconds: 0 }) || w.requirejs;
                load(['plotly'], draw);
                return;
              }
              var key = 'descentPlotly_{{version.Replace('.', '_')}}';
              w[key] = w[key] || new Promise(function (resolve, reject) {
                var s = document.createElement('script');
                s.charset = 'utf-8';
                s.src = '{{module}}.js';
                s.onload = function () { resolve(w.Plotly); };
                s.onerror = function () { reject(new Error('could not load plotly.js from {{module}}.js')); };
                document.head.appendChild(s);
              });
              w[key].then(draw, function (e) {
                var el = document.getElementById('{{elementId}}');
                if (el) { el.textContent = e.message + ' (no network?)'; }
              });
            })({{drawFunction}});
            """;
    }
}
