using Alyx.Filtering;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Http;

/// <summary>One documented operation: what the OpenAPI document says of a route.</summary>
public sealed record ApiOperation(
    string Path,
    string Method,
    string Endpoint,
    string Action,
    Serializer? Request,
    Serializer? Response,
    Func<IModel, IReadOnlyList<FilterDoc>>? Filters,
    IReadOnlyList<string> PathParameters,
    int SuccessStatus,
    string? Description = null);

/// <summary>Every REST operation the server maps, recorded as it is mapped, so the schema cannot drift from the routes.</summary>
public sealed class ApiCatalog
{
    readonly List<ApiOperation> operations = [];
    readonly List<IResource> resources = [];
    readonly Lock gate = new();

    public void AddResource(IResource resource)
    {
        lock (gate) resources.Add(resource);
    }

    /// <summary>Every resource declaration, in the order mapped.</summary>
    public IReadOnlyList<IResource> Resources
    {
        get
        {
            lock (gate) return resources.ToList();
        }
    }

    public void Add(ApiOperation operation)
    {
        lock (gate) operations.Add(operation);
    }

    public IReadOnlyList<ApiOperation> Operations
    {
        get
        {
            lock (gate) return operations.ToList();
        }
    }
}
