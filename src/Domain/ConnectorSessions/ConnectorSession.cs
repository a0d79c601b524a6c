using System.Text.Json;
using System.Text.Json.Nodes;
using Sessions.Domain.Common;

namespace Sessions.Domain.ConnectorSessions;

/// <summary>
/// A connector generator's working state: a free-form JSON object owned by the user who
/// created it. The object is kept as JSON text so every value comes back as it was sent.
/// </summary>
public sealed class ConnectorSession : AggregateRoot
{
    private ConnectorSession()
    {
        Data = null!;
    }

    public Guid Id { get; private set; }
    public long OwnerUserId { get; private set; }

    /// <summary>The session data, a JSON object serialized as text.</summary>
    public string Data { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static ConnectorSession Create(Guid id, long ownerUserId, JsonObject data, DateTimeOffset now)
    {
        if (id == Guid.Empty)
        {
            throw new RuleViolationException("sessionId", "empty_session_id", "The session id must not be the empty UUID.");
        }

        var session = new ConnectorSession
        {
            Id = id,
            OwnerUserId = ownerUserId,
            Data = Serialize(data),
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Changed();
        return session;
    }

    public JsonObject ReadData() => JsonNode.Parse(Data)!.AsObject();

    /// <summary>Shallow merge: each top-level key of <paramref name="patch"/> replaces that key whole; other keys stay.</summary>
    public void Merge(JsonObject patch, DateTimeOffset now)
    {
        var merged = ReadData();
        foreach (var (key, value) in patch)
        {
            merged[key] = value?.DeepClone();
        }

        Apply(merged, now);
    }

    /// <summary>Replaces the whole data object.</summary>
    public void Replace(JsonObject data, DateTimeOffset now) => Apply(data, now);

    private void Apply(JsonObject data, DateTimeOffset now)
    {
        Data = Serialize(data);
        UpdatedAt = now;
        Changed();
    }

    private static string Serialize(JsonObject data)
    {
        // PostgreSQL cannot store U+0000 in text; refusing it everywhere keeps both databases alike.
        if (ContainsNul(data))
        {
            throw new RuleViolationException("data", "nul_character", "Strings in data must not contain the U+0000 character.");
        }

        return data.ToJsonString(SerializerOptions);
    }

    private static bool ContainsNul(JsonNode? node) => node switch
    {
        JsonObject properties => properties.Any(p => p.Key.Contains('\0') || ContainsNul(p.Value)),
        JsonArray items => items.Any(ContainsNul),
        JsonValue value => value.TryGetValue<string>(out var text) && text.Contains('\0'),
        _ => false,
    };

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
