using System.Numerics;
using System.Runtime.InteropServices;

namespace Alyx.Data;

/// <summary>
/// A read-only set of ids held as one sorted array of 16-byte keys, with the position where each value of a key's first
/// 16 bits starts (so a lookup searches a few entries): 16 bytes per id, where a <c>HashSet&lt;Guid&gt;</c> takes 24-48 with
/// its buckets and growth and leaves the arrays it outgrew on the large object heap. Filled through <see cref="Builder"/>.
/// </summary>
internal sealed class SortedIdSet
{
    const int PrefixBits = 16;

    readonly Key[] keys;
    readonly int[] starts;

    SortedIdSet(Key[] keys, int count)
    {
        this.keys = keys;
        Count = count;
        starts = new int[(1 << PrefixBits) + 1];
        var at = 0;
        for (var prefix = 0; prefix < 1 << PrefixBits; prefix++)
        {
            starts[prefix] = at;
            while (at < count && keys[at].Prefix == prefix) at++;
        }
        starts[1 << PrefixBits] = count;
    }

    public int Count { get; }

    public bool Contains(Guid id)
    {
        var key = Key.From(id);
        var start = starts[key.Prefix];
        return keys.AsSpan(start, starts[key.Prefix + 1] - start).BinarySearch(key) >= 0;
    }

    /// <summary>
    /// Collects ids in chunks of 64 KB (below the large object heap's threshold, and nothing copied as it grows), then sorts
    /// them into one array and removes the duplicates; an id equal to the one added just before is skipped at once.
    /// </summary>
    public sealed class Builder
    {
        const int ChunkLength = 4096;

        readonly List<Key[]> chunks = [];
        Key[] current = new Key[ChunkLength];
        int used;
        Key last;
        bool any;

        public void Add(Guid id)
        {
            var key = Key.From(id);
            if (any && key.Equals(last)) return;
            (last, any) = (key, true);
            if (used == ChunkLength)
            {
                chunks.Add(current);
                current = new Key[ChunkLength];
                used = 0;
            }
            current[used++] = key;
        }

        public SortedIdSet Build()
        {
            var keys = GC.AllocateUninitializedArray<Key>(chunks.Count * ChunkLength + used);
            var at = 0;
            foreach (var chunk in chunks)
            {
                chunk.CopyTo(keys, at);
                at += ChunkLength;
            }
            current.AsSpan(0, used).CopyTo(keys.AsSpan(at));
            chunks.Clear();
            current = [];
            keys.AsSpan().Sort();
            var count = 0;
            for (var i = 0; i < keys.Length; i++)
                if (count == 0 || !keys[i].Equals(keys[count - 1])) keys[count++] = keys[i];
            return new SortedIdSet(keys, count);
        }
    }

    /// <summary>
    /// A UUID's 16 bytes as two unsigned numbers, ordered by (<see cref="High"/>, <see cref="Low"/>); the high one is rotated so
    /// that its top 16 bits (the prefix) are two bytes of the UUID's first field, random in version 4 UUIDs.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly record struct Key(ulong High, ulong Low) : IComparable<Key>
    {
        public int Prefix => (int)(High >> (64 - PrefixBits));

        public static Key From(Guid id)
        {
            var words = MemoryMarshal.Cast<Guid, ulong>(MemoryMarshal.CreateReadOnlySpan(ref id, 1));
            return new Key(BitOperations.RotateRight(words[0], PrefixBits), words[1]);
        }

        public int CompareTo(Key other) => High != other.High ? High.CompareTo(other.High) : Low.CompareTo(other.Low);
    }
}
