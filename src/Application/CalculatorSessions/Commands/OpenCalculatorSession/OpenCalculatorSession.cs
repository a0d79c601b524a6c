using AutoMapper;
using MediatR;
using Sessions.Application.CalculatorSessions.Queries;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Commands;

public sealed record OpenCalculatorSessionCommand(string? MentorId, string? OrganisationId) : ICommand<CalculatorSessionDto>;

public sealed class OpenCalculatorSessionCommandHandler(
    IRepository<CalculatorSession> sessions, ICaller caller, TimeProvider clock, IMapper mapper)
    : IRequestHandler<OpenCalculatorSessionCommand, CalculatorSessionDto>
{
    public Task<CalculatorSessionDto> Handle(OpenCalculatorSessionCommand request, CancellationToken cancellationToken)
    {
        if (!caller.HasOrganisation(request.OrganisationId!))
        {
            throw new ForbiddenException($"The API key has no grant for organisation '{request.OrganisationId}'.");
        }

        var session = CalculatorSession.Open(request.MentorId!, request.OrganisationId!, clock.GetUtcNow());
        sessions.Add(session);
        return Task.FromResult(mapper.Map<CalculatorSessionDto>(session));
    }
}
