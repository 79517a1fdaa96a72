namespace Descent.Notebooks.Engine;

/// <summary>What every cell has in scope without a using: the .NET Interactive C# kernel's default imports (CSharpKernel.cs) and the cell globals.</summary>
internal static class DefaultImports
{
    /// <summary>The namespaces.</summary>
    public static readonly IReadOnlyList<string> Namespaces =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    /// <summary>The namespaces and <see cref="CellGlobals"/> (display, HTML, …), as a script's imports.</summary>
    public static IReadOnlyList<string> All => [.. Namespaces, typeof(CellGlobals).FullName!];
}
