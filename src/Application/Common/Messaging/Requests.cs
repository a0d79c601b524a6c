using MediatR;

namespace Sessions.Application.Common.Messaging;

/// <summary>Marks a request that changes state: it runs inside the unit of work.</summary>
public interface ICommand;

public interface ICommand<out TResponse> : IRequest<TResponse>, ICommand;

/// <summary>A read-only request: no unit of work, no retry.</summary>
public interface IQuery<out TResponse> : IRequest<TResponse>;
