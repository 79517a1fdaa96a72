namespace Descent.Kernel.Tests;

public class ProjectWiringTests
{
    [Fact]
    public void Kernel_assembly_is_named_descent_kernel()
    {
        Assert.Equal("descent-kernel", typeof(ProjectWiringTests).Assembly.GetReferencedAssemblies().Single(a => a.Name == "descent-kernel").Name);
    }
}
