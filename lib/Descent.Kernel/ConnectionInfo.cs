using System.Text.Json;

namespace Descent.Kernel;

/// <summary>A Jupyter connection file: transport, address, the five ports, the signing key and its scheme.</summary>
internal sealed record ConnectionInfo(string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort, int ControlPort, int HbPort, string Key, string SignatureScheme)
{
    public string Address(int port) => $"{Transport}://{Ip}:{port}";

    /// <summary>Reads a connection file; the error names the file and the problem.</summary>
    public static ConnectionInfo Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"connection file '{path}' does not exist.", path);
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            string S(string name, string? fallback = null) =>
                r.TryGetProperty(name, out var v) ? v.GetString() ?? fallback ?? throw Missing(name) : fallback ?? throw Missing(name);
            int P(string name) => r.TryGetProperty(name, out var v) ? v.GetInt32() : throw Missing(name);
            Exception Missing(string name) => new InvalidDataException($"connection file '{path}' has no \"{name}\".");
            var scheme = S("signature_scheme", "hmac-sha256");
            if (!Wire.SupportedSchemes.Contains(scheme))
            {
                throw new InvalidDataException(
                    $"connection file '{path}': signature_scheme '{scheme}' is not supported (supported: {string.Join(", ", Wire.SupportedSchemes)}).");
            }

            return new ConnectionInfo(S("transport", "tcp"), S("ip", "127.0.0.1"), P("shell_port"), P("iopub_port"), P("stdin_port"),
                P("control_port"), P("hb_port"), S("key", string.Empty), scheme);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"connection file '{path}' is not valid JSON: {e.Message}");
        }
    }
}
