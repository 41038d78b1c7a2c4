using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Evaluation.Paired;

namespace OneShotGee.Evaluation.Tests.Paired;

public sealed class PairedPromptSetTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("paired-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Rows_become_pairs_in_group_order()
    {
        var set = PairedPromptSet.FromRows("t", [
            new("1", "female", "she ran"), new("1", "male", "he ran"), new("2", "male", "he sat"), new("2", "female", "she sat")]);
        Assert.Equal(["female", "male"], set.Groups);
        Assert.Equal(2, set.Pairs.Count);
        Assert.Equal(["she sat", "he sat"], set.Pairs[1].Texts);
        Assert.Equal(64, set.Sha256.Length);
    }

    [Theory]
    [InlineData("no rows")]
    [InlineData("one group")]
    [InlineData("missing")]
    [InlineData("twice")]
    public void Bad_sets_are_rejected_with_a_reason(string problem)
    {
        PairedPromptRow[] rows = problem switch
        {
            "no rows" => [],
            "one group" => [new("1", "male", "he")],
            "missing" => [new("1", "male", "he"), new("1", "female", "she"), new("2", "male", "he again")],
            _ => [new("1", "male", "he"), new("1", "male", "him"), new("1", "female", "she")],
        };
        var error = Assert.Throws<InvalidInputException>(() => PairedPromptSet.FromRows("set.jsonl", rows));
        Assert.Contains("set.jsonl", error.Message);
        Assert.Contains(problem switch { "no rows" => "no rows", "one group" => "two groups", "missing" => "pair '2'", _ => "two rows of group 'male'" },
            error.Message);
    }

    [Fact]
    public void Jsonl_with_numeric_pair_ids_and_extra_columns()
    {
        var path = Write("p.jsonl",
            "{\"pair_id\": 7, \"group\": \"male\", \"text\": \"He said\", \"x\": 1}\n\n{\"pair_id\": 7, \"group\": \"female\", \"text\": \"She said\"}\n");
        var set = PairedPromptFile.Read(path);
        Assert.Equal("7", set.Pairs.Single().PairId);
        Assert.Equal(["He said", "She said"], set.Pairs[0].Texts);
        Assert.Equal(DatasetHash.Of(path), set.Sha256);
        Assert.Equal("p.jsonl", set.Name);
    }

    [Fact]
    public void Csv_with_quoted_fields()
    {
        var path = Write("p.csv",
            "text,group,pair_id\r\n\"He said, \"\"hi\"\"\",male,a\r\n\"She said,\nthen\",female,a\r\n");
        var set = PairedPromptFile.Read(path);
        Assert.Equal(["male", "female"], set.Groups);
        Assert.Equal(["He said, \"hi\"", "She said,\nthen"], set.Pairs.Single().Texts);
    }

    [Fact]
    public void Csv_with_set_ids_holds_sets_of_three_groups()
    {
        var path = Write("p.csv", "set_id,group,text\n1,male,He said\n1,female,She said\n1,nonbinary,They said\n");
        var set = PairedPromptFile.Read(path);
        Assert.Equal(["male", "female", "nonbinary"], set.Groups);
        Assert.Equal(["He said", "She said", "They said"], set.Pairs.Single().Texts);
    }

    [Fact]
    public void Parquet_of_triples_from_data_prep_is_read_as_sets_of_three()
    {
        var path = Path.Combine(_dir, "triples.parquet");
        PrepareStep.Run(new PrepareOptions(path, Attribute: "gender-nb", Synthetic: 6));
        var set = PairedPromptFile.Read(path);
        Assert.Equal(["male", "female", "nonbinary"], set.Groups);
        Assert.Equal(2, set.Pairs.Count);
    }

    [Fact]
    public void Parquet_from_data_prep_is_read_as_pairs()
    {
        var path = Path.Combine(_dir, "prepared.parquet");
        PrepareStep.Run(new PrepareOptions(path, Synthetic: 6));
        var set = PairedPromptFile.Read(path);
        Assert.Equal(["male", "female"], set.Groups);
        Assert.Equal(3, set.Pairs.Count);
        Assert.All(set.Pairs, p => Assert.NotEqual(p.Texts[0], p.Texts[1]));
    }

    [Fact]
    public void File_errors_name_the_file_and_column()
    {
        Assert.Contains("does not exist", Assert.Throws<InvalidInputException>(() => PairedPromptFile.Read(Path.Combine(_dir, "none.jsonl"))).Message);
        Assert.Contains("'.txt'", Assert.Throws<InvalidInputException>(() => PairedPromptFile.Read(Write("p.txt", "x"))).Message);
        var noGroup = Assert.Throws<InvalidInputException>(() => PairedPromptFile.Read(Write("g.jsonl", "{\"pair_id\":\"1\",\"text\":\"x\"}")));
        Assert.Contains("column 'group'", noGroup.Message);
        Assert.Contains("g.jsonl", noGroup.Message);
        var csv = Assert.Throws<InvalidInputException>(() => PairedPromptFile.Read(Write("c.csv", "pair_id,text\n1,x\n")));
        Assert.Contains("column 'group'", csv.Message);
        Assert.Contains("no rows", Assert.Throws<InvalidInputException>(() => PairedPromptFile.Read(Write("e.jsonl", "\n"))).Message);
    }

    [Fact]
    public void Subset_is_seeded_and_keeps_order()
    {
        var set = WinogenderTemplates.Build();
        var a = set.Subset(10, seed: 4);
        Assert.Equal(a.Pairs.Select(p => p.PairId), set.Subset(10, seed: 4).Pairs.Select(p => p.PairId));
        Assert.Equal(10, a.Pairs.Count);
        var positions = a.Pairs.Select(p => set.Pairs.ToList().IndexOf(p)).ToArray();
        Assert.Equal(positions.Order(), positions);
        Assert.Same(set, set.Subset(100000, 4));
    }
}
