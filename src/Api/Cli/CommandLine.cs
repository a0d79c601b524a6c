using System.Globalization;
using MediatR;
using Sessions.Api.Common.Hosting;
using Sessions.Application.Access.Commands;
using Sessions.Application.Access.Queries;
using Sessions.Application.Common.Exceptions;
using Sessions.Domain.Common;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.Cli;

/// <summary>
/// The administrative verbs of the host binary: <c>migrate [--script]</c>, <c>users add</c>, <c>keys create|list|revoke</c>,
/// and <c>openapi</c>, which writes the API description the server serves (without a database).
/// They use the server's configuration and its application layer. Exit 0 on success, 2 with a
/// message on stderr when the arguments (or what they ask for) are refused, 3 with one line on
/// stderr when the database cannot be reached (a verb does not wait for it, unlike the server).
/// </summary>
public static class CommandLine
{
    public const int Success = 0;
    public const int Refused = 2;
    public const int DatabaseUnreachable = 3;

    private const string Usage = """
        usage:
          migrate [--script]
          users add <handle> [--name N]
          keys create --user <handle> --scopes a,b [--projects 1,2] [--tenants 7] [--organisations org_42] [--name N] [--expires-in-days D]
          keys list
          keys revoke <prefix>
          openapi [--output <file>]
        """;

