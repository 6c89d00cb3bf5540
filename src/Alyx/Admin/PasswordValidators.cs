using System.Text.RegularExpressions;
using Alyx.Misc;

namespace Alyx.Admin;

/// <summary>
/// Django's default AUTH_PASSWORD_VALIDATORS, in their words: similarity to the user's attributes, at least 8 characters,
/// not a common password (a short list of the most common ones here, Django's has 20,000), not entirely numeric.
/// </summary>
public static partial class PasswordValidators
{
    public const int MinimumLength = 8;
    const double MaxSimilarity = 0.7;

    static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "password", "password1", "password12", "password123", "passw0rd", "12345678", "123456789", "1234567890", "qwerty123",
        "qwertyuiop", "iloveyou", "sunshine", "princess", "football", "baseball", "welcome1", "welcome", "abc12345", "abcd1234",
        "11111111", "00000000", "letmein1", "monkey123", "dragon12", "trustno1", "superman", "whatever", "changeme", "administrator",
        "admin123", "computer", "internet", "starwars", "michelle", "jennifer", "1q2w3e4r", "zaq12wsx", "1qaz2wsx", "qwerty12",
        "asdfghjk", "asdfasdf", "mousemouse", "alyxalyx",
    };

    public static IEnumerable<string> Validate(string password, LabMember user)
    {
        foreach (var (value, name) in new[] { (user.Username, "username"), (user.FirstName, "first name"), (user.LastName, "last name"), (user.Email, "email address") })
        {
            if (string.IsNullOrEmpty(value)) continue;
            var parts = NonWord().Split(value.ToLowerInvariant()).Append(value.ToLowerInvariant()).Where(p => p.Length > 0);
            if (parts.Any(part => Ratio(password.ToLowerInvariant(), part) >= MaxSimilarity))
            {
                yield return $"The password is too similar to the {name}.";
                break;
            }
        }
        if (password.Length < MinimumLength) yield return $"This password is too short. It must contain at least {MinimumLength} characters.";
        if (Common.Contains(password.Trim().ToLowerInvariant())) yield return "This password is too common.";
        if (password.All(char.IsDigit)) yield return "This password is entirely numeric.";
    }

    /// <summary>Python's difflib SequenceMatcher.ratio(): 2 * matched / total, matches found by longest common blocks (Ratcliff/Obershelp).</summary>
    public static double Ratio(string a, string b) => a.Length + b.Length == 0 ? 1 : 2.0 * Matched(a, b) / (a.Length + b.Length);

    static int Matched(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        int bestI = 0, bestJ = 0, best = 0;
        for (var i = 0; i < a.Length; i++)
            for (var j = 0; j < b.Length; j++)
            {
                var k = 0;
                while (i + k < a.Length && j + k < b.Length && a[i + k] == b[j + k]) k++;
                if (k > best) (bestI, bestJ, best) = (i, j, k);
            }
        if (best == 0) return 0;
        return best + Matched(a[..bestI], b[..bestJ]) + Matched(a[(bestI + best)..], b[(bestJ + best)..]);
    }

    [GeneratedRegex(@"\W+")]
    private static partial Regex NonWord();
}
