namespace Salvo.Sandbox.Data;

/// <summary>The casino categories and how the catalogue is spread over them.</summary>
internal static class GameCategories
{
    public const string Slots = "slots";
    public const string Table = "table";
    public const string Live = "live";
    public const string Crash = "crash";
    public const string Dice = "dice";

    public static readonly string[] All = [Slots, Table, Live, Crash, Dice];

    // Every ten games: five slots, two live, one table, one crash, one dice (slots dominate real lobbies).
    public static readonly string[] Pattern = [Slots, Table, Slots, Live, Slots, Crash, Slots, Dice, Slots, Live];
}