    private static readonly string[] Verbs = ["migrate", "users", "keys", "openapi"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var output = Console.Out;
        try
        {
            if (args is ["openapi", .. var openApiOptions])
            {
                return await WriteOpenApiAsync(app.Services, Options.Parse(openApiOptions, "--output"), output);
            }

            var database = app.Services.GetRequiredService<DatabaseOptions>();
            var migrator = app.Services.GetRequiredService<DatabaseMigrator>();
            if (args is ["migrate", "--script"])
            {
                // What a DBA reviews before applying: made from the migrations alone, no server is contacted.
                await output.WriteAsync(migrator.GenerateScript());
                return Success;
            }

            if (args is ["migrate"])
            {
                var applied = await migrator.MigrateAsync(CancellationToken.None);
                await output.WriteLineAsync(applied.Count == 0
                    ? "The database is up to date."
                    : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
                return Success;
            }

            if (database.MigrateOnStartup)
            {
                await migrator.MigrateAsync(CancellationToken.None);
            }

            await using var scope = app.Services.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            return args switch
            {
                ["users", "add", var handle, .. var rest] => await AddUserAsync(mediator, handle, Options.Parse(rest, "--name"), output),
                ["keys", "create", .. var rest] => await CreateKeyAsync(mediator, Options.Parse(rest,
                    "--user", "--scopes", "--projects", "--tenants", "--organisations", "--name", "--expires-in-days"), output),
                ["keys", "list"] => await ListKeysAsync(mediator, output),
                ["keys", "revoke", var prefix] => await RevokeKeyAsync(mediator, prefix, output),
                _ => throw new CommandLineException("Unknown command."),
            };
        }
        catch (Exception exception) when (exception is CommandLineException or ValidationException or DomainException
                                              or ConflictException or NotFoundException)
        {
            await Console.Error.WriteLineAsync(Describe(exception));
            if (exception is CommandLineException)
            {
                await Console.Error.WriteLineAsync(Usage);
            }

            return Refused;
        }
        catch (Exception exception) when (DatabaseErrors.IsDatabaseFailure(exception))
        {
            var database = app.Services.GetRequiredService<DatabaseOptions>();
            await Console.Error.WriteLineAsync(
                $"The {database.Provider.ToString().ToLowerInvariant()} database cannot be reached: {StartupTasks.OneLine(exception)}");
            return DatabaseUnreachable;
        }
    }

    private static async Task<int> AddUserAsync(IMediator mediator, string handle, Options options, TextWriter output)
    {
        var id = await mediator.Send(new RegisterUserCommand(handle, options.Value("--name")));
        await output.WriteLineAsync(id.ToString(CultureInfo.InvariantCulture));
        return Success;
    }

    private static async Task<int> CreateKeyAsync(IMediator mediator, Options options, TextWriter output)
    {
        var created = await mediator.Send(new CreateApiKeyCommand(
            options.Required("--user"),
            options.List("--scopes") ?? throw new CommandLineException("--scopes is required."),
            options.Integers("--projects"),
            options.Integers("--tenants"),
            options.List("--organisations"),
            options.Value("--name"),
            options.Integers("--expires-in-days") is [var days] ? days : options.Value("--expires-in-days") is null
                ? null
                : throw new CommandLineException("--expires-in-days takes one whole number.")));
        await output.WriteLineAsync($"Created key {created.Prefix} for user {options.Required("--user")} (id {created.UserId}).");
        await output.WriteLineAsync("The key is shown this once; only its hash is stored:");
        await output.WriteLineAsync(created.Token);
        return Success;
    }

    /// <summary>The document the running server serves at /openapi/v1.json, to a file or to stdout.</summary>
    private static async Task<int> WriteOpenApiAsync(IServiceProvider services, Options options, TextWriter output)
    {
        var document = await Sessions.Api.Common.OpenApi.OpenApiSetup.GenerateJsonAsync(services);
        if (options.Value("--output") is { } file)
        {
            await File.WriteAllTextAsync(file, document + "\n");
        }
        else
        {
            await output.WriteLineAsync(document);
        }

        return Success;
    }

    private static async Task<int> ListKeysAsync(IMediator mediator, TextWriter output)
    {
        var keys = await mediator.Send(new ListApiKeysQuery());
        await output.WriteLineAsync("PREFIX\tUSER\tSTATUS\tSCOPES\tPROJECTS\tTENANTS\tORGANISATIONS\tCREATED\tEXPIRES\tNAME");
        var now = DateTimeOffset.UtcNow;
        foreach (var key in keys)
        {
            var status = key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : "active";
            await output.WriteLineAsync(string.Join('\t',
                key.Prefix, key.UserHandle, status,
                string.Join(',', key.Grants.Scopes), string.Join(',', key.Grants.Projects),
                string.Join(',', key.Grants.Tenants), string.Join(',', key.Grants.Organisations),
                key.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                key.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
                key.Name ?? "-"));
        }

        return Success;
    }

    private static async Task<int> RevokeKeyAsync(IMediator mediator, string prefix, TextWriter output)
    {
        await mediator.Send(new RevokeApiKeyCommand(prefix));
        await output.WriteLineAsync($"Revoked key {prefix}.");
        return Success;
    }

    private static string Describe(Exception exception) => exception switch
    {
        ValidationException validation => string.Join(Environment.NewLine,
            validation.Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))),
        RuleViolationException rule => string.Join("; ", rule.Violations.Select(violation => $"{violation.Field}: {violation.Message}")),
        _ => exception.Message,
    };

    private sealed class CommandLineException(string message) : Exception(message);

    /// <summary>`--name value` pairs; anything unknown, repeated or without a value is refused.</summary>
    private sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(string[] args, params string[] allowed)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i += 2)
            {
                if (!allowed.Contains(args[i], StringComparer.Ordinal))
                {
                    throw new CommandLineException($"Unexpected argument '{args[i]}'.");
                }

                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new CommandLineException($"{args[i]} needs a value.");
                }

                if (!options._values.TryAdd(args[i], args[i + 1]))
                {
                    throw new CommandLineException($"{args[i]} is given twice.");
                }
            }

            return options;
        }

        public string? Value(string name) => _values.GetValueOrDefault(name);

        public string Required(string name) => Value(name) ?? throw new CommandLineException($"{name} is required.");

        public string[]? List(string name) =>
            Value(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public int[]? Integers(string name) => List(name)?.Select(item =>
            int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new CommandLineException($"{name} takes whole numbers, not '{item}'.")).ToArray();
    }
}
