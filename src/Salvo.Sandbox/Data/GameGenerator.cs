using System.Globalization;

namespace Salvo.Sandbox.Data;

/// <summary>Plausible casino games, the same for the same seed.</summary>
internal static class GameGenerator
{
    private static readonly string[] SlotWords = ["Sweet", "Golden", "Wild", "Lucky", "Mystic", "Fire", "Frozen", "Royal", "Crazy", "Mega", "Ancient", "Neon", "Wanted", "Savage"];
    private static readonly string[] SlotThemes = ["Bonanza", "Dragon", "Pharaoh", "Fruits", "Joker", "Buffalo", "Olympus", "Tiger", "Gems", "Riches", "Vikings", "Pearls", "Fortune", "Bandits"];
    private static readonly string[] SlotSuffixes = ["", "", " 1000", " Megaways", " Deluxe", " Hold & Win", " Xmas"];
    private static readonly string[] TableStyles = ["European", "American", "Classic", "VIP", "Speed", "Multihand", "First Person", "Lightning"];
    private static readonly string[] TableGames = ["Blackjack", "Roulette", "Baccarat", "Poker", "Hi-Lo", "Sic Bo", "Craps"];
    private static readonly string[] LiveShows = ["Crazy Time", "Monopoly Live", "Lightning Roulette", "Mega Ball", "Dream Catcher", "Live Blackjack", "Live Baccarat", "Power Up Roulette"];
    private static readonly string[] CrashGames = ["Crash", "Aviator", "Limbo", "Spaceman", "JetX", "Rocket", "Slide"];
    private static readonly string[] DiceGames = ["Dice", "Dice Duel", "Hi-Lo Dice", "Primedice", "Keno", "Plinko"];
    private static readonly string[] SlotProviders = ["Pragmatic Play", "NetEnt", "Hacksaw Gaming", "Nolimit City", "Push Gaming", "Relax Gaming", "Play'n GO", "Big Time Gaming"];
    private static readonly string[] TableProviders = ["Evolution", "BGaming", "Evoplay", "Stake Originals"];
    private static readonly string[] LiveProviders = ["Evolution", "Pragmatic Play Live", "Playtech Live", "Ezugi"];
    private static readonly string[] InstantProviders = ["Stake Originals", "Spribe", "BGaming", "Turbo Games"];

    public static Game[] Generate(Random random, int count)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var games = new Game[count];
        for (var i = 0; i < count; i++)
        {
            var category = GameCategories.Pattern[i % GameCategories.Pattern.Length];
            var name = Name(random, category);
            // Popular titles exist in several versions; number the repeats so every name is unique.
            for (var version = 2; !names.Add(name); version++)
                name = $"{Name(random, category)} {version.ToString(CultureInfo.InvariantCulture)}";
            games[i] = new Game(GameId(i + 1), name, category, Provider(random, category), Rtp(random, category));
        }
        return games;
    }

    public static string GameId(int number) => "g-" + number.ToString("000", CultureInfo.InvariantCulture);

    private static string Name(Random random, string category) => category switch
    {
        GameCategories.Slots => $"{Pick(random, SlotWords)} {Pick(random, SlotThemes)}{Pick(random, SlotSuffixes)}",
        GameCategories.Table => $"{Pick(random, TableStyles)} {Pick(random, TableGames)}",
        GameCategories.Live => Pick(random, LiveShows),
        GameCategories.Crash => Pick(random, CrashGames),
        _ => Pick(random, DiceGames),
    };

    private static string Provider(Random random, string category) => category switch
    {
        GameCategories.Slots => Pick(random, SlotProviders),
        GameCategories.Table => Pick(random, TableProviders),
        GameCategories.Live => Pick(random, LiveProviders),
        _ => Pick(random, InstantProviders),
    };

    private static double Rtp(Random random, string category)
    {
        var (low, high) = category switch
        {
            GameCategories.Slots => (94.0, 97.5),
            GameCategories.Table => (97.0, 99.5),
            GameCategories.Live => (95.0, 99.0),
            _ => (97.0, 99.0),
        };
        return Math.Round(low + (random.NextDouble() * (high - low)), 2);
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
