namespace Descent.Kernel;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("descent-kernel: not built yet.");
        return 2;
    }
}
