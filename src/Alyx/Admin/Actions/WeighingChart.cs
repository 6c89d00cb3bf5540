using System.Globalization;
using Alyx.Actions;

namespace Alyx.Admin.Actions;

/// <summary>A line of the chart: points in SVG coordinates, its stroke and dash pattern, and its legend label.</summary>
public sealed record ChartLine(string Label, string Color, string? Dash, double Width, IReadOnlyList<(double X, double Y)> Points, bool Markers)
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

/// <summary>
/// The weight plot of alyx/actions/water_control.py <c>WaterControl.plot</c>, as geometry for an SVG: the weighings, and during
/// each water restriction the reference weight, the z-score weight and the percentage thresholds of the expected weight (the
/// implant weight added back), restriction periods shaded, dated x axis, grams on the y axis, a legend.
/// </summary>
public sealed class WeighingChart
{
    public const double Width = 800, Height = 320;
    public const double Left = 56, Right = 40, Top = 36, Bottom = 44;

    public double PlotWidth => Width - Left - Right;

    public double PlotHeight => Height - Top - Bottom;

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
            return new WeighingChart { Title = title, Lines = [], Points = [], Spans = [], XTicks = [], YTicks = [], Legend = [] };

        // Whole days, from the first weighing's midnight to the midnight after the last one.
        var start = weighings[0].Time.Date;
        var end = weighings[^1].Time.Date.AddDays(1);
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
            foreach (var p in thresholds) values.Add(Threshold(p, r.Expected, r.Implant));
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
        // Restricted stretches are drawn as separate polylines so that a line does not bridge two restrictions.
        var segments = new List<List<int>>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (!rows[i].Restricted) continue;
            if (i == 0 || !rows[i - 1].Restricted || wc.RestrictionStart(rows[i - 1].Time) != wc.RestrictionStart(rows[i].Time)) segments.Add([]);
            segments[^1].Add(i);
        }
        void AddSeries(string label, string color, string? dash, double width, Func<int, double?> value)
        {
            ChartLine? first = null;
            foreach (var segment in segments)
            {
                var points = segment.Select(i => (i, v: value(i))).Where(p => p.v is > 0)
                    .Select(p => (chart.X(rows[p.i].Time), chart.Y(p.v!.Value))).ToList();
                if (points.Count == 0) continue;
                var line = new ChartLine(label, color, dash, width, points, false);
                lines.Add(line);
                first ??= line;
            }
            if (first is not null) legend.Add(first);
        }
        AddSeries("reference weight", "#1f5fbf", "6 3", 1.5, i => rows[i].Reference);
        AddSeries("z-score weight", "#2e7d32", "8 3 2 3", 1.5, i => rows[i].Zscore);
        for (var t = 0; t < thresholds.Count; t++)
        {
            var p = thresholds[t];
            AddSeries(string.Create(CultureInfo.InvariantCulture, $"{p * 100:0}% of expected"), ThresholdColors[Math.Min(t, 1)], t == 0 ? null : "4 3", 2,
                i => Threshold(p, rows[i].Expected, rows[i].Implant));
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
            Lines = lines,
            Points = points,
            Spans = spans,
            XTicks = DateTicks(start, end).Select(d => new ChartTick(chart.X(d), d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).ToList(),
            YTicks = yTicks,
            Legend = legend,
        };
    }

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

    /// <summary>A range covering the values with a 1-2-5 step and at most seven ticks.</summary>
    static (double Min, double Max, double Step) NiceRange(double min, double max)
    {
        if (max - min < 1)
        {
            min -= 0.5;
            max += 0.5;
        }
        var raw = (max - min) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = Steps.Select(f => f * magnitude).First(s => s >= raw);
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }

    sealed class Geometry(DateTime start, DateTime end, double yMin, double yMax)
    {
        readonly double span = (end - start).TotalSeconds;

        public double X(DateTime t) => Left + (t - start).TotalSeconds / span * (Width - Left - Right);

        public double Y(double v) => Top + (yMax - v) / (yMax - yMin) * (Height - Top - Bottom);
    }
}
