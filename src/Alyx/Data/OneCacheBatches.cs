using Alyx.Actions;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Alyx.Data;

/// <summary>
/// Column builders of the ONE cache tables, one record batch at a time. Text goes into the Arrow buffers as UTF-8 written
/// in place (UUIDs formatted straight to bytes, relative paths assembled from their parts), so a row allocates nothing.
/// </summary>
internal static class OneCacheBatches
{
    /// <summary>The QC categories in severity order, as ONE's ordered categorical has them.</summary>
    public static readonly string[] QcCategories = QcCodes.BySeverity;

    public static readonly DictionaryType QcType = new(Int8Type.Default, StringType.Default, true);

    /// <summary>Category index per QC code (an unknown code is NOT_SET, the first).</summary>
    static readonly Dictionary<int, sbyte> QcIndexes = QcCodes.All.ToDictionary(q => q.Code, q => (sbyte)Math.Max(0, System.Array.IndexOf(QcCategories, q.Label)));

    public static sbyte QcIndex(int code) => QcIndexes.GetValueOrDefault(code);

    /// <summary>A UUID in its 36-character form, lowercase, as ONE's index has it.</summary>
    public static void AppendUuid(StringArray.Builder builder, Guid id)
    {
        Span<byte> text = stackalloc byte[36];
        id.TryFormat(text, out _, "D");
        builder.Append(text);
    }

    public interface IBatch
    {
        int Count { get; }

        IArrowArray[] Build();
    }

    public sealed class Sessions : IBatch
    {
        StringArray.Builder lab = new(), subject = new(), protocol = new(), projects = new(), id = new();
        Date32Array.Builder date = new();
        UInt16Array.Builder number = new();

        public int Count { get; private set; }

        public void Add(string lab, string subject, DateOnly date, ushort number, string protocol, string projects, Guid id)
        {
            this.lab.Append(lab);
            this.subject.Append(subject);
            this.date.Append(date);
            this.number.Append(number);
            this.protocol.Append(protocol);
            this.projects.Append(projects);
            AppendUuid(this.id, id);
            Count++;
        }

        public IArrowArray[] Build()
        {
            IArrowArray[] arrays = [lab.Build(), subject.Build(), date.Build(), number.Build(), protocol.Build(), projects.Build(), id.Build()];
            (lab, subject, protocol, projects, id, date, number) = (new(), new(), new(), new(), new(), new(), new());
            Count = 0;
            return arrays;
        }
    }

    public sealed class Datasets : IBatch
    {
        UInt64Array.Builder size = new();
        StringArray.Builder hash = new(), relPath = new(), eid = new(), id = new();
        BooleanArray.Builder defaultRevision = new(), exists = new();
        Int8Array.Builder qc = new();
        byte[] path = new byte[512];

        public int Count { get; private set; }

        public void Add(long? size, ReadOnlySpan<byte> hash, bool defaultRevision, int qc, ReadOnlySpan<byte> collection, ReadOnlySpan<byte> revision,
            ReadOnlySpan<byte> name, Guid eid, Guid id)
        {
            if (size is { } s && s >= 0) this.size.Append((ulong)s);
            else this.size.AppendNull();
            this.hash.Append(hash);
            this.defaultRevision.Append(defaultRevision);
            this.qc.Append(QcIndex(qc));
            exists.Append(true);
            AppendRelPath(collection, revision, name);
            AppendUuid(this.eid, eid);
            AppendUuid(this.id, id);
            Count++;
        }

        /// <summary><c>collection/#revision#/name</c> with empty parts left out (<see cref="OneCache.RelPath"/>), from UTF-8 parts.</summary>
        void AppendRelPath(ReadOnlySpan<byte> collection, ReadOnlySpan<byte> revision, ReadOnlySpan<byte> name)
        {
            var most = collection.Length + revision.Length + name.Length + 4;
            if (path.Length < most) path = new byte[Math.Max(most, path.Length * 2)];
            var n = 0;
            if (!collection.IsEmpty)
            {
                collection.CopyTo(path);
                n = collection.Length;
                path[n++] = (byte)'/';
            }
            if (!revision.IsEmpty)
            {
                path[n++] = (byte)'#';
                revision.CopyTo(path.AsSpan(n));
                n += revision.Length;
                path[n++] = (byte)'#';
                path[n++] = (byte)'/';
            }
            name.CopyTo(path.AsSpan(n));
            relPath.Append(path.AsSpan(0, n + name.Length));
        }

        public IArrowArray[] Build()
        {
            IArrowArray[] arrays =
            [
                size.Build(), hash.Build(), defaultRevision.Build(), new DictionaryArray(QcType, qc.Build(), new StringArray.Builder().AppendRange(QcCategories).Build()), exists.Build(),
                relPath.Build(), eid.Build(), id.Build(),
            ];
            (size, hash, relPath, eid, id, defaultRevision, exists, qc) = (new(), new(), new(), new(), new(), new(), new(), new());
            Count = 0;
            return arrays;
        }
    }
}
