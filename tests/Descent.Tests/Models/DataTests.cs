using Descent.Data;

namespace Descent.Tests.Models;

public sealed class DataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Digits_iris_and_breast_cancer_load_with_their_documented_shapes()
    {
        var digits = Datasets.Digits();
        Assert.Equal((1797, 64, 10), (digits.Count, digits.FeatureCount, digits.ClassCount));
        Assert.Equal(178, digits.Labels.Count(l => l == 0));
        var iris = Datasets.Iris();
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        Assert.Equal(150, iris.Count);
        var cancer = Datasets.BreastCancer();
        Assert.Equal((569, 30, 212), (cancer.Count, cancer.FeatureCount, cancer.Labels.Count(l => l == 0)));
    }

    [Fact]
    public void Unknown_label_column_names_the_columns()
    {
        var ex = Assert.Throws<ArgumentException>(() => Datasets.LoadCsv(Datasets.FindDataFile("iris.csv"), "class"));
        Assert.Contains("no column 'class'", ex.Message);
        Assert.Contains("species", ex.Message);
    }

    [Fact]
    public void Bad_number_names_file_line_and_column()
    {
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(path, "a,b,label\n1,2,0\n3,x,1\n");
        var ex = Assert.Throws<FormatException>(() => Datasets.LoadCsv(path, "label"));
        Assert.Contains("line 3, column 'b': 'x' is not a number", ex.Message);
    }

    [Fact]
    public void Ragged_and_empty_files_are_rejected()
    {
        var ragged = Path.Combine(_dir, "ragged.csv");
        File.WriteAllText(ragged, "a,b,label\n1,2\n");
        Assert.Contains("line 2: 2 values", Assert.Throws<FormatException>(() => Datasets.LoadCsv(ragged, "label")).Message);
        var empty = Path.Combine(_dir, "empty.csv");
        File.WriteAllText(empty, "a,label\n");
        Assert.Contains("no data rows", Assert.Throws<FormatException>(() => Datasets.LoadCsv(empty, "label")).Message);
    }

    [Fact]
    public void Stratified_split_is_seeded_and_keeps_class_proportions()
    {
        var iris = Datasets.Iris();
        var (train, test) = iris.Split(0.2, seed: 1);
        Assert.Equal((120, 30), (train.Count, test.Count));
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(10, test.Labels.Count(l => l == c)));
        var (train2, _) = iris.Split(0.2, seed: 1);
        Assert.Equal(train.Features.ToArray(), train2.Features.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => iris.Split(1.0, 0));
    }

    [Fact]
    public void Batches_cover_every_sample_once_per_epoch_with_a_smaller_last_batch()
    {
        var iris = Datasets.Iris();
        var batches = iris.Batches(32, seed: 3, epoch: 1).ToList();
        Assert.Equal(5, batches.Count);
        Assert.Equal(22, batches[^1].Count);
        Assert.Equal(iris.BatchesPerEpoch(32), batches.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => iris.Batches(0, 0, 0).ToList());
    }

    [Fact]
    public void Standardizer_gives_zero_mean_and_unit_variance_on_the_fitted_data()
    {
        var cancer = Datasets.BreastCancer();
        var z = Standardizer.Fit(cancer).Transform(cancer);
        for (var j = 0; j < z.FeatureCount; j++)
        {
            var column = z.Features.Column(j);
            Assert.Equal(0, column.Average(), 10);
            Assert.Equal(1, Math.Sqrt(column.Select(v => v * v).Average()), 10);
        }
    }

    [Fact]
    public void Synthetic_generators_are_seeded()
    {
        Assert.Equal(Datasets.TwoMoons(100, 0.1, 4).Features.ToArray(), Datasets.TwoMoons(100, 0.1, 4).Features.ToArray());
        Assert.NotEqual(Datasets.TwoMoons(100, 0.1, 4).Features.ToArray(), Datasets.TwoMoons(100, 0.1, 5).Features.ToArray());
        Assert.Equal(300, Datasets.Spirals(100, 3, 0.2, 1).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.TwoMoons(0, 0.1, 1));
    }
}
