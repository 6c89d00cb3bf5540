using System.Buffers;

namespace Alyx.Http;

/// <summary>An <see cref="IBufferWriter{T}"/> over one array rented from the shared pool, grown by renting a larger one.</summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    public int WrittenCount { get; private set; }

    public ReadOnlyMemory<byte> WrittenMemory => buffer.AsMemory(0, WrittenCount);

    public void Advance(int count) => WrittenCount += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsMemory(WrittenCount);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsSpan(WrittenCount);
    }

    void Ensure(int sizeHint)
    {
        var needed = WrittenCount + Math.Max(sizeHint, 1);
        if (needed <= buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.AsSpan(0, WrittenCount).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
        WrittenCount = 0;
    }
}
