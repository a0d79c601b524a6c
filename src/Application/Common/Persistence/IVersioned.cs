namespace Sessions.Application.Common.Persistence;

/// <summary>A response that describes one aggregate at a version; the API sends it as the ETag.</summary>
public interface IVersioned
{
    long Version { get; }
}
