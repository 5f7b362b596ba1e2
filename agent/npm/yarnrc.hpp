// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace feedz {

// One scalar field of an entry in a two-level map of a yarn berry config, such as
// npmRegistries."//host/org/repo/npm/".npmAuthIdent.
struct YarnField {
    std::string name;
    std::string value; // unquoted; may be a user's literal credential, so never print it
};

// One entry of a two-level map (npmRegistries, npmScopes) and its scalar fields.
struct YarnEntry {
    std::string key;      // unquoted ("//host/org/repo/npm/", "acme")
    std::size_t line = 0; // 1-based, of the key
    std::vector<YarnField> fields;

    const std::string* field(std::string_view name) const;
};

// yarn berry's config file (~/.yarnrc.yml, a project's .yarnrc.yml), read as far as feedz-agent
// needs it and edited by whole lines: only the entries feedz-agent adds under npmRegistries and
// npmScopes change, and every other byte (comments, order, quoting, CRLF or LF) stays. Berry
// ignores .npmrc, so this is where its scope routes and its (credential-free) auth entries go.
// The text is kept in wiped buffers: a user's file may hold a token of their own.
class YarnRc {
public:
    // Parses `text` (from `path`, for messages). An error, naming the line, for YAML this reader
    // does not follow (a tab in the indentation, several documents); such a file is never
    // written.
    static Result<YarnRc> parse(std::string_view text, std::string path = "");

    // Reads the file at `path` (through symlinks); a missing file is an empty config whose
    // exists() is false.
    static Result<YarnRc> load(const std::string& path);

    const std::string& path() const { return m_path; }

    bool exists() const { return m_exists; }

    bool changed() const { return m_changed; }

    // The entries of the top-level block map `section` ("npmRegistries", "npmScopes").
    std::vector<YarnEntry> entries(std::string_view section) const;

    // Adds `section`.`key` with `fields` at the end of the section (created at the end of the
    // file when missing), indented as the file indents. Returns the exact text added for
    // the entry, what remove() needs; nullopt when the section already has `key` (the user's,
    // or ours from an earlier login). An error when the section is written in a way this
    // editor does not change (flow style: `npmRegistries: {…}`).
    Result<std::optional<std::string>>
    add(std::string_view section, const std::string& key, const std::vector<YarnField>& fields);

    // Removes `section`.`key` when its text is still exactly `written` (what add() returned),
    // and the section's own line too when the entry was its last one and `drop_empty_section`.
    // Returns true when it removed the entry. Removing what add() added restores the bytes from
    // before add().
    bool remove(std::string_view section,
                const std::string& key,
                std::string_view written,
                bool drop_empty_section);

    // The value of the top-level scalar `name` ("npmRegistryServer"), if the file sets one.
    std::optional<std::string> top_level(std::string_view name) const;

    // Whether the top-level key `section` is in the file.
    bool has_section(std::string_view section) const;

    SecretString text() const;

    // Writes the file atomically into the target of a symlinked path, keeping its mode (0644
    // when new: it holds no secret of ours). Does nothing when nothing changed.
    Result<void> save();

private:
    using Line = SecretLine;

    struct Section {
        std::size_t header = 0; // index of the `section:` line
        std::size_t end = 0;    // one past its last content line
        bool flow = false;      // `section: {…}` or another value on the header line
    };

    struct Block {
        std::size_t begin = 0; // index of the key line
        std::size_t end = 0;   // one past its last field line
    };

    std::optional<Section> find_section(std::string_view section) const;
    std::optional<Block> find_block(const Section& section, const std::string& key) const;
    std::string block_text(const Block& block) const;
    std::string dominant_eol() const;

    std::vector<Line> m_lines;
    std::string m_path;
    bool m_exists = false;
    bool m_changed = false;
};

// The text of a YAML double-quoted scalar for `value`.
std::string yaml_quote(std::string_view value);

// The registry key berry matches npmRegistries entries by: the URL without its protocol and
// without a trailing slash ("//host/org/repo/npm").
std::string yarn_registry_key(std::string_view url);

// The NAME in a value that is exactly "${NAME}", "${NAME-…}" or "${NAME:-…}" (berry's
// environment expansion), if it is one.
std::optional<std::string> yarn_variable(std::string_view value);

} // namespace feedz
