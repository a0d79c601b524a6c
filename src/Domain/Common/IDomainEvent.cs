namespace Sessions.Domain.Common;

/// <summary>Something that happened to an aggregate; published only after the change is committed.</summary>
public interface IDomainEvent;
