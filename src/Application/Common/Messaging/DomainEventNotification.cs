using System.Collections.Concurrent;
using MediatR;
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
}
