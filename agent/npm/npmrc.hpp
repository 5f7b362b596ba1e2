// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// One `key=value` line of an npm config file, as npm 11's ini parser (ini 6) reads it.
struct NpmrcEntry {
    std::size_t line = 0;               // 1-based; a lone CR ends a line too, as for npm
    std::optional<std::string> section; // none at the top level; npm ignores keys in [sections]
    std::string key;                    // trimmed and unquoted, without a trailing "[]"
    bool array = false;                 // written as key[]=value
    bool has_value = false;             // false for a bare `key` (npm reads it as true)
    std::string_view raw; // the text after the first '=' as written; may hold a secret,
                          // and points into the Npmrc it came from

    bool top_level() const { return !section; }
};

// An npm config file (.npmrc) read and edited the way npm reads it, changing only the lines
// asked for: every other byte (comments, order, quoting, CRLF or LF, a missing final newline,
// lines npm's parser skips) stays as it was. The text lives in wiped buffers because a config
// file may hold tokens, ours or the user's.
class Npmrc {
public:
    // Parses `text` (from the file `path`, for messages); never fails, because npm's parser
    // never does: a line it cannot read is skipped by npm and kept verbatim here.
    static Npmrc parse(std::string_view text, std::string path = "");

    // Reads the file at `path` (through symlinks); a missing file is an empty config whose
    // exists() is false. A file that is not text (a NUL byte) is an error naming file and
    // line, and is never written.
    static Result<Npmrc> load(const std::string& path);

    const std::string& path() const { return m_path; }

    bool exists() const { return m_exists; }

    bool changed() const { return m_changed; }

    // Every key=value line, in file order.
    std::vector<NpmrcEntry> entries() const;

    // The top-level entry npm uses for `key` (the last one), if any.
    std::optional<NpmrcEntry> find(std::string_view key) const;

    // Makes the top-level line for `key` read exactly `key=value`: rewrites the last line of
    // `key` if there is one, otherwise adds the line at the end of the top level (before the
    // first [section]) in the file's line-ending style. Returns true when the text changed.
    bool set(std::string_view key, std::string_view value);

    // Removes the top-level line npm uses for `key`. Returns true when there was one. Removing
    // a line that set() added restores the bytes from before set().
    bool erase(std::string_view key);

    // A digest ("sha256:<hex>") of the line erase() would remove for `key`, if there is one:
    // what logout compares with the digest login recorded, so that a line changed since (the
    // user's own credential) stays. The line may hold a token, so only its digest is kept.
    std::optional<std::string> line_digest(std::string_view key) const;

    // The whole text (tests, in-memory configs).
    SecretString text() const;

    // Writes the text to `fd` in chunks, without first assembling it in one buffer.
    Result<void> write_to(int fd) const;

    // Writes the file atomically with mode 0600 (npm's own mode for user configs) into the
    // target of a symlinked path. An existing file is narrowed to 0600 before the new content
    // is written. Does nothing when nothing changed.
    Result<void> save();

private:
    using Line = SecretLine;

    std::optional<std::size_t> find_line(std::string_view key) const;

    // Hands the text to `sink` in pieces of at most 64 KiB (longer lines whole).
    Result<void> write_in_chunks(const std::function<Result<void>(std::string_view)>& sink) const;

    std::string dominant_eol() const;

    std::size_t insertion_point() const;

    std::vector<Line> m_lines;
    std::string m_path;
    bool m_exists = false;
    bool m_changed = false;
};

// The value npm reads from `raw` (ini's unsafe()): trimmed, quotes removed ("..." through
// JSON), and without an unescaped ';' or '#' comment. Call it on values that hold no secret.
std::string npm_value(std::string_view raw);

// A ${NAME} or ${NAME?} placeholder that npm replaces from the environment.
struct NpmPlaceholder {
    std::string name;
    bool optional = false; // ${NAME?}: empty when unset instead of left as it is
};

// The placeholders npm expands in `text` (escaped ones, \${NAME}, excluded).
std::vector<NpmPlaceholder> npm_placeholders(std::string_view text);

// `text` with its placeholders replaced the way npm does: ${NAME} left as it is when NAME is
// unset, ${NAME?} empty, \${NAME} literal. `lookup` returns a variable's value, if set.
std::string
npm_expand(std::string_view text,
           const std::function<std::optional<std::string_view>(std::string_view)>& lookup);

// The nerf-dart npm matches credentials by: "//host[:port]/dir/" of `url`, with the last path
// segment dropped unless the URL ends in '/' (which is why registry URLs need the slash).
// nullopt for something that is not an http(s) URL.
std::optional<std::string> npm_nerf_dart(std::string_view url);

// The value of an `_auth` line: base64("feedz:" + token), built in a wiped buffer.
SecretString npm_basic_auth(std::string_view token);

// base64(`data`) in a wiped buffer (the value of a `_password` line).
SecretString npm_base64(std::string_view data);

} // namespace feedz
