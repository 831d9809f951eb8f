using System.Text.Json;

namespace Salvo.Auth;

/// <summary>
/// Keeps each token in its own JSON file in a directory, so the next run of a CLI reuses a token that is still valid
/// (and a rotated refresh token survives). Files are written atomically (a temporary file in the same directory,
/// flushed, then renamed over the old one: a reader sees the old token or the new one, never half of one) and are
/// readable by the owner only (0600, in a 0700 directory).
/// </summary>
/// <remarks>
/// The file name is the credential's <see cref="SalvoAuth.IdentityHash"/>, which reveals nothing about the credential.
/// A file found with looser permissions (copied in by hand) is tightened to 0600 when read. On Windows the files get
/// the directory's ACLs; put the directory under the user's profile (see <see cref="DefaultDirectory"/>).
/// </remarks>
public sealed class FileTokenStore : ISalvoTokenStore
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates a store in a directory, created (0700) on the first write.</summary>
    /// <param name="directory">The directory that holds the token files.</param>
    public FileTokenStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The per-user default: <c>salvo/tokens</c> under the local application data folder (<c>~/.local/share</c> on Linux).</summary>
    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "salvo", "tokens");

    /// <summary>The directory that holds the token files.</summary>
    public string Directory { get; }

    /// <summary>The file a key's token is kept in.</summary>
    /// <param name="key">The credential's <see cref="SalvoAuth.IdentityHash"/>.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="ArgumentException">The key is not made of letters, digits, '-' and '_'.</exception>
    public string PathOf(string key) => Path.Combine(Directory, CheckKey(key) + ".json");

    /// <inheritdoc />
    public async ValueTask<SalvoToken?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
                File.SetUnixFileMode(path, FileMode);
            var stream = new FileStream(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                var file = await JsonSerializer.DeserializeAsync(stream, TokenFileJson.Default.TokenFile, cancellationToken).ConfigureAwait(false);
                return file?.ToToken();
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException or ArgumentException)
        {
            return null; // missing or unreadable: the credential fetches a new token and writes a good file
        }
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, SalvoToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var path = PathOf(key);
        CreateDirectory();
        var temporary = Path.Combine(Directory, $".{key}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = FileMode;
            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, TokenFile.From(token), TokenFileJson.Default.TokenFile, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true); // rename(2): atomic within one directory
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (System.IO.Directory.Exists(Directory))
            File.Delete(path); // no error for a file that is not there
        return ValueTask.CompletedTask;
    }

    private void CreateDirectory()
    {
        if (OperatingSystem.IsWindows())
            System.IO.Directory.CreateDirectory(Directory);
        else
            System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
    }

    private static string CheckKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new ArgumentException("A token store key is made of letters, digits, '-' and '_' (use SalvoAuth.IdentityHash).", nameof(key));
        }
        return key;
    }
}
