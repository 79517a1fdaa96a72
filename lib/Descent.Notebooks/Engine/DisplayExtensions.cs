using Descent.Notebooks.Engine;

// The kernel puts Display() in namespace System so that it is always in scope.
#pragma warning disable IDE0130
namespace System;
#pragma warning restore IDE0130

/// <summary><c>x.Display()</c>, as in the .NET Interactive kernel.</summary>
public static class DisplayExtensions
{
    /// <summary>Shows <paramref name="value"/> as a display output of the running cell.</summary>
    /// <param name="value">The value to show.</param>
    /// <param name="mimeTypes">Mime types to format it as (default: the preferred one for its type).</param>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) =>
        CellGlobals.DisplayValue(value, mimeTypes);
}
