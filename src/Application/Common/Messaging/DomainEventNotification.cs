using System.Collections.Concurrent;
using MediatR;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Common;

namespace Sessions.Application.Common.Messaging;

/// <summary>Carries a domain event through MediatR once its change has been committed.</summary>
public sealed record DomainEventNotification<TEvent>(TEvent Event) : INotification
    where TEvent : IDomainEvent;

public static class DomainEventNotification
{
    private static readonly ConcurrentDictionary<Type, Func<IDomainEvent, INotification>> Factories = new();

    public static INotification For(IDomainEvent domainEvent) =>
        Factories.GetOrAdd(domainEvent.GetType(), static type =>
        {
            var notificationType = typeof(DomainEventNotification<>).MakeGenericType(type);
            return e => (INotification)Activator.CreateInstance(notificationType, e)!;
        })(domainEvent);

    /// <summary>Publishes the domain events of everything the unit of work has committed, in order.</summary>
    public static async Task PublishCommittedAsync(this IMediator mediator, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        foreach (var domainEvent in unitOfWork.DequeueCommittedEvents())
        {
            await mediator.Publish(For(domainEvent), cancellationToken);
        }
    }
}
