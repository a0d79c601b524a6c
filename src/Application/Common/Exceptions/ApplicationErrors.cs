namespace Sessions.Application.Common.Exceptions;

/// <summary>The resource does not exist for this caller (HTTP 404). Rows of others are reported the same way.
/// The id may be missing: a blank path segment binds as null.</summary>
public sealed class NotFoundException(string resource, object? id)
    : Exception($"{resource} {id} not found")
{
    public string Resource { get; } = resource;
    public string Id { get; } = id?.ToString() ?? string.Empty;
}

/// <summary>The request is well-formed but the caller may not do this (HTTP 403); <c>code</c> says why.</summary>
public sealed class ForbiddenException(string message, string code = "forbidden") : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The resource already exists or is otherwise in the way (HTTP 409).</summary>
public sealed class ConflictException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The client's <c>If-Match</c> does not name the current version (HTTP 412).</summary>
public sealed class PreconditionFailedException(long expected, long current)
    : Exception($"The resource is at version {current}, not {expected}. Read it again and retry with its ETag.")
{
    public long Expected { get; } = expected;
    public long Current { get; } = current;
}

/// <summary>
/// A write lost a race with another write (or a concurrent insert of the same key).
/// The unit of work retries the command; when retries run out this becomes HTTP 409.
/// </summary>
public sealed class ConcurrencyConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Input that fails validation (HTTP 400); keys are field names as they appear on the wire.</summary>
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("One or more validation errors occurred.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
