using Plotly.NET;

namespace Descent.Plots;

/// <summary>
/// Builds Plotly.NET charts from plain trace and layout properties (Plotly.NET's <see cref="Trace"/> and
/// <see cref="Layout"/> are dynamic objects), so every plotly.js attribute is reachable.
/// </summary>
internal static class Figure
{
    public static Dictionary<string, object?> Obj(params (string Key, object? Value)[] pairs) =>
        pairs.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);

    public static Trace Trace(string type, params (string Key, object? Value)[] properties)
    {
        var trace = new Trace(type);
        foreach (var (key, value) in properties)
        {
            if (value is not null)
            {
                trace.SetProperty(key, value);
            }
        }

        return trace;
    }

    public static GenericChart Chart(IEnumerable<Trace> traces, string title, string? xTitle, string? yTitle,
        bool logX = false, bool logY = false, int width = 760, int height = 460, params (string Key, object? Value)[] extra)
    {
        var layout = new Layout();
        layout.SetProperty("title", Obj(("text", title)));
        layout.SetProperty("xaxis", Obj(("title", Obj(("text", xTitle))), ("type", logX ? "log" : null)));
        layout.SetProperty("yaxis", Obj(("title", Obj(("text", yTitle))), ("type", logY ? "log" : null)));
        layout.SetProperty("width", width);
        layout.SetProperty("height", height);
        layout.SetProperty("legend", Obj(("orientation", "v")));
        foreach (var (key, value) in extra)
        {
            if (value is not null)
            {
                layout.SetProperty(key, value);
            }
        }

        return GenericChart.setLayout(layout, GenericChart.ofTraceObjects(true, traces.ToList()));
    }
}
