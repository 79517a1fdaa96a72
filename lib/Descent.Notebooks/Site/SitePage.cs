namespace Descent.Notebooks.Site;

/// <summary>One page of the course site: an executed notebook.</summary>
/// <param name="Title">The title shown in the index when the notebook has no first-level markdown heading.</param>
/// <param name="HtmlFileName">The page's file name, relative to the site folder (e.g. <c>01-gradient-descent.html</c>).</param>
/// <param name="ExecutedNotebookJson">The executed notebook (nbformat 4 JSON with outputs).</param>
public sealed record SitePage(string Title, string HtmlFileName, string ExecutedNotebookJson)
{
    /// <summary>How long the build took to run the notebook, when known (shown beside the page's run controls).</summary>
    public TimeSpan? RunTime { get; init; }

    /// <summary>How long each code cell took when the build ran it, by 1-based cell number, when known.</summary>
    public IReadOnlyDictionary<int, TimeSpan>? CellTimes { get; init; }
}
