using System.Text.Json.Nodes;
using Descent.Testing;

namespace Descent.Kernel.Tests;

/// <summary>
/// Cells that end the kernel process, driven by a real client (jupyter_client, signing with hmac-sha512): the client
/// hears on IOPub, and in the execute reply, which cell ended it and how; a restart then runs the next cell.
/// </summary>
public sealed class KernelCrashTests(JupyterClients clients) : IClassFixture<JupyterClients>
{
    private static JsonObject? _observed;

    private JsonObject Observed => _observed ??= clients.RunClient("crash_kernel.py", Path.GetTempPath(), TimeSpan.FromMinutes(4));

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void A_stack_overflow_is_reported_on_its_cell_and_a_restart_runs_the_next_cell() =>
        AssertReportedAndRestarted("stack_overflow", "cell [2] ended the kernel process: stack overflow", frame: "F(Int32)");

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Environment_Exit_is_reported_on_its_cell_and_a_restart_runs_the_next_cell() =>
        AssertReportedAndRestarted("exit", "cell [2] called Environment.Exit(0)", frame: null);

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Environment_FailFast_is_reported_on_its_cell_with_its_message_and_a_restart_runs_the_next_cell() =>
        AssertReportedAndRestarted("fail_fast", "cell [2] ended the kernel process: Environment.FailFast(\"gave up\")", frame: null);

    private void AssertReportedAndRestarted(string crash, string sentence, string? frame)
    {
        var observed = Observed[crash]!;
        var error = Assert.Single(observed["errors"]!.AsArray())!;
        Assert.Equal("KernelProcessEnded", (string?)error["ename"]);
        Assert.StartsWith(sentence, (string?)error["evalue"]);
        Assert.EndsWith("run the cells above again once the kernel has restarted", (string?)error["evalue"]);
        if (frame is not null)
        {
            Assert.Contains(error["traceback"]!.AsArray(), line => ((string?)line)!.Contains(frame, StringComparison.Ordinal));
        }

        Assert.True((bool)observed["idle"]!, $"{crash}: the cell's last IOPub message was not status idle");
        var reply = observed["reply"]!;
        Assert.Equal("error", (string?)reply["status"]);
        Assert.Equal((string?)error["evalue"], (string?)reply["evalue"]);
        Assert.True((bool)observed["process_ended"]!, $"{crash}: the kernel process did not end");

        var after = observed["after_restart"]!;
        Assert.Equal("ok", (string?)after["status"]);
        Assert.Equal(1, (int)after["execution_count"]!);
        Assert.Contains(">2<", Assert.Single(after["results"]!.AsArray())!["text/html"]!.ToString());
    }
}
