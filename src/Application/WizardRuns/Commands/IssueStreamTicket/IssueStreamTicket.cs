using MediatR;
using Microsoft.Extensions.Options;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardRuns.Specifications;
using Sessions.Domain.Access;

namespace Sessions.Application.WizardRuns.Commands;

/// <summary>
/// Issues a ticket that opens a project's run stream (<paramref name="Resource"/>) for the caller's key
/// without an Authorization header, for <see cref="WizardRunsOptions.StreamTicketLifetime"/>.
/// </summary>
public sealed record IssueStreamTicketCommand(int ProjectId, string Resource) : ICommand<IssuedStreamTicket>;

/// <summary>The only moment the ticket's text exists outside the caller's hands.</summary>
public sealed record IssuedStreamTicket(string Ticket, DateTimeOffset ExpiresAt);

public sealed class IssueStreamTicketCommandHandler(
    IRepository<StreamTicket> tickets, WizardRunAccess access, ICaller caller, TimeProvider clock, IOptions<WizardRunsOptions> options)
    : IRequestHandler<IssueStreamTicketCommand, IssuedStreamTicket>
{
    public async Task<IssuedStreamTicket> Handle(IssueStreamTicketCommand request, CancellationToken cancellationToken)
    {
        if (!access.MaySee(request.ProjectId))
        {
            throw new NotFoundException("Project", request.ProjectId);
        }

        var now = clock.GetUtcNow();

        // Tickets live minutes and only issuing adds them: spent ones go whenever a new one is issued, so the
        // store holds about the tickets of the last lifetime.
        foreach (var expired in await tickets.ListAsync(new ExpiredStreamTicketsSpec(now), cancellationToken))
        {
            tickets.Remove(expired);
        }

        var (ticket, text) = StreamTicket.Issue(caller.KeyPrefix, request.Resource, now, options.Value.StreamTicketLifetime);
        tickets.Add(ticket);
        return new IssuedStreamTicket(text, ticket.ExpiresAt);
    }
}
