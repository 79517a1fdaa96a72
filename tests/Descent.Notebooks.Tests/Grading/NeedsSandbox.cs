using Descent.Notebooks.Workers;

namespace Descent.Notebooks.Tests.Grading;

/// <summary>
/// Whether grade's sandbox can be built here. On a machine with only the .NET SDK (no bubblewrap) the tests that
/// attack the sandbox are skipped with the reason and what to install; under CI=true (which installs bubblewrap) they
/// always run, so a missing sandbox fails them.
/// </summary>
internal static class SandboxSupport
{
    /// <summary>True when CI runs the tests.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The skip reason, or null when the sandbox tests must run.</summary>
    public static string? SkipReason => Sandbox.Unavailable is { } why && !InCi ? $"install bubblewrap (bash .ci/install-deps): {why}" : null;

    /// <summary>Whether tests that only need grading (not its isolation) should grade with --no-sandbox.</summary>
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
