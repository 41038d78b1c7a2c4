using System.Text;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Paired;

/// <summary>RFC 4180 CSV: comma-separated fields, double-quoted fields may hold commas, newlines and doubled quotes.</summary>
static class CsvRecords
{
    /// <summary>All records, header included; blank lines are skipped.</summary>
    public static List<List<string>> Read(string path)
    {
        var text = File.ReadAllText(path);
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0: quoted = fieldStarted = true; break;
                case ',': record.Add(field.ToString()); field.Clear(); fieldStarted = true; break;
                case '\r': break;
                case '\n': EndRecord(); break;
                default: field.Append(c); fieldStarted = true; break;
            }
        }
        if (quoted) throw new InvalidInputException($"CSV file '{path}' ends inside a quoted field");
        EndRecord();
        return records;

        void EndRecord()
        {
            if (fieldStarted || record.Count > 0)
            {
                record.Add(field.ToString());
                records.Add(record);
            }
            record = [];
            field.Clear();
            fieldStarted = false;
        }
    }
}
