namespace Descent.Notebooks;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("descent-notebooks: the run command is not built yet.");
        return 2;
    }
}
