using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Tests.Engine;

/// <summary>
/// The limits apply in the session, before its front end sees an output: the kernel streams only what
/// <c>onOutput</c> receives, so these are the limits a Jupyter front end meets too.
/// </summary>
public sealed class OutputLimitsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-limits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(List<CellOutput> Streamed, SubmissionResult Result)> Submit(string code, OutputLimits limits)
    {
        using var session = ExecutionSession.Create(new ExecutionSessionOptions(_dir) { OutputLimits = limits });
        var streamed = new List<CellOutput>();
        var result = await session.SubmitAsync(code, streamed.Add, CancellationToken.None);
        return (streamed, result);
    }

    [Fact]
    public async Task What_a_front_end_is_sent_is_the_first_and_last_lines_and_a_marker_in_order()
    {
        var (streamed, result) = await Submit("for (var i = 0; i < 10_000; i++) Console.Write($\"{i}\\n\");", new OutputLimits { StreamLines = 6 });
        Assert.Equal(result.Outputs, streamed);
        var text = string.Concat(streamed.OfType<StreamOutput>().Select(s => s.Text));
        Assert.StartsWith("0\n1\n2\n… 9 994 lines, ", text);
        Assert.EndsWith("lines, up to 5 MB each …\n9997\n9998\n9999\n", text);
    }

    [Fact]
    public async Task The_kept_end_comes_before_the_error_that_ends_the_cell()
    {
        var (streamed, _) = await Submit("for (var i = 0; i < 100; i++) Console.Write($\"{i}\\n\");\nthrow new Exception(\"late\");", new OutputLimits { StreamLines = 4 });
        Assert.IsType<ErrorOutput>(streamed[^1]);
        Assert.Equal("99\n", ((StreamOutput)streamed[^2]).Text);
    }

    [Fact]
    public async Task One_huge_line_is_cut_to_the_size_limit_and_the_marker_says_how_much_went()
    {
        var (streamed, _) = await Submit("Console.Write(new string('a', 50_000)); Console.Write(new string('b', 50_000));", new OutputLimits { OutputMegabytes = 0.01 });
        var text = string.Concat(streamed.OfType<StreamOutput>().Select(s => s.Text));
        Assert.StartsWith(new string('a', 5_000) + "… 0.09 MB of output omitted", text);
        Assert.EndsWith(new string('b', 5_000), text);
    }

    [Fact]
    public async Task Many_displays_are_kept_up_to_ten_times_the_single_output_limit_then_counted()
    {
        var (streamed, _) = await Submit("for (var i = 0; i < 50; i++) display(new string('d', 1_000));", new OutputLimits { OutputMegabytes = 0.002 });
        Assert.Equal(20, streamed.OfType<DisplayOutput>().Count());
        Assert.Contains("… 30 more display outputs", ((StreamOutput)streamed[^1]).Text);
    }

    [Fact]
    public async Task Output_within_the_limits_passes_unchanged()
    {
        var (streamed, _) = await Submit("Console.Write(\"a\\n\"); display(\"b\"); Console.Error.Write(\"c\\n\"); 42", OutputLimits.Default);
        Assert.Equal(4, streamed.Count);
        Assert.Equal(new StreamOutput("stdout", "a\n"), streamed[0]);
        Assert.IsType<DisplayOutput>(streamed[1]);
        Assert.Equal(new StreamOutput("stderr", "c\n"), streamed[2]);
        Assert.IsType<ResultOutput>(streamed[3]);
    }
}
