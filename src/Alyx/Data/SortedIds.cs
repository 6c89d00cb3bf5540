namespace Alyx.Data;

/// <summary>
/// A set of ids as one sorted array, searched by halving: 16 bytes per id and one allocation of the final size, where a
/// <see cref="HashSet{T}"/> of a million UUIDs takes about 24 bytes per slot, more slots than ids, and leaves the arrays of
/// each growth behind on the large object heap.
/// </summary>
sealed class SortedIds(Guid[] ids, int count)
{
    public int Count => count;

    public bool Contains(Guid id) => Array.BinarySearch(ids, 0, count, id) >= 0;

    /// <summary>Collects ids in blocks small enough for the small object heap (no copies while growing), then sorts them once.</summary>
    public sealed class Builder
    {
        const int BlockSize = 4096;
        readonly List<Guid[]> blocks = [];
        int last = BlockSize;

        public void Add(Guid id)
        {
            if (last == BlockSize)
            {
                blocks.Add(new Guid[BlockSize]);
                last = 0;
            }
            blocks[^1][last++] = id;
        }

        /// <summary>The sorted set, each id once.</summary>
        public SortedIds Build()
        {
            var total = blocks.Count == 0 ? 0 : (blocks.Count - 1) * BlockSize + last;
            var all = new Guid[total];
            for (var b = 0; b < blocks.Count; b++)
                blocks[b].AsSpan(0, b == blocks.Count - 1 ? last : BlockSize).CopyTo(all.AsSpan(b * BlockSize));
            blocks.Clear();
            Array.Sort(all);
            var distinct = 0;
            for (var i = 0; i < all.Length; i++)
                if (distinct == 0 || all[i] != all[distinct - 1]) all[distinct++] = all[i];
            return new SortedIds(all, distinct);
        }
    }
}
