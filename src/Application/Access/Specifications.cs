using Ardalis.Specification;
using Sessions.Domain.Access;

namespace Sessions.Application.Access;

public sealed class UserByHandleSpec : Specification<User>
{
    public UserByHandleSpec(string handle) => Query.Where(u => u.Handle == handle);
}

public sealed class AnyUserSpec : Specification<User>;

public sealed class ApiKeyByPrefixSpec : Specification<ApiKey>
{
    public ApiKeyByPrefixSpec(string prefix) => Query.Where(k => k.Prefix == prefix);
}

public sealed class AllApiKeysSpec : Specification<ApiKey>
{
    public AllApiKeysSpec() => Query.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id);
}

public sealed class UsersByIdsSpec : Specification<User>
{
    public UsersByIdsSpec(IReadOnlyCollection<long> ids) => Query.Where(u => ids.Contains(u.Id));
}
