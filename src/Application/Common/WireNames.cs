using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace Sessions.Application.Common;

/// <summary>Field names as clients see them, so validation errors name what was sent.</summary>
public static class WireNames
{
    public static string ForMember(string memberName) => JsonNamingPolicy.SnakeCaseLower.ConvertName(memberName);

    internal static string? ForValidation(Type type, MemberInfo? member, LambdaExpression? expression) =>
        member is null ? null : ForMember(member.Name);
}
