using MediatR;
using Sessions.Application.CalculatorSessions.Queries;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Commands;

/// <summary>Discards a session with its results and event log.</summary>
public sealed record DeleteCalculatorSessionCommand(string SessionId, long? ExpectedVersion)
    : ICommand<CalculatorSessionDeletedDto>, IConditionalCommand;

public sealed class DeleteCalculatorSessionCommandHandler(IRepository<CalculatorSession> sessions, ICaller caller)
    : IRequestHandler<DeleteCalculatorSessionCommand, CalculatorSessionDeletedDto>
{
    public async Task<CalculatorSessionDeletedDto> Handle(DeleteCalculatorSessionCommand request, CancellationToken cancellationToken)
    {
        var session = await sessions.LoadAsync(caller, request.SessionId, cancellationToken, forUpdate: true);
        session.EnsureVersion(request.ExpectedVersion);
        sessions.Remove(session);
        return new CalculatorSessionDeletedDto(true, session.Id);
    }
}
