namespace Sessions.Api.Common.Errors;

/// <summary>
/// Writes every problem as <c>application/problem+json</c>, whatever the request's <c>Accept</c>
/// says. The framework's writer declines when <c>Accept</c> names neither JSON type (an
/// EventSource sends <c>text/event-stream</c>, a browser <c>text/html</c>), and a declined problem
/// becomes a 500 with an empty body. RFC 9457 lets a refusal be served as problem+json regardless
/// (RFC 9110 §12.1: a server may disregard <c>Accept</c>), which tells the client what went wrong
/// and, with <c>Retry-After</c>, when to try again.
/// </summary>
internal sealed class ProblemJsonWhateverTheAccept(IProblemDetailsWriter framework) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context) => framework.WriteAsync(context);

    /// <summary>Puts this writer around each registered one (after MVC's own writer has been removed).</summary>
    public static void Decorate(IServiceCollection services)
    {
        foreach (var registered in services.Where(descriptor => descriptor.ServiceType == typeof(IProblemDetailsWriter)).ToList())
        {
            var implementation = registered.ImplementationType
                                 ?? throw new InvalidOperationException("Problem details writers are expected to be registered by type.");
            services.Remove(registered);
            services.Add(ServiceDescriptor.Describe(typeof(IProblemDetailsWriter),
                provider => new ProblemJsonWhateverTheAccept((IProblemDetailsWriter)ActivatorUtilities.CreateInstance(provider, implementation)),
                registered.Lifetime));
        }
    }
}
