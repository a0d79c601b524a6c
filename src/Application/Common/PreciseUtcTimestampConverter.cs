using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sessions.Application.Common;

/// <summary>
/// Writes a timestamp in UTC with as many fractional digits as it has (none when whole seconds),
/// for times a client supplied and expects back as sent.
/// </summary>
public sealed class PreciseUtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
