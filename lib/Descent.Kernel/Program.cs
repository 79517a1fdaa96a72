using System.Runtime.InteropServices;
using Descent.Notebooks.Engine;

namespace Descent.Kernel;

internal static class Program
{
    private const string Usage = """
        usage: descent-kernel install [--user | --sys-prefix | --prefix DIR]   write the kernelspec where Jupyter finds it
               descent-kernel start <connection_file>                       run the kernel under its supervisor (Jupyter does this)
               descent-kernel serve <connection_file>                       run the kernel alone (no notice if a cell ends the process)
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
                ["start", var connectionFile] => KernelSupervisor.Run(connectionFile, () => Console.Error),
                ["serve", var connectionFile] => Serve(connectionFile, supervised: false),
                ["serve", var connectionFile, "--supervised"] => Serve(connectionFile, supervised: true),
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

    private static int Serve(string connectionFile, bool supervised)
    {
        var connection = ConnectionInfo.Load(connectionFile);
        var supervisor = supervised ? SupervisorLink.Connect() : null;
        var workingDirectory = Directory.GetCurrentDirectory();
        using var server = new KernelServer(connection, () => ExecutionSession.Create(new ExecutionSessionOptions(workingDirectory)), Console.Error, supervisor);
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
