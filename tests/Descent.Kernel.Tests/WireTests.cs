using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Descent.Kernel.Tests;

/// <summary>The wire signs and verifies with the connection file's signature scheme, and refuses one it does not know.</summary>
public sealed class WireTests
{
    [Theory]
    [InlineData("hmac-sha256", 32)]
    [InlineData("hmac-sha384", 48)]
    [InlineData("hmac-sha512", 64)]
    public void Messages_are_signed_with_the_scheme_given_and_verified_with_it(string scheme, int digestBytes)
    {
        var wire = new Wire("secret", scheme, "s");
        var frames = wire.Frames("status", new JsonObject { ["execution_state"] = "idle" }, parent: null);
        var signature = Encoding.ASCII.GetString(frames[1]);
        using HMAC hmac = scheme switch { "hmac-sha384" => new HMACSHA384("secret"u8.ToArray()), "hmac-sha512" => new HMACSHA512("secret"u8.ToArray()), _ => new HMACSHA256("secret"u8.ToArray()) };
        Assert.Equal(Convert.ToHexStringLower(hmac.ComputeHash([.. frames[2], .. frames[3], .. frames[4], .. frames[5]])), signature);
        Assert.Equal(2 * digestBytes, signature.Length);
        Assert.Equal("status", wire.Parse(frames).Type);
    }

    [Fact]
    public void A_message_signed_with_another_scheme_is_rejected()
    {
        var frames = new Wire("secret", "hmac-sha256", "s").Frames("execute_request", new JsonObject { ["code"] = "1" }, parent: null);
        var e = Assert.Throws<WireException>(() => new Wire("secret", "hmac-sha512", "s").Parse(frames));
        Assert.Contains("invalid signature", e.Message);
    }

    [Fact]
    public void A_connection_file_with_an_unsupported_scheme_is_refused_naming_it_and_the_supported_ones()
    {
        var path = Path.Combine(Path.GetTempPath(), $"descent-connection-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":"k","signature_scheme":"hmac-md5"}""");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => ConnectionInfo.Load(path));
            Assert.Contains("signature_scheme 'hmac-md5' is not supported (supported: hmac-sha256, hmac-sha384, hmac-sha512)", e.Message);
            File.WriteAllText(path, """{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":"k","signature_scheme":"hmac-sha384"}""");
            Assert.Equal("hmac-sha384", ConnectionInfo.Load(path).SignatureScheme);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
