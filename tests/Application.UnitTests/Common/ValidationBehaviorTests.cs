using FluentValidation;
using Sessions.Application.Common.Behaviors;
using Sessions.Application.ConnectorSessions.Commands;
using ValidationException = Sessions.Application.Common.Exceptions.ValidationException;

namespace Sessions.Application.UnitTests.Common;

public sealed class ValidationBehaviorTests
{
    [Fact]
    public async Task InvalidCommand_NeverReachesItsHandler_AndNamesTheWireField()
    {
        var behavior = new ValidationBehavior<ChangeConnectorSessionDataCommand, int>(
            [new ChangeConnectorSessionDataCommandValidator()]);
        var reached = false;

        var handle = () => behavior.Handle(new ChangeConnectorSessionDataCommand(Guid.NewGuid(), null, DataChange.Merge, null),
            CancellationToken.None, () => { reached = true; return Task.FromResult(1); });

        (await handle.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainKey("data");
        reached.Should().BeFalse();
    }

    [Fact]
    public async Task RequestWithoutValidators_PassesThrough()
    {
        var behavior = new ValidationBehavior<string, int>(Array.Empty<IValidator<string>>());

        (await behavior.Handle("x", CancellationToken.None, () => Task.FromResult(5))).Should().Be(5);
    }
}
