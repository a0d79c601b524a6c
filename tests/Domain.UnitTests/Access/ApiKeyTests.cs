using System.Security.Cryptography;
using Sessions.Domain.Access;
using Sessions.Domain.Common;

namespace Sessions.Domain.UnitTests.Access;

public sealed class ApiKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Hash = SHA256.HashData("secret"u8);
    private static readonly AccessGrants Grants = new([Scopes.ConnectorSessionRead], projects: [1]);

    [Fact]
    public void Accepts_TheMatchingHash_Only()
    {
        var key = Issue(expiresAt: null);

        key.Accepts(Hash, Now).Should().BeTrue();
        key.Accepts(SHA256.HashData("other"u8), Now).Should().BeFalse();
        key.Accepts(Hash.AsSpan(0, 16), Now).Should().BeFalse();
    }

    [Fact]
    public void Accepts_NothingAfterExpiry()
    {
        var key = Issue(expiresAt: Now.AddDays(1));

        key.Accepts(Hash, Now.AddDays(1).AddTicks(-1)).Should().BeTrue();
        key.Accepts(Hash, Now.AddDays(1)).Should().BeFalse();
    }

    [Fact]
    public void Revoke_StopsTheKey_AndCannotHappenTwice()
    {
        var key = Issue(expiresAt: null);

        key.Revoke(Now);

        key.Accepts(Hash, Now).Should().BeFalse();
        key.Version.Should().Be(2);
        key.Invoking(k => k.Revoke(Now)).Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("key_already_revoked");
    }

    [Fact]
    public void Issue_WithAnExpiryInThePast_IsRefused()
    {
        var issue = () => Issue(expiresAt: Now);

        issue.Should().Throw<RuleViolationException>();
    }

    [Fact]
    public void Grants_RefuseUnknownScopesAndBadIds()
    {
        ((Action)(() => _ = new AccessGrants(["admin:everything"]))).Should().Throw<RuleViolationException>().Which.Field.Should().Be("scopes");
        ((Action)(() => _ = new AccessGrants([]))).Should().Throw<RuleViolationException>();
        ((Action)(() => _ = new AccessGrants([Scopes.OnboardingRead], tenants: [0]))).Should().Throw<RuleViolationException>();
        ((Action)(() => _ = new AccessGrants([Scopes.OnboardingRead], organisations: ["a,b"]))).Should().Throw<RuleViolationException>();
    }

    [Fact]
    public void Grants_AreDeduplicatedAndOrdered()
    {
        var grants = new AccessGrants([Scopes.OnboardingWrite, Scopes.OnboardingRead, Scopes.OnboardingRead], projects: [3, 1, 3]);

        grants.Scopes.Should().Equal(Scopes.OnboardingRead, Scopes.OnboardingWrite);
        grants.Projects.Should().Equal(1, 3);
        grants.HasScope(Scopes.OnboardingRead).Should().BeTrue();
        grants.HasScope(Scopes.ConnectorSessionRead).Should().BeFalse();
    }

    [Theory]
    [InlineData("usr-demo", true)]
    [InlineData("a.b_c-1", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("émile", false)]
    public void User_HandleRules(string handle, bool accepted)
    {
        var register = () => User.Register(handle, null, Now);

        if (accepted)
        {
            register.Should().NotThrow().Which.Handle.Should().Be(handle);
        }
        else
        {
            register.Should().Throw<RuleViolationException>().Which.Field.Should().Be("handle");
        }
    }

    private static ApiKey Issue(DateTimeOffset? expiresAt) =>
        ApiKey.Issue(User.Register("usr-test", null, Now), "0123456789ab", Hash, Grants, "test", Now, expiresAt);
}
