using Salvo.Telemetry;

namespace Salvo.Tests.Telemetry;

public class RedactionTests
{
    [Theory]
    [InlineData("https://api.test/games?page=2", "https://api.test/games?page=2")]
    [InlineData("https://api.test/x?api_key=K&page=2", "https://api.test/x?api_key=***&page=2")]
    [InlineData("https://api.test/x?access_token=T", "https://api.test/x?access_token=***")]
    [InlineData("https://api.test/x?client_secret=S&sig=Z&X-Amz-Signature=Q", "https://api.test/x?client_secret=***&sig=***&X-Amz-Signature=***")]
    [InlineData("https://api.test/cb?code=C&state=s", "https://api.test/cb?code=***&state=s")]
    [InlineData("https://api.test/x?password=P&sessionid=I", "https://api.test/x?password=***&sessionid=***")]
    [InlineData("https://me:pw@api.test/x", "https://api.test/x")]
    [InlineData("https://api.test/x#frag", "https://api.test/x")]
    public void RedactUrl_Uri_MasksSecrets(string input, string expected) =>
        Redaction.RedactUrl(new Uri(input)).ShouldBe(expected);

    [Theory]
    [InlineData("relative/path?token=abc&n=1", "relative/path?token=***&n=1")]
    [InlineData("http://u:p@host:99999/x?key=1", "http://host:99999/x?key=***")]
    [InlineData("no-query", "no-query")]
    [InlineData("https://api.test/x?%74oken=abc", "https://api.test/x?%74oken=***")]
    public void RedactUrl_Text_MasksSecretsEvenWhenUnparseable(string input, string expected) =>
        Redaction.RedactUrl(input).ShouldBe(expected);

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("proxy-authorization", true)]
    [InlineData("Cookie", true)]
    [InlineData("Set-Cookie", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("X-Riot-Token", true)]
    [InlineData("X-Custom-Secret", true)]
    [InlineData("Accept", false)]
    [InlineData("Content-Type", false)]
    public void IsSecretHeader_KnownNames(string name, bool secret) => Redaction.IsSecretHeader(name).ShouldBe(secret);
}
