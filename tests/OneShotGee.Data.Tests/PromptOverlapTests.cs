namespace OneShotGee.Data.Tests;

public class PromptOverlapTests
{
    [Fact]
    public void CountsDistinctHeldOutPromptsFoundInTheTrainingDataIgnoringCaseAndSpacing()
    {
        string[] training = ["He has 3 apples.", "She reads  a book.", "A neutral line."];
        string[] heldOut = ["he has 3 apples.", "SHE READS A BOOK.", "She reads a book.", " She reads\ta book. ", "He has 4 apples.", "she reads a book"];

        // "he has 3 apples." and the three spellings of "she reads a book." match; "4 apples" and the unpunctuated line do not.
        Assert.Equal(2, PromptOverlap.Count(heldOut, training));
        Assert.Equal(0, PromptOverlap.Count(heldOut, []));
    }
}
