using System.Text.RegularExpressions;

namespace Descent.Notebooks.Engine;

/// <summary>A <c>#r "nuget: Id, Version"</c> reference; <see cref="Version"/> is null for "latest stable".</summary>
/// <param name="Id">The package id.</param>
/// <param name="Version">The requested version, or null.</param>
public sealed record PackageReference(string Id, string? Version);

/// <summary>
/// A cell split the way the kernel splits it: directive lines (<c>#r "nuget:…"</c>, <c>#i</c>, <c>#!csharp</c>,
/// <c>#!time</c>) are hoisted out of the code; <c>#r "path"</c> stays in the code.
/// </summary>
internal sealed partial class CellDirectives
{
    private static readonly HashSet<string> CSharpKernelNames = ["#!csharp", "#!c#", "#!C#"];

    private static readonly HashSet<string> OtherKernels =
    [
        "#!fsharp", "#!f#", "#!F#", "#!pwsh", "#!powershell", "#!javascript", "#!js", "#!html", "#!markdown", "#!md",
        "#!sql", "#!kql", "#!mermaid", "#!http", "#!python", "#!r", "#!value", "#!vscode", "#!webview",
    ];

    // Magic commands the real kernel has but this engine does not implement.
    private static readonly HashSet<string> UnsupportedMagics =
        ["#!who", "#!whos", "#!lsmagic", "#!about", "#!set", "#!share", "#!import", "#!connect", "#!log"];

    private CellDirectives(
        string code, int[] lineMap, List<PackageReference> packages, List<int> packageLines, List<string> sources, bool time, string? error, int errorLine)
    {
        PackageLines = packageLines;
        ErrorLine = errorLine;
        Code = code;
        LineMap = lineMap;
        Packages = packages;
        Sources = sources;
        Time = time;
        Error = error;
    }

    /// <summary>The code with hoisted directive lines removed.</summary>
    public string Code { get; }

    /// <summary>LineMap[i] is the 1-based cell line of line i + 1 of <see cref="Code"/>.</summary>
    public int[] LineMap { get; }

    /// <summary>The <c>#r "nuget: …"</c> references.</summary>
    public List<PackageReference> Packages { get; }

    /// <summary>PackageLines[i] is the 1-based cell line of Packages[i].</summary>
    public List<int> PackageLines { get; }

    /// <summary>The 1-based cell line of <see cref="Error"/>'s directive.</summary>
    public int ErrorLine { get; }

    /// <summary>Extra package sources from <c>#i "nuget: …"</c>.</summary>
    public List<string> Sources { get; }

    /// <summary>Whether <c>#!time</c> was given.</summary>
    public bool Time { get; }

    /// <summary>Why the cell cannot run (another kernel, unknown magic), or null.</summary>
    public string? Error { get; }

    /// <summary>The 1-based cell line for 1-based line <paramref name="codeLine"/> of <see cref="Code"/>.</summary>
    public int CellLine(int codeLine) =>
        codeLine >= 1 && codeLine <= LineMap.Length ? LineMap[codeLine - 1] : Math.Max(codeLine, 1);

    public static CellDirectives Parse(string cell)
    {
        var lines = cell.Replace("\r\n", "\n").Split('\n');
        var kept = new List<string>();
        var map = new List<int>();
        var packages = new List<PackageReference>();
        var packageLines = new List<int>();
        var sources = new List<string>();
        var time = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var word = trimmed.Split(' ', 2)[0];
                if (CSharpKernelNames.Contains(word))
                {
                    continue;
                }

                if (word == "#!time")
                {
                    time = true;
                    continue;
                }

                string error = OtherKernels.Contains(word)
                    ? $"NoSuitableKernelException: line {i + 1} selects the '{word[2..]}' kernel ({word}), but only C# cells run in this course's engine."
                    : UnsupportedMagics.Contains(word)
                        ? $"Magic command '{word}' (line {i + 1}) is not supported by the Descent engine."
                        : $"DNI101 Unknown magic command '{word}' (line {i + 1}).";
                return new CellDirectives(string.Empty, [], packages, packageLines, sources, time, error, i + 1);
            }

            if (NuGetReference().Match(line) is { Success: true } m)
            {
                var version = m.Groups["version"].Success ? m.Groups["version"].Value.Trim() : null;
                packages.Add(new PackageReference(m.Groups["id"].Value.Trim(), string.IsNullOrEmpty(version) ? null : version));
                packageLines.Add(i + 1);
                continue;
            }

            if (NuGetSource().Match(line) is { Success: true } s)
            {
                sources.Add(s.Groups["source"].Value.Trim());
                continue;
            }

            kept.Add(line);
            map.Add(i + 1);
        }

        return new CellDirectives(string.Join('\n', kept), map.ToArray(), packages, packageLines, sources, time, null, 0);
    }

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<id>[^,"\s]+)\s*(,\s*(?<version>[^"]*))?"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#i\s+"nuget:\s*(?<source>[^"]+)"\s*$""")]
    private static partial Regex NuGetSource();
}
