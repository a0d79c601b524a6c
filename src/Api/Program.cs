using Sessions.Api.Cli;
using Sessions.Api.Common.Hosting;

var isCommand = CommandLine.IsCommand(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);
if (isCommand)
{
    // stdout belongs to the command's output (the key on the last line); logs go to stderr.
    builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
}

builder.WebHost.ListenForMetrics(builder.Configuration);
builder.Services.AddSessionsApi(builder.Configuration);
var app = builder.Build();

if (isCommand)
{
    return await CommandLine.RunAsync(app, args);
}

await app.Services.GetRequiredService<StartupTasks>().RunAsync(app.Lifetime.ApplicationStopping);
app.UseSessionsApi();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
