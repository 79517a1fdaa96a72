using Descent.Data;

namespace Descent.Tests;

public sealed class QuizAndGlossaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-glossary-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_choice_question_gives_a_verdict_or_asks_for_an_answer()
    {
        string[] options = ["grows", "shrinks"];
        Assert.Contains("Not answered yet", Quiz.Choice("Q?", options, 'B', null, "because."));
        Assert.Contains("✓ Correct (B). because.", Quiz.Choice("Q?", options, 'B', 'b', "because."));
        Assert.Contains("✗ Not quite: you chose A, the answer is B.", Quiz.Choice("Q?", options, 'B', 'A', "because."));
        Assert.Contains("'Z' is not an option: choose a letter from A to B", Quiz.Choice("Q?", options, 'B', 'Z', "because."));
        Assert.Contains("the correct letter must be A–B, but was 'C'", Assert.Throws<ArgumentOutOfRangeException>(() => Quiz.Choice("Q?", options, 'C', null, "")).Message);
    }

    [Fact]
    public void A_number_question_accepts_answers_within_the_tolerance()
    {
        Assert.Contains("✓ Correct (0.02)", Quiz.Number("ηg?", 0.02, 0.020000001, "η·g."));
        Assert.Contains("✗ Not quite: you wrote 0.2, the answer is 0.02", Quiz.Number("ηg?", 0.02, 0.2, "η·g."));
        Assert.Contains("Not answered yet", Quiz.Number("ηg?", 0.02, null, "η·g."));
    }

    [Fact]
    public void The_glossary_has_every_term_once_with_chinese_and_a_chapter_that_exists()
    {
        var entries = Glossary.Load();
        Assert.True(entries.Count >= 40);
        Assert.Equal(entries.Count, entries.Select(e => e.Term).Distinct().Count());
        var chapters = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(Datasets.FindDataFile("glossary.csv"))!, "..", "notebooks"), "*.ipynb")
            .Select(f => Path.GetFileName(f)[..2]).ToHashSet();
        Assert.All(entries, e => Assert.Contains(e.Chapter, chapters));
        Assert.Contains(entries, e => e.Chinese == "梯度下降");
        Assert.Contains(Glossary.Phrasings(), p => p.Write.Contains("too high", StringComparison.Ordinal));
    }

    [Fact]
    public void The_exam_layer_has_the_notes_terms_corrections_and_seven_sentences()
    {
        var chinese = Glossary.Load().Select(e => e.Chinese).ToHashSet();
        Assert.All(["超调", "最优点", "指数衰减", "阶梯衰减", "收敛缓慢", "加速收敛", "权重", "梯度消失", "梯度爆炸"], term => Assert.Contains(term, chinese));
        var avoid = Glossary.Phrasings().Select(p => p.Avoid).ToHashSet();
        Assert.All(["Adam is the best optimizer", "learning rate should be decay", "momentum can help the speed"], wrong => Assert.Contains(wrong, avoid));
        var sentences = Glossary.ExamSentences();
        Assert.Equal(7, sentences.Count);
        Assert.All(sentences, s => Assert.Contains(s.Chinese, c => c >= '\u4e00' && c <= '\u9fff'));
        Assert.All(sentences, s => Assert.DoesNotContain(s.English, c => c >= '\u4e00' && c <= '\u9fff'));
    }

    [Fact]
    public void Exam_sentences_need_their_three_columns()
    {
        var path = Path.Combine(_dir, "s.csv");
        File.WriteAllText(path, "chinese,english\n学习率,learning rate\n");
        var ex = Assert.Throws<FormatException>(() => Glossary.ExamSentences(path));
        Assert.Contains("line 1: the header must be 'chinese,english,pattern'", ex.Message);
        File.WriteAllText(path, "chinese,english,pattern\n学习率,\"learning rate, η\",noun\n");
        Assert.Equal(new ExamSentence("学习率", "learning rate, η", "noun"), Glossary.ExamSentences(path).Single());
    }

    [Fact]
    public void Quoted_fields_with_commas_and_doubled_quotes_are_read()
    {
        var path = Path.Combine(_dir, "g.csv");
        File.WriteAllText(path, "avoid,write,why\n\"a, b\",\"say \"\"c\"\"\",\"two\nlines\"\n");
        var rows = Glossary.Phrasings(path);
        Assert.Equal(new PhrasingCorrection("a, b", "say \"c\"", "two\nlines"), rows.Single());
    }

    [Theory]
    [InlineData("avoid,write\nx,y\n", "line 1: the header must be 'avoid,write,why'")]
    [InlineData("avoid,write,why\nx,y\n", "line 2: 2 fields, but the header has 3")]
    [InlineData("avoid,write,why\nx,y,z\nx,,z\n", "line 3, column 'write': the field is empty")]
    [InlineData("avoid,write,why\nx,y,\"z\n", "line 2: a quoted field is not closed")]
    public void Bad_files_name_the_file_and_line(string content, string message)
    {
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(path, content);
        var ex = Assert.Throws<FormatException>(() => Glossary.Phrasings(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(message, ex.Message);
    }
}
