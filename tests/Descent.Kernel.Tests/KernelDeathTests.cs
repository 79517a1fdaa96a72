namespace Descent.Kernel.Tests;

/// <summary>How the supervisor names the cause from what the dead kernel process left: its exit handler's code, its exit status, its standard error.</summary>
public sealed class KernelDeathTests
{
    [Fact]
    public void Environment_Exit_names_the_code_the_cell_passed()
    {
        var error = KernelDeath.Describe(4, exitCalledWith: 3, exitStatus: 3, stderr: []);
        Assert.Equal("KernelProcessEnded", error.Name);
        Assert.StartsWith("cell [4] called Environment.Exit(3), which ends the kernel process;", error.Value);
        Assert.Empty(error.Traceback);
    }

    [Fact]
    public void A_stack_overflow_keeps_only_the_repeated_frames_of_functions_the_cell_declared()
    {
        string[] stderr =
        [
            "Stack overflow.", "Repeated 261905 times:", "--------------------------------", "   at Submission#1.F(Int32)",
            "--------------------------------", "   at Submission#1+<<Initialize>>d__0.MoveNext()",
            "   at System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start[[Submission#1+<<Initialize>>d__0, x]](<<Initialize>>d__0 ByRef)",
            "   at Submission#1.<Initialize>()", "   at Submission#1.<Factory>(System.Object[])", "   at System.Threading.Thread.StartCallback()",
        ];
        var error = KernelDeath.Describe(2, exitCalledWith: null, exitStatus: 134, stderr);
        Assert.StartsWith("cell [2] ended the kernel process: stack overflow", error.Value);
        Assert.Equal(["Repeated 261905 times:", "   at Submission#1.F(Int32)"], error.Traceback);
    }

    [Fact]
    public void FailFast_quotes_its_message_up_to_the_stack()
    {
        string[] stderr = ["Process terminated.", "gave up", "   at System.Environment.FailFast(System.String)", "   at Submission#3.<Initialize>()"];
        var error = KernelDeath.Describe(7, exitCalledWith: null, exitStatus: 134, stderr);
        Assert.StartsWith("cell [7] ended the kernel process: Environment.FailFast(\"gave up\");", error.Value);
    }

    [Fact]
    public void An_exception_on_another_thread_is_named_with_its_message()
    {
        string[] stderr = ["Unhandled exception. System.InvalidOperationException: from a thread", "   at Submission#2.<Initialize>b__0_0()"];
        var error = KernelDeath.Describe(5, exitCalledWith: null, exitStatus: 134, stderr);
        Assert.StartsWith("cell [5] ended the kernel process: an exception on another thread was not caught: System.InvalidOperationException: from a thread;", error.Value);
    }

    [Fact]
    public void A_signal_without_a_message_is_named_by_number_and_kill_suggests_memory()
    {
        var error = KernelDeath.Describe(1, exitCalledWith: null, exitStatus: 137, stderr: []);
        Assert.StartsWith("cell [1] ended the kernel process: killed by signal 9 (SIGKILL; the system's out-of-memory killer sends it);", error.Value);
        Assert.StartsWith("cell [1] ended the kernel process: exit status 1;", KernelDeath.Describe(1, null, 1, []).Value);
    }

    [Fact]
    public void A_stack_overflow_is_recognised_even_after_other_lines()
    {
        var error = KernelDeath.Describe(9, exitCalledWith: null, exitStatus: 134, stderr: ["descent-kernel: some log line", "Stack overflow."]);
        Assert.StartsWith("cell [9] ended the kernel process: stack overflow", error.Value);
    }
}
