using System.Globalization;
using Alyx.Actions;

namespace Alyx.Admin.Actions;

/// <summary>
/// A line of the chart: points in SVG coordinates, its stroke and dash pattern, its legend label, and the marker shape drawn
/// on its points when the line is too short to be seen (a single point, or all its points within a few pixels). Markers are
/// outlines of <see cref="MarkerSize"/> (half-size, px), larger for the series drawn first, so that series of equal value on the
/// same day nest around each other and around the weighing's dot instead of hiding one another.
/// </summary>
public sealed record ChartLine(string Label, string Color, string? Dash, double Width, IReadOnlyList<(double X, double Y)> Points, bool Markers, string Marker = "circle", double MarkerSize = 4.5)
{
    /// <summary>The points as an SVG <c>points</c> attribute.</summary>
    public string PointsAttribute => string.Join(' ', Points.Select(p => WeighingChart.Num(p.X) + "," + WeighingChart.Num(p.Y)));
}

/// <summary>A shaded stretch of the time axis (a water restriction), in SVG x coordinates, with its tooltip.</summary>
public sealed record ChartSpan(double X0, double X1, string Title);

/// <summary>A tick on an axis: its position and label.</summary>
public sealed record ChartTick(double At, string Label);

/// <summary>A weighing drawn as a marker, flagged when below the lowest threshold of its day.</summary>
public sealed record ChartPoint(double X, double Y, bool Below, string Title);

/// <summary>A legend entry at its position (the top-left corner of its cell, in SVG coordinates).</summary>
public sealed record ChartLegendEntry(ChartLine Line, double X, double Y);

/// <summary>
/// The weight plot of alyx/actions/water_control.py <c>WaterControl.plot</c>, as geometry for an SVG: the weighings, and during
/// each water restriction the reference weight, the z-score weight and the percentage thresholds of the expected weight (the
/// implant weight added back), restriction periods shaded, dated x axis, grams on the y axis, a legend.
/// The weight range is padded (no point on the frame) and ticked at round values; the legend sits below the plot area, outside
/// the data; a line too short to be seen (one weighing, a restriction of one day) is drawn as markers too.
/// </summary>
public sealed class WeighingChart
{
    /// <summary>The plot area is <see cref="Left"/>..<c>Width - Right</c> by <see cref="Top"/>..<c>Top + PlotHeight</c>.</summary>
    public const double Width = 800, Left = 56, Right = 40, Top = 36, PlotHeight = 220;

    /// <summary>Below the plot area: tick labels, the axis label, then the legend in rows of <see cref="LegendColumns"/>.</summary>
    public const double LegendTop = Top + PlotHeight + 44, LegendRow = 18, LegendColumns = 4;

    /// <summary>Lines shorter than this (in pixels) also get markers on their points.</summary>
    public const double ShortLine = 8;

    public const double PlotWidth = Width - Left - Right;

    public const double PlotBottom = Top + PlotHeight;

    /// <summary>The height of the picture: the legend's rows below the plot; the empty plot (no axes, no legend) ends under its frame.</summary>
    public double Height => Empty ? PlotBottom + 10 : LegendTop + Math.Ceiling(Legend.Count / LegendColumns) * LegendRow + 10;

    public double LegendHeight => Math.Ceiling(Legend.Count / LegendColumns) * LegendRow + 6;

    public double LegendCellWidth => PlotWidth / LegendColumns;

    /// <summary>The legend entries placed in their cells, left to right then top to bottom, below the plot area.</summary>
    public IEnumerable<ChartLegendEntry> LegendEntries => Legend.Select((line, i) =>
        new ChartLegendEntry(line, Left + i % (int)LegendColumns * LegendCellWidth, LegendTop + 3 + i / (int)LegendColumns * LegendRow));

