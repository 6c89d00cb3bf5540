namespace Alyx.Actions;

/// <summary>
/// Published reference growth curves of laboratory mice: mean and standard deviation of body weight (g) by age in
/// whole weeks, one curve per sex. Alyx ships them as <c>alyx/actions/static/ref_weighings_{female,male}.csv</c> and
/// reads them in <c>water_control._get_table</c>; the server needs the numbers in production, so they live here.
/// </summary>
public static class ReferenceWeights
{
    /// <summary>First tabulated age; younger animals use this row (<c>expected_weighing_mean_std</c>).</summary>
    public const int FirstWeek = 4;

    /// <summary>
    /// Last age with its own values. The upstream files go on to week 96 (female) and 135 (male), but every row from
    /// week 20 on repeats the week-20 values, and older animals are clamped to the last row, so clamping at week 20
    /// gives the same answer for every age (ReferenceWeightsTests checks this against the files).
    /// </summary>
    public const int LastWeek = 20;

    // Rows are weeks 4..20: (mean, sd).
    static readonly (double Mean, double Sd)[] Female =
    [
        (14.10, 1.80), (16.90, 1.20), (17.50, 1.00), (18.20, 1.10), (18.70, 1.20), (19.30, 1.20), (19.80, 1.30),
        (20.20, 1.40), (20.70, 1.40), (21.70, 1.50), (22.00, 1.60), (22.30, 1.70), (22.60, 1.80), (22.60, 2.00),
        (23.00, 2.10), (23.50, 2.30), (23.60, 2.30),
    ];

    static readonly (double Mean, double Sd)[] Male =
    [
        (15.70, 2.20), (19.40, 1.80), (21.10, 1.50), (22.90, 1.50), (24.00, 1.50), (25.00, 1.60), (25.60, 1.70),
        (26.70, 1.70), (27.70, 1.70), (28.40, 1.90), (29.10, 1.90), (29.70, 2.20), (30.10, 2.10), (30.70, 2.20),
        (31.10, 2.30), (31.40, 2.40), (31.80, 2.50),
    ];

    /// <summary>
    /// Expected (mean, sd) for a sex at an age in weeks. Only <c>"M"</c> selects the male curve; <c>F</c>, <c>U</c> and
    /// anything else use the female one, as <c>_get_table</c> does. Ages outside the table take the nearest end row.
    /// </summary>
    public static (double Mean, double Sd) At(string? sex, long weeks)
    {
        var table = sex == "M" ? Male : Female;
        var row = Math.Clamp(weeks, FirstWeek, LastWeek) - FirstWeek;
        return table[row];
    }
}
