using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Descent.Testing;

namespace Descent.Kernel.Tests;

/// <summary>
/// Debian's classic Notebook 6 server serving a copy of the course's notebooks (the kernelspec installed into a
/// temporary Jupyter path), and headless Chromium driving its UI over the DevTools protocol, network off (the CDN's
/// plotly.js is answered from the site's local copy). One server and one browser for all the UI tests.
/// </summary>
public sealed class NotebookUi : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("descent-ui-").FullName;
    private Process? _server;
    private readonly List<string> _serverLog = [];

    /// <summary>The served folder: notebooks/ (copies), lib and data (links to the repository's).</summary>
    public string Root => _root;

    public string BaseUrl { get; private set; } = "";

    public string Token { get; } = Guid.NewGuid().ToString("N");

    internal DevToolsBrowser Browser { get; private set; } = null!;

    /// <summary>The server's log so far (for failure messages).</summary>
    public string ServerLog
    {
        get
        {
            lock (_serverLog)
            {
                return string.Join("\n", _serverLog.TakeLast(40));
            }
        }
    }

    public async Task InitializeAsync()
    {
        if (!DebianPackages.InCi && DebianPackages.SkipReason([DebianPackages.Chromium, DebianPackages.JupyterNotebook, DebianPackages.JupyterClient]) is not null)
        {
            return; // the tests are skipped, naming the packages to install
        }

        var repo = JupyterClients.RepoRoot;
        var notebooks = Directory.CreateDirectory(Path.Combine(_root, "notebooks")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(repo, "notebooks"), "*.ipynb"))
        {
            File.Copy(file, Path.Combine(notebooks, Path.GetFileName(file)));
        }

        // Notebooks #r "../lib/Descent/bin/Descent.dll" and find data/ above their folder.
        Directory.CreateSymbolicLink(Path.Combine(_root, "lib"), Path.Combine(repo, "lib"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "data"), Path.Combine(repo, "data"));

        var jupyter = Directory.CreateDirectory(Path.Combine(_root, ".jupyter")).FullName;
        var install = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "descent-kernel.dll"), "install", "--prefix", jupyter])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await install.WaitForExitAsync();
        Assert.True(install.ExitCode == 0, await install.StandardError.ReadToEndAsync());

        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("/usr/bin/jupyter-notebook",
        [
            "--no-browser", "--allow-root", "--ip=127.0.0.1", $"--port={port}", "--port-retries=0", $"--NotebookApp.token={Token}",
            $"--notebook-dir={_root}", "--NotebookApp.open_browser=False",
        ])
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["JUPYTER_PATH"] = Path.Combine(jupyter, "share", "jupyter");
        psi.Environment["JUPYTER_CONFIG_DIR"] = Directory.CreateDirectory(Path.Combine(_root, ".jupyter-config")).FullName;
        psi.Environment["JUPYTER_RUNTIME_DIR"] = Directory.CreateDirectory(Path.Combine(_root, ".jupyter-runtime")).FullName;
        psi.Environment["JUPYTER_DATA_DIR"] = Directory.CreateDirectory(Path.Combine(_root, ".jupyter-data")).FullName;
        psi.Environment["PYDEVD_DISABLE_FILE_VALIDATION"] = "1";
        _server = Process.Start(psi)!;
        _server.OutputDataReceived += (_, e) => Log(e.Data);
        _server.ErrorDataReceived += (_, e) => Log(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var answer = await http.GetAsync($"{BaseUrl}/api/kernelspecs?token={Token}");
                if (answer.IsSuccessStatusCode && (await answer.Content.ReadAsStringAsync()).Contains("descent-csharp", StringComparison.Ordinal))
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Assert.False(_server.HasExited, $"jupyter-notebook exited:\n{ServerLog}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"jupyter-notebook did not serve the descent-csharp kernelspec within 60 s:\n{ServerLog}");
            await Task.Delay(200);
        }

        Browser = await DevToolsBrowser.StartAsync(Path.Combine(repo, "lib", "Descent.Notebooks", "Site", "assets", "plotly.min.js"));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        if (_server is { HasExited: false })
        {
            // SIGINT twice is the server's own "stop and shut down all kernels"; kill what is left after that.
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        }

        _server?.Dispose();
        // Unlink lib and data first: the recursive delete must never reach the repository through them.
        foreach (var link in new[] { "lib", "data" }.Select(l => new FileInfo(Path.Combine(_root, l))).Where(l => l.LinkTarget is not null))
        {
            link.Delete();
        }

        Directory.Delete(_root, recursive: true);
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (_serverLog)
            {
                _serverLog.Add(line);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
