using System.Runtime.InteropServices;
using Descent.Notebooks.Execution;

namespace Descent.Kernel;

internal static class Program
{
    private const string Usage = """
        usage: descent-kernel install [--user | --sys-prefix | --prefix DIR]   write the kernelspec where Jupyter finds it
               descent-kernel start <connection_file>                       run the kernel (Jupyter does this)
        """;

    private static int Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["install"] => Install("--user", null),
                ["install", "--user"] => Install("--user", null),
                ["install", "--sys-prefix"] => Install("--sys-prefix", null),
                ["install", "--prefix", var dir] => Install("--prefix", dir),
                ["start", var connectionFile] => Start(connectionFile),
                _ => Fail(Usage),
            };
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            return Fail($"error: {e.Message}");
        }
    }

    private static int Install(string scope, string? prefix)
    {
        var folder = KernelSpec.Install(KernelSpec.KernelsFolder(scope, prefix));
        Console.WriteLine($"Installed kernelspec '{KernelSpec.Name}' ({KernelSpec.DisplayName}) in {folder}");
        return 0;
    }

    private static int Start(string connectionFile)
    {
        var connection = ConnectionInfo.Load(connectionFile);
        var workingDirectory = Directory.GetCurrentDirectory();
        using var server = new KernelServer(connection, () => ExecutionSession.Create(new ExecutionSessionOptions(workingDirectory)), Console.Error);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            server.Interrupt();
        });
        server.Run();
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
