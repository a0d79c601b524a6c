using MediatR;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Sessions.Application.Common.Behaviors;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Common;

namespace Sessions.Application.UnitTests.Common;

public sealed class UnitOfWorkBehaviorTests
{
    private sealed record TouchCommand : ICommand<int>;

    private sealed record ReadQuery : IQuery<int>;

    private sealed record Touched : IDomainEvent;

    private readonly IUnitOfWork _unitOfWork = Substitute.For<IUnitOfWork>();
    private readonly IMediator _mediator = Substitute.For<IMediator>();

    [Fact]
    public async Task Command_IsCommittedThenItsEventsArePublished()
    {
        var order = new List<string>();
        _unitOfWork.CommitAsync(default).ReturnsForAnyArgs(_ => { order.Add("commit"); return Task.CompletedTask; });
        _unitOfWork.DequeueCommittedEvents().Returns([new Touched()]);
        _mediator.Publish(Arg.Any<INotification>(), Arg.Any<CancellationToken>()).Returns(_ => { order.Add("publish"); return Task.CompletedTask; });

        var result = await Behavior<TouchCommand>().Handle(new TouchCommand(), CancellationToken.None, () => { order.Add("handle"); return Task.FromResult(42); });

        result.Should().Be(42);
        order.Should().Equal("handle", "commit", "publish");
        await _mediator.Received(1).Publish(Arg.Is<INotification>(n => n is DomainEventNotification<Touched>), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task DeferredResponse_IsBuiltAfterTheCommit_AndAnswered()
    {
        var order = new List<string>();
        _unitOfWork.CommitAsync(default).ReturnsForAnyArgs(_ => { order.Add("commit"); return Task.CompletedTask; });
        _unitOfWork.TryBuildDeferredResponse(out Arg.Any<object?>()).Returns(call =>
        {
            order.Add("respond");
            call[0] = 99;
            return true;
        });
        _unitOfWork.DequeueCommittedEvents().Returns([]);

        var result = await Behavior<TouchCommand>().Handle(new TouchCommand(), CancellationToken.None, () => { order.Add("handle"); return Task.FromResult(0); });

        result.Should().Be(99, "the handler's placeholder is replaced by the response built after the commit");
        order.Should().Equal("handle", "commit", "respond");
    }

    [Fact]
    public async Task LostRace_IsResetAndReRun_UntilItCommits()
    {
        var commits = 0;
        _unitOfWork.CommitAsync(default).ReturnsForAnyArgs(_ =>
            ++commits < 3 ? throw new ConcurrencyConflictException("lost") : Task.CompletedTask);
        _unitOfWork.DequeueCommittedEvents().Returns([]);
        var runs = 0;

        var result = await Behavior<TouchCommand>().Handle(new TouchCommand(), CancellationToken.None, () => Task.FromResult(++runs));

        result.Should().Be(3, "the handler re-reads and re-applies on every attempt");
        _unitOfWork.Received(2).Reset();
    }

    [Fact]
    public async Task LostRace_EveryTime_GivesUpAfterTheBound()
    {
        _unitOfWork.CommitAsync(default).ThrowsAsyncForAnyArgs(new ConcurrencyConflictException("lost"));
        var runs = 0;

        var handle = () => Behavior<TouchCommand>().Handle(new TouchCommand(), CancellationToken.None, () => Task.FromResult(++runs));

        await handle.Should().ThrowAsync<ConcurrencyConflictException>();
        runs.Should().Be(100, "the README documents up to 100 attempts before 409 concurrent_update");
    }

    [Fact]
    public async Task FailingHandler_CommitsNothing()
    {
        var handle = () => Behavior<TouchCommand>().Handle(new TouchCommand(), CancellationToken.None,
            () => throw new InvalidTransitionException("nope", "refused"));

        await handle.Should().ThrowAsync<InvalidTransitionException>();
        await _unitOfWork.DidNotReceiveWithAnyArgs().CommitAsync(default);
        _unitOfWork.Received(1).Reset();
    }

    [Fact]
    public async Task Query_PassesThroughWithoutAUnitOfWork()
    {
        var result = await Behavior<ReadQuery>().Handle(new ReadQuery(), CancellationToken.None, () => Task.FromResult(7));

        result.Should().Be(7);
        await _unitOfWork.DidNotReceiveWithAnyArgs().CommitAsync(default);
    }

    private UnitOfWorkBehavior<TRequest, int> Behavior<TRequest>() =>
        new(_unitOfWork, _mediator, TestMetrics.Create(), NullLogger<UnitOfWorkBehavior<TRequest, int>>.Instance);
}
