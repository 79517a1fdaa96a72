using Descent.Optimizers;

namespace Descent.Tests;

public class ParameterTests
{
    [Fact]
    public void Empty_buffer_is_rejected_with_its_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Parameter("W1", []));
        Assert.Contains("W1", ex.Message);
    }
}
