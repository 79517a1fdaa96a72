using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Descent.Kernel;

/// <summary>A Jupyter message (messaging protocol 5.3).</summary>
internal sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content, IReadOnlyList<byte[]> Buffers)
{
    public string Type => (string?)Header["msg_type"] ?? string.Empty;
}

/// <summary>
/// The wire format: identities, &lt;IDS|MSG&gt;, the HMAC signature (with the connection file's scheme), header, parent
/// header, metadata, content, buffers.
/// </summary>
internal sealed class Wire
{
    public const string Delimiter = "<IDS|MSG>";

    /// <summary>The connection file's <c>signature_scheme</c> values the kernel signs and verifies with.</summary>
    public static readonly IReadOnlyList<string> SupportedSchemes = ["hmac-sha256", "hmac-sha384", "hmac-sha512"];

    private readonly byte[] _key;
    private readonly string _scheme;

    /// <summary>A wire signing with <paramref name="key"/> (empty: unsigned) by <paramref name="scheme"/>, one of <see cref="SupportedSchemes"/>.</summary>
    public Wire(string key, string scheme, string session)
    {
        if (!SupportedSchemes.Contains(scheme))
        {
            throw new ArgumentException($"signature scheme '{scheme}' is not supported (supported: {string.Join(", ", SupportedSchemes)}).", nameof(scheme));
        }

        _key = Encoding.UTF8.GetBytes(key);
        _scheme = scheme;
        Session = session;
    }

    public string Session { get; }

    /// <summary>Parses and verifies frames; throws <see cref="WireException"/> on a bad signature or a malformed message.</summary>
    public JupyterMessage Parse(IReadOnlyList<byte[]> frames)
    {
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(Delimiter)))
            {
                delimiter = i;
                break;
            }
        }

        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            throw new WireException($"malformed message: {frames.Count} frames, delimiter at {delimiter}.");
        }

        var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        var parts = frames.Skip(delimiter + 2).Take(4).ToArray();
        if (_key.Length > 0)
        {
            var expected = Sign(parts);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            {
                throw new WireException("invalid signature: message rejected.");
            }
        }

        try
        {
            return new JupyterMessage(
                frames.Take(delimiter).ToArray(),
                Object(parts[0]),
                Object(parts[1]),
                Object(parts[2]),
                Object(parts[3]),
                frames.Skip(delimiter + 6).ToArray());
        }
        catch (JsonException e)
        {
            throw new WireException($"malformed JSON in message: {e.Message}");
        }
    }

    /// <summary>The frames of a message of <paramref name="type"/> answering <paramref name="parent"/> (null for none).</summary>
    public List<byte[]> Frames(string type, JsonObject content, JupyterMessage? parent, IReadOnlyList<byte[]>? identities = null)
    {
        var header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = Session,
            ["username"] = "descent",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
            ["msg_type"] = type,
            ["version"] = "5.3",
        };
        byte[][] parts =
        [
            Bytes(header),
            Bytes(parent?.Header ?? new JsonObject()),
            Bytes(new JsonObject()),
            Bytes(content),
        ];
        var frames = new List<byte[]>();
        frames.AddRange(identities ?? parent?.Identities ?? []);
        frames.Add(Encoding.ASCII.GetBytes(Delimiter));
        frames.Add(Encoding.ASCII.GetBytes(_key.Length > 0 ? Sign(parts) : string.Empty));
        frames.AddRange(parts);
        return frames;
    }

    private string Sign(IEnumerable<byte[]> parts)
    {
        using HMAC hmac = _scheme switch
        {
            "hmac-sha384" => new HMACSHA384(_key),
            "hmac-sha512" => new HMACSHA512(_key),
            _ => new HMACSHA256(_key),
        };
        foreach (var part in parts)
        {
            hmac.TransformBlock(part, 0, part.Length, null, 0);
        }

        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(hmac.Hash!).ToLowerInvariant();
    }

    private static JsonObject Object(byte[] bytes) =>
        JsonNode.Parse(bytes.Length == 0 ? "{}"u8 : bytes) as JsonObject ?? throw new JsonException("not a JSON object");

    private static byte[] Bytes(JsonObject o) => Encoding.UTF8.GetBytes(o.ToJsonString());
}

/// <summary>A message the kernel rejects (bad signature, malformed frames or JSON).</summary>
internal sealed class WireException(string message) : Exception(message);
