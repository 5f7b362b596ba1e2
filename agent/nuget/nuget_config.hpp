// SPDX-License-Identifier: MIT
#pragma once

#include <agent/nuget/xml_document.hpp>
#include <agent/util/result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz {

// A NuGet.Config file, edited in place: every change touches only the elements it adds or
// removes, so comments, order, indentation, line endings, a BOM and the XML declaration stay.
// Additions are indented like their siblings and removal of an added element restores the
// original bytes.
class NuGetConfig {
public:
    struct Source {
        std::string key;
        std::string url;
        std::size_t line = 0;
    };

    // The home NuGet uses: $DOTNET_CLI_HOME when set, else $HOME.
    static std::string home_directory();

    // HOME/.nuget/NuGet/NuGet.Config (HOME as home_directory()): the user-level file NuGet
    // reads on Linux.
    static std::string user_config_path();

    // Reads `path`. A missing file starts from what NuGet itself would create (nuget.org as
    // the one source), so registering a feed does not lose nuget.org; created() tells.
    // A file that is not well-formed XML, or whose root is not <configuration>, is an error
    // naming file and line; nothing is ever written to it.
    static Result<NuGetConfig> load(const std::string& path);

    // The content of a file created by load() for a missing file.
    static std::string new_file_text();

    const std::string& path() const { return m_path; }

    const std::string& text() const { return m_document.text(); }

    bool created() const { return m_created; }

    bool changed() const { return m_changed; }

    std::vector<Source> sources() const;

    // The key of the source whose URL is `url` (compared normalised), if any.
    std::optional<std::string> key_of_url(const std::string& url) const;

    bool has_key(const std::string& key) const;

    bool has_section(const std::string& name) const;

    // True when <disabledPackageSources> disables `key`.
    bool is_disabled(const std::string& key) const;

    // The line of a <packageSourceCredentials> entry for `key`, if there is one: credentials
    // there take precedence over the credential plugin.
    std::optional<std::size_t> credentials_line(const std::string& key) const;

    // True when the file maps packages to sources (<packageSourceMapping> with entries):
    // then a source without a mapping serves nothing.
    bool uses_source_mapping() const;

    bool has_mapping(const std::string& key) const;

    bool has_mapping(const std::string& key, const std::string& pattern) const;

    // <add key="KEY" value="URL" /> at the end of <packageSources> (created if missing).
    Result<void> add_source(const std::string& key, const std::string& url);

    // The element add_source() writes for `key` and `url`.
    static std::string source_element(const std::string& key, const std::string& url);

    // The text of the <add> element of `key` in <packageSources>, if there is one.
    std::optional<std::string> source_text(const std::string& key) const;

    // Removes the <add> of `key` if its value is still `url`; false when it is not there.
    Result<bool> remove_source(const std::string& key, const std::string& url);

    // <package pattern="PATTERN" /> under <packageSource key="KEY"> in <packageSourceMapping>.
    Result<void> add_mapping(const std::string& key, const std::string& pattern);

    // Removes that mapping, and the <packageSource> when it is left empty.
    Result<bool> remove_mapping(const std::string& key, const std::string& pattern);

    // Removes the section `name` under <configuration> when it has no elements left.
    Result<bool> remove_section_if_empty(const std::string& name);

    // The text of the element `name` ("configuration" for the root, else a section) when it
    // is self-closing (<packageSources />): adding to it expands it, and logout puts it back.
    std::optional<std::string> self_closing_text(const std::string& name) const;

    // Puts back the self-closing `text` of the element `name` when it holds nothing but
    // whitespace again; false when it holds more (or is gone).
    Result<bool> restore_self_closing(const std::string& name, const std::string& text);

    // Writes the file atomically (a new file gets mode 0644; an existing one keeps its mode).
    Result<void> save() const;

private:
    NuGetConfig(std::string path, XmlDocument document, bool created);

    std::size_t section(const std::string& name) const;

    // The root for "configuration", else the section `name`; k_none when missing.
    std::size_t element_named(const std::string& name) const;

    Result<void> insert_child(std::size_t parent, const std::string& element_text);

    Result<void> remove_element(std::size_t index);

    Result<void> replace(std::size_t begin, std::size_t end, const std::string& text);

    std::string m_path;
    XmlDocument m_document;
    bool m_created = false;
    bool m_changed = false;
};

} // namespace feedz
