using System.Text.Json.Nodes;
using Descent.Testing;

namespace Descent.Kernel.Tests;

/// <summary>The kernel driven by a real client (jupyter_client), one session covering the protocol.</summary>
public sealed class KernelProtocolTests(JupyterClients clients) : IClassFixture<JupyterClients>
{
    private static JsonObject? _observed;

    private JsonObject Observed => _observed ??= clients.RunClient("drive_kernel.py", Path.GetTempPath(), TimeSpan.FromMinutes(4));

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Kernel_info_describes_csharp()
    {
        var info = Observed["kernel_info"]!;
        Assert.Equal("5.3", (string?)info["protocol_version"]);
        Assert.Equal("C#", (string?)info["language_info"]!["name"]);
        Assert.Equal(".cs", (string?)info["language_info"]!["file_extension"]);
        Assert.Equal("csharp", (string?)info["language_info"]!["pygments_lexer"]);
        // The Help menu's links: real pages with a name.
        var links = info["help_links"]!.AsArray();
        Assert.NotEmpty(links);
        Assert.All(links, link =>
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)link!["text"]));
            var url = new Uri((string?)link["url"] ?? string.Empty);
            Assert.Equal("https", url.Scheme);
            Assert.NotEqual("https://github.com/", url.AbsoluteUri); // the old placeholder
        });
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void State_carries_across_execute_requests_with_counts_and_inputs()
    {
        var state = Observed["state"]!;
        Assert.Equal("ok", (string?)state["status"]);
        Assert.Equal(2, (int)state["execution_count"]!);
        Assert.Contains("<pre>42</pre>", state["results"]![0]!["text/html"]!.ToString());
        Assert.Equal("x + 2", (string?)state["inputs"]![0]);
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Console_output_is_a_stream_and_display_is_display_data()
    {
        Assert.Equal("hello stream\n", (string?)Observed["stream"]![0]!["text"]);
        Assert.Equal("stdout", (string?)Observed["stream"]![0]!["name"]);
        Assert.Equal("shown", (string?)Observed["display"]![0]!["text/plain"]);
        Assert.Equal(2, Observed["display"]!.AsArray().Count);
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Error_reply_carries_name_value_with_cell_line_and_traceback_and_the_kernel_lives_on()
    {
        var reply = Observed["error"]!["reply"]!;
        Assert.Equal("error", (string?)reply["status"]);
        Assert.Equal("InvalidOperationException", (string?)reply["ename"]);
        Assert.Equal("boom (cell line 2)", (string?)reply["evalue"]);
        Assert.True(reply["traceback"]!.AsArray().Count > 1);
        Assert.Single(Observed["error"]!["iopub"]!.AsArray());
        Assert.Equal("ok", (string?)Observed["alive_after_error"]);
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Completion_of_Math_Sq_offers_Sqrt()
    {
        var complete = Observed["complete"]!;
        Assert.Contains("Sqrt", complete["matches"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(5, (int)complete["cursor_start"]!);
        Assert.Equal(7, (int)complete["cursor_end"]!);
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Inspection_gives_the_signature_and_is_complete_follows_syntax()
    {
        Assert.True((bool)Observed["inspect"]!["found"]!);
        Assert.Contains("Math.Sqrt(double)", (string?)Observed["inspect"]!["text"]);
        Assert.Equal(["complete", "incomplete"], Observed["is_complete"]!.AsArray().Select(s => (string?)s));
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Interrupt_stops_an_endless_loop_and_the_kernel_answers_after()
    {
        Assert.Equal("error", (string?)Observed["interrupt"]!["status"]);
        Assert.Equal("OperationCanceledException", (string?)Observed["interrupt"]!["ename"]);
        Assert.Equal("ok", (string?)Observed["alive_after_interrupt"]);
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Wrongly_signed_and_malformed_messages_are_rejected_without_killing_the_kernel()
    {
        // The badly signed "x = 1000;" was never run: x is still 40.
        Assert.Contains("<pre>40</pre>", Observed["after_bad_signature"]![0]!["text/html"]!.ToString());
        Assert.Equal("ok", (string?)Observed["alive_after_malformed"]);
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Restart_gives_a_fresh_session()
    {
        var after = Observed["after_restart"]!;
        Assert.Equal("CompilationError", (string?)after["ename"]);
        Assert.Equal(1, (int)after["execution_count"]!);
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Console_ReadLine_asks_the_client_for_input_when_it_allows_stdin()
    {
        var input = Observed["input"]!;
        Assert.Equal("input_request", (string?)input["request_type"]);
        Assert.True((bool)input["request_parent"]!, "the input_request's parent is not the execute_request");
        Assert.Equal("ok", (string?)input["status"]);
        Assert.Equal("name? ", (string?)input["stream"]![0]);
        Assert.Contains("hello Ada", (string?)input["results"]![0]!["text/plain"] ?? input["results"]![0]!.ToJsonString());
    }

    [NeedsPackagesFact(DebianPackages.JupyterClient)]
    public void Console_ReadLine_fails_clearly_when_the_client_does_not_allow_stdin_and_an_interrupt_ends_the_wait()
    {
        var refused = Observed["input_not_allowed"]!;
        Assert.Equal("error", (string?)refused["status"]);
        Assert.Equal("InvalidOperationException", (string?)refused["ename"]);
        Assert.Contains("no front end to type it into", (string?)refused["evalue"]);
        Assert.Equal("error", (string?)Observed["input_interrupted"]!["status"]);
        Assert.Equal("OperationCanceledException", (string?)Observed["input_interrupted"]!["ename"]);
    }
}
