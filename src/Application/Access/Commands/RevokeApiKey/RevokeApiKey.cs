using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Access;

namespace Sessions.Application.Access.Commands;

public sealed record RevokeApiKeyCommand(string Prefix) : ICommand<Unit>;

public sealed class RevokeApiKeyCommandHandler(IRepository<ApiKey> keys, TimeProvider clock)
    : IRequestHandler<RevokeApiKeyCommand, Unit>
{
    public async Task<Unit> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        var key = await keys.GetForUpdateAsync(new ApiKeyByPrefixSpec(request.Prefix), expectedVersion: null, cancellationToken)
                  ?? throw new NotFoundException("Key", request.Prefix);
        key.Revoke(clock.GetUtcNow());
        return Unit.Value;
    }
}
