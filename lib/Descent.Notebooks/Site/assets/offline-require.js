/* Descent course site: a require.js stand-in for offline pages. Plotly.NET's chart HTML asks require.js for the
   'plotly' module (from a CDN); here every such request gets the plotly.js this page already loaded from assets/.
   No define.amd is provided, so UMD bundles (plotly.js, KaTeX) still register as globals. */
(function () {
  if (typeof window.requirejs === 'function') { return; }
  function load(deps, callback) {
    var modules = [].concat(deps).map(function (name) {
      if (/plotly/i.test(name)) { return window.Plotly; }
      throw new Error('offline course site: no module "' + name + '" (only plotly is bundled)');
    });
    if (typeof callback === 'function') { callback.apply(window, modules); }
    return modules[0];
  }
  load.config = function () { return load; };
  load.undef = function () { };
  window.requirejs = load;
  if (typeof window.require !== 'function') { window.require = load; }
})();
