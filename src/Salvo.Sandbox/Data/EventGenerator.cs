using System.Globalization;

namespace Salvo.Sandbox.Data;

/// <summary>Plausible sports fixtures with three-way odds, the same for the same seed.</summary>
internal static class EventGenerator
{
    // A fixed start, not the clock, so the data (and its ETags) do not depend on when the server started.
    private static readonly DateTimeOffset FirstKickOff = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // The bookmaker's margin: implied probabilities add up to 105%.
    private const double Margin = 1.05;

    private static readonly (string Sport, string[] Teams)[] Sports =
    [
        ("football", ["Arsenal", "Barcelona", "Bayern Munich", "Benfica", "Celtic", "Inter", "Juventus", "Liverpool", "Ajax", "Napoli", "Porto", "Real Madrid"]),
        ("ice-hockey", ["Bruins", "Canadiens", "Oilers", "Maple Leafs", "Rangers", "Penguins", "Avalanche", "Lightning", "Kings", "Stars"]),
        ("handball", ["Barça", "Kiel", "Veszprém", "Aalborg", "Flensburg", "Paris", "Kielce", "Magdeburg"]),
        ("rugby", ["All Blacks", "Springboks", "Wallabies", "Les Bleus", "England", "Ireland", "Wales", "Scotland", "Argentina", "Fiji"]),
    ];

    public static SportEvent[] Generate(Random random, int count)
    {
        var events = new SportEvent[count];
        for (var i = 0; i < count; i++)
        {
            var (sport, teams) = Sports[i % Sports.Length];
            var home = random.Next(teams.Length);
            var away = (home + 1 + random.Next(teams.Length - 1)) % teams.Length;
            var startsAt = FirstKickOff + TimeSpan.FromMinutes(15 * random.Next(30 * 24 * 4));
            events[i] = new SportEvent(EventId(i + 1), sport, teams[home], teams[away], startsAt, GenerateOdds(random, sport));
        }
        return events;
    }

    public static string EventId(int number) => "e-" + number.ToString("000", CultureInfo.InvariantCulture);

    private static Odds GenerateOdds(Random random, string sport)
    {
        var draw = sport == "football" ? 0.22 + (random.NextDouble() * 0.08) : 0.05 + (random.NextDouble() * 0.1);
        var home = (1 - draw) * (0.3 + (random.NextDouble() * 0.4));
        var away = 1 - draw - home;
        return new Odds(Price(home), Price(draw), Price(away));
    }

    private static double Price(double probability) => Math.Round(Math.Max(1.01, 1 / (probability * Margin)), 2);
}
