using Microsoft.Extensions.Options;
using NSubstitute;
using Sessions.Application.Access;
using Sessions.Application.Common.Messaging;
using Sessions.Domain.Access;

namespace Sessions.Application.UnitTests.Access;

public sealed class ApiKeyAuthenticatorTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly IApiKeyReader _reader = Substitute.For<IApiKeyReader>();
    private readonly RecentApiKeys _recent;
    private readonly string _token;
    private readonly ApiKey _key;

    public ApiKeyAuthenticatorTests()
    {
        _recent = new RecentApiKeys(Options.Create(new ApiKeyCacheOptions { Lifetime = Lifetime }), _clock);
        var (prefix, token) = ApiKeySecret.Generate();
        _token = token;
        _key = ApiKey.Issue(User.Register("usr-ada", null, _clock.GetUtcNow()), prefix, ApiKeySecret.Hash(token),
            new AccessGrants([Scopes.ConnectorSessionRead], [], [], []), null, _clock.GetUtcNow(), expiresAt: null);
        _reader.FindByPrefixAsync(prefix, Arg.Any<CancellationToken>()).Returns((_key, new KeyOwner("usr-ada", null)));
    }

    private ApiKeyAuthenticator Authenticator => new(_reader, _recent, _clock, Common.TestMetrics.Create());

    [Fact]
    public async Task AProvenKey_IsReadOncePerLifetime()
    {
        (await Authenticator.AuthenticateAsync(_token, default)).Should().NotBeNull();
        _clock.Advance(Lifetime - TimeSpan.FromSeconds(1));
        (await Authenticator.AuthenticateAsync(_token, default)).Should().NotBeNull();
        await _reader.ReceivedWithAnyArgs(1).FindByPrefixAsync(default!, default);

        _clock.Advance(TimeSpan.FromSeconds(1));
        (await Authenticator.AuthenticateAsync(_token, default)).Should().NotBeNull();
        await _reader.ReceivedWithAnyArgs(2).FindByPrefixAsync(default!, default);
    }

    [Fact]
    public async Task ByDefault_AKeyIsRememberedForTheDocumentedTenSeconds()
    {
        var authenticator = new ApiKeyAuthenticator(_reader, new RecentApiKeys(Options.Create(new ApiKeyCacheOptions()), _clock), _clock, Common.TestMetrics.Create());

        (await authenticator.AuthenticateAsync(_token, default)).Should().NotBeNull();
        _clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        (await authenticator.AuthenticateAsync(_token, default)).Should().NotBeNull();
        await _reader.ReceivedWithAnyArgs(1).FindByPrefixAsync(default!, default);

        _clock.Advance(TimeSpan.FromTicks(1));
        (await authenticator.AuthenticateAsync(_token, default)).Should().NotBeNull();
        await _reader.ReceivedWithAnyArgs(2).FindByPrefixAsync(default!, default);
    }

    [Fact]
    public async Task AWrongSecret_WithAKnownPrefix_IsRefused_EvenWhenTheKeyIsRemembered()
    {
        (await Authenticator.AuthenticateAsync(_token, default)).Should().NotBeNull();

        var forged = _token[..^4] + (_token.EndsWith("AAAA") ? "BBBB" : "AAAA");

        (await Authenticator.AuthenticateAsync(forged, default)).Should().BeNull();
    }

    [Fact]
    public async Task ARevocationCommittedHere_AppliesAtOnce()
    {
        (await Authenticator.AuthenticateAsync(_token, default)).Should().NotBeNull();
        var stored = ApiKey.Issue(User.Register("usr-ada", null, _clock.GetUtcNow()), _key.Prefix, ApiKeySecret.Hash(_token),
            _key.Grants, null, _clock.GetUtcNow(), expiresAt: null);
        stored.Revoke(_clock.GetUtcNow());
        _reader.FindByPrefixAsync(_key.Prefix, Arg.Any<CancellationToken>()).Returns((stored, new KeyOwner("usr-ada", null)));

        await new ForgetRevokedApiKey(_recent).Handle(new DomainEventNotification<ApiKeyRevoked>(new ApiKeyRevoked(_key.Prefix)), default);

        (await Authenticator.AuthenticateAsync(_token, default)).Should().BeNull();
    }

    [Fact]
    public async Task ARememberedKey_StillExpiresOnTime()
    {
        var expiring = ApiKey.Issue(User.Register("usr-bob", null, _clock.GetUtcNow()), _key.Prefix, ApiKeySecret.Hash(_token),
            _key.Grants, null, _clock.GetUtcNow(), expiresAt: _clock.GetUtcNow().AddSeconds(5));
        _reader.FindByPrefixAsync(_key.Prefix, Arg.Any<CancellationToken>()).Returns((expiring, new KeyOwner("usr-bob", null)));
        (await Authenticator.AuthenticateAsync(_token, default)).Should().NotBeNull();

        _clock.Advance(TimeSpan.FromSeconds(5));

        (await Authenticator.AuthenticateAsync(_token, default)).Should().BeNull();
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