    /// <summary>A sentence for screen readers: what is drawn, over which dates, the last weight.</summary>
    public required string Description { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<ChartLine> Lines { get; init; }

    public required IReadOnlyList<ChartPoint> Points { get; init; }

    public required IReadOnlyList<ChartSpan> Spans { get; init; }

    public required IReadOnlyList<ChartTick> XTicks { get; init; }

    public required IReadOnlyList<ChartTick> YTicks { get; init; }

    /// <summary>Legend entries in drawing order (the weight first).</summary>
    public required IReadOnlyList<ChartLine> Legend { get; init; }

    public bool Empty => Points.Count == 0;

    public static string Num(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);

    static readonly string[] ThresholdColors = ["#d9730d", "#c62828"];

    public static WeighingChart For(SubjectWaterControl wc)
    {
        var eq = string.Create(CultureInfo.InvariantCulture, $"weight > {wc.ReferenceWeightPct:0.0#}*ref + {wc.ZscoreWeightPct:0.0#}*zscore");
        var title = $"Weighings for {wc.Nickname} ({eq})";
        var weighings = wc.Weighings;
        if (weighings.Count == 0)
        {
            return new WeighingChart
            {
                Title = title,
                Description = $"No weighings recorded for {wc.Nickname}.",
                Lines = [],
                Points = [],
                Spans = [],
                XTicks = [],
                YTicks = [],
                Legend = [],
            };
        }

        // Whole days, from the first weighing's midnight to the midnight after the last one, or after the start of the latest
        // restriction when it began on a later day (started today, last weighed yesterday): every restriction is shaded.
        var start = weighings[0].Time.Date;
        var end = weighings[^1].Time.Date.AddDays(1);
        if (wc.Restrictions.Count > 0 && wc.Restrictions.Max(r => r.Start).Date.AddDays(1) is var latest && latest > end) end = latest;
        // Per weighing: expected, z-score, reference and implant weights at its time (as upstream, only within restrictions).
        var rows = weighings.Select(w => new
        {
            w.Time,
            w.Weight,
            Expected = (double)wc.ExpectedWeight(w.Time),
            Zscore = wc.ZscoreWeight(w.Time),
            Reference = wc.ReferenceWeight(w.Time),
            Implant = (double)wc.ImplantWeight(w.Time),
            Restricted = wc.IsRestricted(w.Time),
        }).ToList();
        var thresholds = wc.Thresholds.Reverse().ToList();
        double Threshold(double p, double expected, double implant) => p * (expected - implant) + implant;

        var values = rows.Select(r => r.Weight).ToList();
        foreach (var r in rows.Where(r => r.Restricted))
        {
            if (r.Reference > 0) values.Add(r.Reference);
            if (r.Zscore > 0) values.Add(r.Zscore);
            // As drawn: a threshold of no weight (a lab without a rule) is not a line, and does not stretch the range to 0 g.
            foreach (var p in thresholds)
                if (Threshold(p, r.Expected, r.Implant) is > 0 and var v) values.Add(v);
        }
        var (yMin, yMax, yStep) = NiceRange(values.Min(), values.Max());
        var chart = new Geometry(start, end, yMin, yMax);

        var spans = new List<ChartSpan>();
        foreach (var restriction in wc.Restrictions)
        {
            var s0 = restriction.Start < start ? start : restriction.Start;
            var s1 = restriction.End is { } e && e < end ? e : end;
            if (s1 <= s0) continue;
            var label = "Water restriction from " + restriction.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                + (restriction.End is { } until ? " to " + until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : " (open)");
            spans.Add(new ChartSpan(chart.X(s0), chart.X(s1), label));
        }

        var lines = new List<ChartLine>();
        var legend = new List<ChartLine>();
        var weightLine = new ChartLine("weight", "#111111", null, 2, rows.Select(r => (chart.X(r.Time), chart.Y(r.Weight))).ToList(), true);
        legend.Add(weightLine);
        if (spans.Count > 0) legend.Add(new ChartLine("water restriction", "#e3eefc", null, 0, [], false, "area"));
        // Restricted stretches are drawn as separate polylines so that a line does not bridge two restrictions.
        var segments = new List<List<int>>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (!rows[i].Restricted) continue;
            if (i == 0 || !rows[i - 1].Restricted || wc.RestrictionStart(rows[i - 1].Time) != wc.RestrictionStart(rows[i].Time)) segments.Add([]);
            segments[^1].Add(i);
        }
        void AddSeries(string label, string color, string? dash, double width, string marker, double markerSize, Func<int, double?> value)
        {
            ChartLine? first = null;
            foreach (var segment in segments)
            {
                var points = segment.Select(i => (i, v: value(i))).Where(p => p.v is > 0)
                    .Select(p => (chart.X(rows[p.i].Time), chart.Y(p.v!.Value))).ToList();
                if (points.Count == 0) continue;
                var line = new ChartLine(label, color, dash, width, points, points.Max(p => p.Item1) - points.Min(p => p.Item1) < ShortLine, marker, markerSize);
                lines.Add(line);
                first ??= line;
            }
            if (first is not null) legend.Add(first);
        }
        // Nested when equal: the reference's square (half-side 0.8 x 7 = 5.6) holds the z-score's diamond (5.5), which holds the
        // weighing's dot (3.5); the thresholds' triangles (4.5) lie elsewhere unless a weight sits exactly on one, around its dot.
        AddSeries("reference weight", "#1f5fbf", "6 3", 1.5, "square", 7, i => rows[i].Reference);
        AddSeries("z-score weight", "#2e7d32", "8 3 2 3", 1.5, "diamond", 5.5, i => rows[i].Zscore);
        for (var t = 0; t < thresholds.Count; t++)
        {
            var p = thresholds[t];
            AddSeries(string.Create(CultureInfo.InvariantCulture, $"{p * 100:0}% of expected"), ThresholdColors[Math.Min(t, 1)], t == 0 ? null : "4 3", 2,
                t == 0 ? "triangle" : "triangle-down", 4.5, i => Threshold(p, rows[i].Expected, rows[i].Implant));
        }
        lines.Add(weightLine);

        // Below the binding (highest) threshold of the expected weight while restricted: flagged in red.
        var highest = wc.Thresholds.Count > 0 ? wc.Thresholds[^1] : 0;
        var points = rows.Select(r => new ChartPoint(chart.X(r.Time), chart.Y(r.Weight),
            r.Restricted && highest > 0 && r.Expected - r.Implant > 0 && r.Weight < Threshold(highest, r.Expected, r.Implant),
            string.Create(CultureInfo.InvariantCulture, $"{r.Time:yyyy-MM-dd HH:mm}: {r.Weight:0.0#} g"))).ToList();

        var yTicks = new List<ChartTick>();
        for (var v = yMin; v <= yMax + yStep / 2; v += yStep)
            yTicks.Add(new ChartTick(chart.Y(v), v.ToString(yStep < 1 ? "0.0" : "0", CultureInfo.InvariantCulture)));
        return new WeighingChart
        {
            Title = title,
            Description = Describe(wc.Nickname, rows[0].Time, rows[^1].Time, rows[^1].Weight, rows.Count, legend, spans.Count),
            Lines = lines,
            Points = points,
            Spans = spans,
            XTicks = DateTicks(start, end).Select(d => new ChartTick(chart.X(d), d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).ToList(),
            YTicks = yTicks,
            Legend = legend,
        };
    }

    static string Describe(string nickname, DateTime first, DateTime last, double weight, int count, List<ChartLine> legend, int restrictions) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{count} weighing{(count == 1 ? "" : "s")} of {nickname} from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}, the last {weight:0.0#} g. ")
        + "Lines: " + string.Join(", ", legend.Select(l => l.Label)) + ". "
        + (restrictions == 0 ? "No water restriction." : $"{restrictions} water restriction period{(restrictions == 1 ? "" : "s")} shaded.");

    /// <summary>Midnights between the ends, at most eight, on a step of 1, 2, 7, 14 days or 1, 2, 3, 6, 12 months.</summary>
    static List<DateTime> DateTicks(DateTime start, DateTime end)
    {
        var days = (end - start).TotalDays;
        var first = start.Date == start ? start : start.Date.AddDays(1);
        foreach (var step in DaySteps)
        {
            if (days / step > 8) continue;
            var ticks = new List<DateTime>();
            var d = first;
            if (step == 7) d = d.AddDays(((int)DayOfWeek.Monday - (int)d.DayOfWeek + 7) % 7);
            for (; d <= end; d = d.AddDays(step)) ticks.Add(d);
            return ticks;
        }
        foreach (var months in MonthSteps)
        {
            if (days / (30.4 * months) > 8) continue;
            var ticks = new List<DateTime>();
            var d = new DateTime(first.Year, first.Month, 1);
            if (d < first) d = d.AddMonths(1);
            for (; d <= end; d = d.AddMonths(months)) ticks.Add(d);
            return ticks;
        }
        return [first, end.Date];
    }

    static readonly int[] Steps = [1, 2, 5, 10], DaySteps = [1, 2, 7, 14], MonthSteps = [1, 2, 3, 6, 12, 24, 60];

    /// <summary>
    /// A range covering the values padded by 5 % of their spread (at least 0.5 g) on each side, so that no point or line lies
    /// on the frame, widened to round values on a 1-2-5 step with at most seven ticks.
    /// </summary>
    static (double Min, double Max, double Step) NiceRange(double min, double max)
    {
        var pad = Math.Max(0.05 * (max - min), 0.5);
        min = min >= 0 ? Math.Max(0, min - pad) : min - pad;
        max += pad;
        var raw = (max - min) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = Steps.Select(f => f * magnitude).First(s => s >= raw);
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }

    sealed class Geometry(DateTime start, DateTime end, double yMin, double yMax)
    {
        readonly double span = (end - start).TotalSeconds;

        public double X(DateTime t) => Left + (t - start).TotalSeconds / span * PlotWidth;

        public double Y(double v) => Top + (yMax - v) / (yMax - yMin) * PlotHeight;
    }
}
