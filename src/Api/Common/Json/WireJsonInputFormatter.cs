using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.Extensions.Options;
using Sessions.Api.Common.Http;

namespace Sessions.Api.Common.Json;

/// <summary>
/// MVC's JSON input formatter, with its errors as the contract states them. A body that binds is read
/// once, by the framework's formatter. One that does not is looked at again as a whole
/// (<see cref="WireShape"/>), so every field that does not fit is reported at once, keyed by its wire
/// path and explained in words, instead of the serializer's first error under a JSON path with a
/// .NET type name in its message.
/// </summary>
public sealed class WireJsonInputFormatter : TextInputFormatter, IInputFormatterExceptionPolicy
{
    private readonly SystemTextJsonInputFormatter _framework;

    public WireJsonInputFormatter(SystemTextJsonInputFormatter framework)
    {
        _framework = framework;
        foreach (var mediaType in framework.SupportedMediaTypes)
        {
            SupportedMediaTypes.Add(mediaType);
        }

        foreach (var encoding in framework.SupportedEncodings)
        {
            SupportedEncodings.Add(encoding);
        }
    }

    public InputFormatterExceptionPolicy ExceptionPolicy => ((IInputFormatterExceptionPolicy)_framework).ExceptionPolicy;

    private JsonSerializerOptions SerializerOptions => _framework.SerializerOptions;

    public override async Task<InputFormatterResult> ReadRequestBodyAsync(InputFormatterContext context, Encoding encoding)
    {
        var result = await _framework.ReadRequestBodyAsync(context, encoding);
        if (!result.HasError)
        {
            return result;
        }

        // The serializer's error is keyed by its JSON path ($, $.run_phase); nothing else is.
        var serializerKeys = context.ModelState.Keys.Where(key => key.StartsWith('$')).ToList();
        var body = await BufferedBody.ReadAsync(context.HttpContext.Request);
        var errors = Shape(body, context.ModelType);
        if (errors.Count == 0)
        {
            // The walk found nothing the serializer refused (a converter's own rule): keep its place, in wire form.
            errors = serializerKeys.ToDictionary(WireShape.FromJsonPath, key => new List<string> { $"{WireShape.Subject(WireShape.FromJsonPath(key))} is not a valid value here." });
        }

        foreach (var key in serializerKeys)
        {
            context.ModelState.Remove(key);
        }

        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                context.ModelState.TryAddModelError(field, message);
            }
        }

        return InputFormatterResult.Failure();
    }

    private Dictionary<string, List<string>> Shape(ReadOnlyMemory<byte> body, Type type)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = SerializerOptions.MaxDepth is 0 ? 64 : SerializerOptions.MaxDepth });
            return WireShape.Errors(document.RootElement, type, SerializerOptions);
        }
        catch (JsonException)
        {
            return []; // not JSON: the well-formed JSON check answers such bodies before binding
        }
    }
}

/// <summary>Puts <see cref="WireJsonInputFormatter"/> where MVC's own JSON input formatter was.</summary>
public sealed class WireJsonInputFormatterSetup : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options)
    {
        for (var index = 0; index < options.InputFormatters.Count; index++)
        {
            if (options.InputFormatters[index] is SystemTextJsonInputFormatter framework)
            {
                options.InputFormatters[index] = new WireJsonInputFormatter(framework);
            }
        }
    }
}
