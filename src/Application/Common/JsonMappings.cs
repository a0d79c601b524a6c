using System.Text.Json.Nodes;

namespace Sessions.Application.Common;

/// <summary>
/// Free-form JSON is handed over as it is: without these maps AutoMapper would walk a JSON
/// object as a collection and try to re-parent its nodes.
/// </summary>
internal sealed class JsonMappings : AutoMapper.Profile
{
    public JsonMappings()
    {
        CreateMap<JsonNode, JsonNode>().ConvertUsing(node => node);
        CreateMap<JsonObject, JsonObject>().ConvertUsing(node => node);
        CreateMap<JsonArray, JsonArray>().ConvertUsing(node => node);
    }
}
