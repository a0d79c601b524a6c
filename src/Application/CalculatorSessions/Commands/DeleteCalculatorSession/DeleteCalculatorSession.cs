using MediatR;
using Sessions.Application.CalculatorSessions.Queries;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Commands;

/// <summary>Discards a session with its results and event log.</summary>
public sealed record DeleteCalculatorSessionCommand(string SessionId, long? ExpectedVersion)
    : ICommand<CalculatorSessionDeletedDto>;

public sealed class DeleteCalculatorSessionCommandHandler(CalculatorAccess access, IRepository<CalculatorSession> sessions)
    : IRequestHandler<DeleteCalculatorSessionCommand, CalculatorSessionDeletedDto>
{
    public async Task<CalculatorSessionDeletedDto> Handle(DeleteCalculatorSessionCommand request, CancellationToken cancellationToken)
    {
        var session = await access.LoadForUpdateAsync(request.SessionId, request.ExpectedVersion, cancellationToken);
        sessions.Remove(session);
        return new CalculatorSessionDeletedDto(true, session.Id);
    }
}
