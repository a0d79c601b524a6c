using System.Text.Json.Nodes;
using FluentValidation;
using Sessions.Application.ConnectorSessions.Queries;

namespace Sessions.Application.ConnectorSessions.Commands;

public sealed class ChangeConnectorSessionDataCommandValidator : AbstractValidator<ChangeConnectorSessionDataCommand>
{
    public ChangeConnectorSessionDataCommandValidator() =>
        RuleFor(c => c.Data).NotNull().WithMessage("'data' must be a JSON object.").OverridePropertyName("data");
}
