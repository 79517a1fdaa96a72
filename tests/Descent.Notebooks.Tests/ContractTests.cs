using Descent.Notebooks.Execution;

namespace Descent.Notebooks.Tests;

public class ContractTests
{
    [Fact]
    public void Submission_without_error_succeeded()
    {
        Assert.True(new SubmissionResult([], null).Succeeded);
        Assert.False(new SubmissionResult([], new ErrorOutput("E", "m", [])).Succeeded);
    }
}
