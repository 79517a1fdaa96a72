using System.Collections;
using System.Globalization;
using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Workers;

/// <summary>
/// What a worker process looked like before any cell ran, and puts it back before a reused worker's next notebook:
/// environment variables, cultures, the console's capture, the formatters, and the working directory (the next
/// notebook's folder). A notebook's variables and references go with its session; this is the process-wide rest.
/// </summary>
internal sealed class ProcessBaseline
{
    private readonly Dictionary<string, string> _environment;
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
    private readonly CultureInfo? _defaultCulture = CultureInfo.DefaultThreadCurrentCulture;
    private readonly CultureInfo? _defaultUiCulture = CultureInfo.DefaultThreadCurrentUICulture;

    private ProcessBaseline(Dictionary<string, string> environment) => _environment = environment;

    /// <summary>Records the process as it is now.</summary>
    public static ProcessBaseline Capture() => new(Environment());

    /// <summary>Restores what was recorded and makes <paramref name="folder"/> the working directory.</summary>
    public void Restore(string folder)
    {
        var now = Environment();
        foreach (var name in now.Keys.Where(n => !_environment.ContainsKey(n)))
        {
            System.Environment.SetEnvironmentVariable(name, null);
        }

        foreach (var (name, value) in _environment.Where(e => !now.TryGetValue(e.Key, out var v) || v != e.Value))
        {
            System.Environment.SetEnvironmentVariable(name, value);
        }

        CultureInfo.DefaultThreadCurrentCulture = _defaultCulture;
        CultureInfo.DefaultThreadCurrentUICulture = _defaultUiCulture;
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        ConsoleCapture.Restore();
        MimeFormatting.ResetToDefault();
        Directory.SetCurrentDirectory(folder);
    }

    private static Dictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        return variables;
    }
}
