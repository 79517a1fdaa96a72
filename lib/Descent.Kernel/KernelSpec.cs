using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;

namespace Descent.Kernel;

/// <summary>Writes the <c>descent-csharp</c> kernelspec (kernel.json and logos) where Jupyter looks for kernels.</summary>
internal static class KernelSpec
{
    public const string Name = "descent-csharp";
    public const string DisplayName = "C# (Descent)";

    /// <summary>The kernels folder for --user, --sys-prefix or --prefix DIR.</summary>
    public static string KernelsFolder(string scope, string? prefix)
    {
        switch (scope)
        {
            case "--prefix":
                return Path.Combine(prefix ?? throw new ArgumentException("--prefix needs a folder."), "share", "jupyter", "kernels");
            case "--sys-prefix":
                var psi = new ProcessStartInfo("python3", ["-c", "import sys; print(sys.prefix)"]) { RedirectStandardOutput = true };
                using (var p = Process.Start(psi) ?? throw new InvalidOperationException("python3 was not found; use --prefix DIR instead."))
                {
                    var sysPrefix = p.StandardOutput.ReadToEnd().Trim();
                    p.WaitForExit();
                    return Path.Combine(sysPrefix, "share", "jupyter", "kernels");
                }

            default:
                var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                return OperatingSystem.IsMacOS()
                    ? Path.Combine(home, "Library", "Jupyter", "kernels")
                    : OperatingSystem.IsWindows()
                        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter", "kernels")
                        : Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") ?? Path.Combine(home, ".local", "share"), "jupyter", "kernels");
        }
    }

    /// <summary>Writes the kernelspec into <paramref name="kernelsFolder"/>; returns its folder.</summary>
    public static string Install(string kernelsFolder)
    {
        var folder = Path.Combine(kernelsFolder, Name);
        Directory.CreateDirectory(folder);
        var dll = Path.Combine(AppContext.BaseDirectory, "descent-kernel.dll");
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray("dotnet", dll, "start", "{connection_file}"),
            ["display_name"] = DisplayName,
            ["language"] = "C#",
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        AtomicFile.Write(Path.Combine(folder, "kernel.json"), System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString(new() { WriteIndented = true }) + "\n"));
        AtomicFile.Write(Path.Combine(folder, "logo-32x32.png"), Logo(32));
        AtomicFile.Write(Path.Combine(folder, "logo-64x64.png"), Logo(64));
        return folder;
    }

    /// <summary>A small PNG: a descending curve on a blue square (drawn here, so no binary is committed).</summary>
    private static byte[] Logo(int size)
    {
        var raw = new byte[size * (1 + size * 4)];
        for (var y = 0; y < size; y++)
        {
            var row = y * (1 + size * 4);
            raw[row] = 0;
            for (var x = 0; x < size; x++)
            {
                // y = a·e^(−3x/size): the loss curve the course is about.
                var curve = (int)(size * 0.15 + size * 0.7 * Math.Exp(-3.0 * x / size));
                var onCurve = Math.Abs(y - curve) <= Math.Max(1, size / 16);
                var i = row + 1 + x * 4;
                (raw[i], raw[i + 1], raw[i + 2], raw[i + 3]) = onCurve ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)31, (byte)119, (byte)180, (byte)255);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8;
        header[9] = 6;
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(raw);
            }

            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>PNG's CRC-32 (polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        s.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, Crc32([.. typeBytes, .. data]));
        s.Write(crcBytes);
    }
}
