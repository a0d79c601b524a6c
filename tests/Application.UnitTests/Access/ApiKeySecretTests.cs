using Sessions.Application.Access;

namespace Sessions.Application.UnitTests.Access;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void Generate_MakesDistinctKeysWhosePrefixCanBeReadBack()
    {
        var (prefix, token) = ApiKeySecret.Generate();
        var (otherPrefix, otherToken) = ApiKeySecret.Generate();

        token.Should().MatchRegex("^ses_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$");
        ApiKeySecret.TryReadPrefix(token, out var read).Should().BeTrue();
        read.Should().Be(prefix);
        otherToken.Should().NotBe(token);
        otherPrefix.Should().NotBe(prefix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ses_")]
    [InlineData("ses_0123456789ab_short")]
    [InlineData("key_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ses_0123456789AB_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ses_0123456789abXAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryReadPrefix_RefusesAnythingNotShapedLikeAKey(string token)
    {
        ApiKeySecret.TryReadPrefix(token, out _).Should().BeFalse();
    }

    [Fact]
    public void Hash_IsSha256OfTheWholeKey()
    {
        var (_, token) = ApiKeySecret.Generate();

        ApiKeySecret.Hash(token).Should().Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
        ApiKeySecret.Hash(token).Should().NotEqual(ApiKeySecret.Hash(token + "x"));
    }
}
