using Descent.Notebooks.Workers;
using Descent.Testing;

namespace Descent.Notebooks.Tests.Grading;

/// <summary>
/// Whether grade's sandbox can be built here. On a machine with only the .NET SDK the tests that attack the sandbox
/// are skipped with the reason and what to install (<see cref="DebianPackages"/>'s rule); under CI=true, which installs
/// bubblewrap, they always run, so a missing sandbox fails them.
/// </summary>
internal static class SandboxSupport
{
    /// <summary>The skip reason, or null when the sandbox tests must run.</summary>
    public static string? SkipReason =>
        DebianPackages.SkipReason([DebianPackages.Bubblewrap])
        ?? (Sandbox.Unavailable is { } why && !DebianPackages.InCi ? $"no sandbox can be built here: {why}" : null);

    /// <summary>Whether tests that need grading but not its isolation should grade with --no-sandbox.</summary>
    public static bool GradeWithoutSandbox => SkipReason is not null;
}

/// <summary>A fact that needs grade's sandbox (see <see cref="SandboxSupport"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NeedsSandboxFactAttribute : FactAttribute
{
    public NeedsSandboxFactAttribute() => Skip = SandboxSupport.SkipReason;
}

/// <summary>The theory form of <see cref="NeedsSandboxFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NeedsSandboxTheoryAttribute : TheoryAttribute
{
    public NeedsSandboxTheoryAttribute() => Skip = SandboxSupport.SkipReason;
}
