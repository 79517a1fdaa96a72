namespace Descent.Tests;

public class CheckTests
{
    [Fact]
    public void Failures_read_as_sentences_with_the_numbers()
    {
        Assert.Equal("Claim failed: lr 0.01 reaches the lowest loss", Assert.Throws<CheckFailedException>(() => Check.That(false, "lr 0.01 reaches the lowest loss")).Message);
        Assert.Equal("Expected final loss of η=0.1 (0.2031) to be less than final loss of η=0.01 (0.1877).",
            Assert.Throws<CheckFailedException>(() => Check.Less(0.20314, 0.18771, "final loss of η=0.1", "final loss of η=0.01")).Message);
        Assert.Contains("to be 1 ± 0.01, but it was 1.5", Assert.Throws<CheckFailedException>(() => Check.Close(1.5, 1, 0.01, "the step")).Message);
        Assert.Contains("entry 1 (2) is not below entry 0 (1)", Assert.Throws<CheckFailedException>(() => Check.Decreasing([1.0, 2, 3], "the loss")).Message);
        Assert.Contains("Expected b to have the smallest loss, but a did", Assert.Throws<CheckFailedException>(() =>
            Check.Smallest(new Dictionary<string, double> { ["a"] = 1, ["b"] = 2 }, "b", "loss")).Message);
        Check.That(true, "fine");
        Check.InRange(0.5, 0, 1, "p");
    }
}
