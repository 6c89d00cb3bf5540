using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Playwright;

namespace Alyx.Tests.Infrastructure;

/// <summary>
/// The real server on a loopback port (Kestrel) and a headless Chromium driven by Playwright: Debian's chromium
/// (<c>/usr/bin/chromium</c>, or the executable in <c>ALYX_CHROMIUM</c>), never a downloaded browser. Without a chromium
/// the browser tests skip saying so, except in CI (<c>CI=true</c>), where they fail.
/// </summary>
public sealed class BrowserApp : AlyxApp
{
    IPlaywright? playwright;
    IBrowser? browser;

    public static string? ChromiumPath =>
        new[] { Environment.GetEnvironmentVariable("ALYX_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public BrowserApp() => UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));

    /// <summary>A new browser page (its own cookies) on the server; skips the test when there is no chromium outside CI.</summary>
    public async Task<BrowserSession> NewSessionAsync(string testName)
    {
        if (ChromiumPath is not { } chromium)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("CI needs chromium for the browser tests (.ci/run installs it).");
            Assert.Skip("No chromium executable (/usr/bin/chromium or ALYX_CHROMIUM): browser tests skipped.");
            throw new InvalidOperationException();
        }
        if (BaseUrl.Length == 0)
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            BaseUrl = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
                .Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        }
        playwright ??= await Playwright.CreateAsync();
        browser ??= await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(context, await context.NewPageAsync(), Artifacts.Folder("browser", testName));
    }

    public override async ValueTask DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>One browser context and page of a test, and its numbered screenshots under <c>artifacts/browser/{test}/</c>.</summary>
public sealed class BrowserSession(IBrowserContext context, IPage page, string folder) : IAsyncDisposable
{
    int step;

    public IPage Page { get; } = page;

    /// <summary>Saves a full-page screenshot of the current state as <c>NN-{name}.png</c>; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(folder, $"{++step:00}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}

/// <summary>The git-ignored <c>artifacts/</c> folder at the repository root (screenshots, test results).</summary>
public static class Artifacts
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Alyx.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts");
        }
    }

    /// <summary>A fresh (emptied) folder under artifacts/.</summary>
    public static string Folder(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        if (Directory.Exists(path)) Directory.Delete(path, true);
        Directory.CreateDirectory(path);
        return path;
    }
}
