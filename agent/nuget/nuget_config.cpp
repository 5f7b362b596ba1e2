// SPDX-License-Identifier: MIT
#include "nuget_config.hpp"

#include <agent/core/feed.hpp>
#include <agent/core/paths.hpp>
#include <agent/util/file.hpp>
#include <agent/util/text.hpp>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace feedz {

namespace {

// What `dotnet` writes when it creates a user-level NuGet.Config.
constexpr const char* k_new_file_text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                        "<configuration>\n"
                                        "  <packageSources>\n"
                                        "    <add key=\"nuget.org\" "
                                        "value=\"https://api.nuget.org/v3/index.json\" "
                                        "protocolVersion=\"3\" />\n"
                                        "  </packageSources>\n"
                                        "</configuration>\n";

std::string normalized(const std::string& url) {
    auto result = normalize_url(url);
    return result ? result->text : url;
}

char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether `text` contains `part` (lower case) in any ASCII case.
bool contains_ignoring_case(std::string_view text, std::string_view part) {
    auto found =
        std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
            return ascii_lower(a) == b;
        });
    return found != text.end();
}

// The host of a normalised URL ("f.feedz.io", "[::1]"), lower case.
std::string_view host_of(std::string_view normalized_url) {
    auto start = normalized_url.find("://");
    if (start == std::string_view::npos) {
        return {};
    }
    start += 3;
    std::size_t end = normalized_url[start] == '[' ? normalized_url.find(']', start) + 1
                                                   : normalized_url.find_first_of(":/", start);
    return normalized_url.substr(start, end - start);
}

} // namespace

NuGetConfig::NuGetConfig(std::string path, XmlDocument document, bool created)
    : m_path(std::move(path))
    , m_document(std::move(document))
    , m_created(created) {}

std::string NuGetConfig::home_directory() {
    // NuGetEnvironment.GetHome: the .NET CLI's home override comes first.
    const char* cli_home = std::getenv("DOTNET_CLI_HOME");
    return cli_home != nullptr && *cli_home != '\0' ? std::string(cli_home)
                                                    : feedz::home_directory();
}

std::string NuGetConfig::user_config_path() {
    return home_directory() + "/.nuget/NuGet/NuGet.Config";
}

std::string NuGetConfig::new_file_text() {
    return k_new_file_text;
}

Result<NuGetConfig> NuGetConfig::load(const std::string& path) {
    auto text = read_file(path);
    if (!text) {
        return text.error();
    }
    bool created = !*text;
    auto document = XmlDocument::parse(created ? std::string(k_new_file_text) : **text, path);
    if (!document) {
        return make_error(Errc::io_error,
                          document.error().message + "; the file was left as it was");
    }
    const auto& root = document->element(document->root());
    if (root.name != "configuration") {
        return make_error(Errc::io_error,
                          path + ":" + std::to_string(document->line_of(root.begin))
                              + ": the root element is <" + root.name
                              + ">, not <configuration>; the file was left as it was");
    }
    return NuGetConfig(path, std::move(*document), created);
}

std::size_t NuGetConfig::section(const std::string& name) const {
    return m_document.find_child(m_document.root(), name);
}

bool NuGetConfig::has_section(const std::string& name) const {
    return section(name) != XmlDocument::k_none;
}

std::vector<NuGetConfig::Source> NuGetConfig::sources() const {
    std::vector<Source> found;
    std::size_t sources_section = section("packageSources");
    if (sources_section == XmlDocument::k_none) {
        return found;
    }
    // NuGet reads <Add Key="…" Value="…"> as <add key value>: so must a duplicate check.
    for (std::size_t child : m_document.element(sources_section).children) {
        const auto& element = m_document.element(child);
        auto key = element.attribute_ignoring_case("key");
        auto value = element.attribute_ignoring_case("value");
        if (iequals(element.name, "add") && key && value) {
            found.push_back({*key, *value, m_document.line_of(element.begin)});
        }
    }
    return found;
}

std::optional<std::string> NuGetConfig::key_of_url(const std::string& url) const {
    std::size_t sources_section = section("packageSources");
    if (sources_section == XmlDocument::k_none) {
        return std::nullopt;
    }
    std::string wanted = normalized(url);
    // Normalising every source of a big file costs most of a login: a source can only match
    // when its URL names our host in some case (normalising lowers the host; a URL that does
    // not parse is compared as it is), so only those are normalised.
    std::string_view host = host_of(wanted);
    for (std::size_t child : m_document.element(sources_section).children) {
        const auto& element = m_document.element(child);
        const std::string* key = element.find_attribute_ignoring_case("key");
        const std::string* value = element.find_attribute_ignoring_case("value");
        if (iequals(element.name, "add") && key != nullptr && value != nullptr
            && contains_ignoring_case(*value, host) && normalized(*value) == wanted) {
            return *key;
        }
    }
    return std::nullopt;
}

bool NuGetConfig::has_key(const std::string& key) const {
    std::size_t sources_section = section("packageSources");
    if (sources_section == XmlDocument::k_none) {
        return false;
    }
    for (std::size_t child : m_document.element(sources_section).children) {
        const auto& element = m_document.element(child);
        const std::string* found = element.find_attribute_ignoring_case("key");
        if (found != nullptr && *found == key && iequals(element.name, "add")
            && element.find_attribute_ignoring_case("value") != nullptr) {
            return true;
        }
    }
    return false;
}

bool NuGetConfig::is_disabled(const std::string& key) const {
    std::size_t disabled = section("disabledPackageSources");
    if (disabled == XmlDocument::k_none) {
        return false;
    }
    for (std::size_t child : m_document.children_named(disabled, "add")) {
        const auto& element = m_document.element(child);
        if (element.attribute("key") == key && element.attribute("value").value_or("") == "true") {
            return true;
        }
    }
    return false;
}

std::optional<std::size_t> NuGetConfig::credentials_line(const std::string& key) const {
    std::size_t credentials = section("packageSourceCredentials");
    if (credentials == XmlDocument::k_none) {
        return std::nullopt;
    }
    // Keys are stored as element names, with spaces and other characters encoded; compare
    // the plain forms.
    for (std::size_t child : m_document.element(credentials).children) {
        const auto& element = m_document.element(child);
        if (element.name == key || element.name == "_x0020_" + key) {
            return m_document.line_of(element.begin);
        }
    }
    return std::nullopt;
}

bool NuGetConfig::uses_source_mapping() const {
    std::size_t mapping = section("packageSourceMapping");
    return mapping != XmlDocument::k_none
           && !m_document.children_named(mapping, "packageSource").empty();
}

bool NuGetConfig::has_mapping(const std::string& key) const {
    std::size_t mapping = section("packageSourceMapping");
    if (mapping == XmlDocument::k_none) {
        return false;
    }
    for (std::size_t child : m_document.children_named(mapping, "packageSource")) {
        if (m_document.element(child).attribute("key") == key
            && !m_document.children_named(child, "package").empty()) {
            return true;
        }
    }
    return false;
}

bool NuGetConfig::has_mapping(const std::string& key, const std::string& pattern) const {
    std::size_t mapping = section("packageSourceMapping");
    if (mapping == XmlDocument::k_none) {
        return false;
    }
    for (std::size_t child : m_document.children_named(mapping, "packageSource")) {
        if (m_document.element(child).attribute("key") != key) {
            continue;
        }
        for (std::size_t package : m_document.children_named(child, "package")) {
            if (m_document.element(package).attribute("pattern") == pattern) {
                return true;
            }
        }
    }
    return false;
}

Result<void> NuGetConfig::replace(std::size_t begin, std::size_t end, const std::string& text) {
    std::string updated = m_document.text();
    updated.replace(begin, end - begin, text);
    // Every edit must leave well-formed XML; a failure here is a bug, and nothing is written.
    auto document = XmlDocument::parse(std::move(updated), m_path);
    if (!document) {
        return make_error(Errc::internal,
                          "editing " + m_path + " would break it (" + document.error().message
                              + "); nothing was written");
    }
    m_document = std::move(*document);
    m_changed = true;
    return {};
}

Result<void> NuGetConfig::insert_child(std::size_t parent, const std::string& element_text) {
    const auto& element = m_document.element(parent);
    std::string eol = m_document.line_ending();
    std::string parent_indent = m_document.line_indent(element.begin).value_or("");
    std::string child_indent = parent_indent + m_document.indent_unit();
    if (!element.children.empty()) {
        if (auto sibling =
                m_document.line_indent(m_document.element(element.children.back()).begin)) {
            child_indent = *sibling;
        }
    }
    if (element.self_closing) {
        // <x /> becomes <x>, the child on its own line, </x>.
        std::string start_tag =
            m_document.text().substr(element.begin, element.start_tag_end - element.begin);
        start_tag.erase(start_tag.size() - 2); // "/>"
        while (!start_tag.empty() && (start_tag.back() == ' ' || start_tag.back() == '\t')) {
            start_tag.pop_back();
        }
        return replace(element.begin,
                       element.end,
                       start_tag + ">" + eol + child_indent + element_text + eol + parent_indent
                           + "</" + element.name + ">");
    }
    std::size_t close = element.end_tag_begin;
    if (auto close_indent = m_document.line_indent(close)) {
        // The end tag is on its own line: the child goes on a new line before it.
        std::size_t line_start = close - close_indent->size();
        return replace(line_start, line_start, child_indent + element_text + eol);
    }
    return replace(close, close, element_text);
}

Result<void> NuGetConfig::remove_element(std::size_t index) {
    const auto& element = m_document.element(index);
    const std::string& text = m_document.text();
    if (auto indent = m_document.line_indent(element.begin)) {
        std::size_t after = element.end;
        while (after < text.size()
               && (text[after] == ' ' || text[after] == '\t' || text[after] == '\r')) {
            ++after;
        }
        if (after == text.size() || text[after] == '\n') {
            // The element is alone on its line: remove the line.
            std::size_t line_start = element.begin - indent->size();
            return replace(line_start, after == text.size() ? after : after + 1, "");
        }
    }
    return replace(element.begin, element.end, "");
}

Result<void> NuGetConfig::add_source(const std::string& key, const std::string& url) {
    if (!has_section("packageSources")) {
        FEEDZ_TRY(insert_child(m_document.root(), "<packageSources />"));
    }
    return insert_child(section("packageSources"), source_element(key, url));
}

std::string NuGetConfig::source_element(const std::string& key, const std::string& url) {
    return "<add key=\"" + xml_escape(key) + "\" value=\"" + xml_escape(url) + "\" />";
}

std::optional<std::string> NuGetConfig::source_text(const std::string& key) const {
    std::size_t sources_section = section("packageSources");
    if (sources_section == XmlDocument::k_none) {
        return std::nullopt;
    }
    for (std::size_t child : m_document.children_named(sources_section, "add")) {
        const auto& element = m_document.element(child);
        if (element.attribute("key") == key) {
            return m_document.text().substr(element.begin, element.end - element.begin);
        }
    }
    return std::nullopt;
}

Result<bool> NuGetConfig::remove_source(const std::string& key, const std::string& url) {
    std::size_t sources_section = section("packageSources");
    if (sources_section == XmlDocument::k_none) {
        return false;
    }
    for (std::size_t child : m_document.children_named(sources_section, "add")) {
        const auto& element = m_document.element(child);
        if (element.attribute("key") == key
            && normalized(element.attribute("value").value_or("")) == normalized(url)) {
            FEEDZ_TRY(remove_element(child));
            return true;
        }
    }
    return false;
}

Result<void> NuGetConfig::add_mapping(const std::string& key, const std::string& pattern) {
    if (has_mapping(key, pattern)) {
        return {};
    }
    if (!has_section("packageSourceMapping")) {
        FEEDZ_TRY(insert_child(m_document.root(), "<packageSourceMapping />"));
    }
    std::size_t mapping = section("packageSourceMapping");
    std::size_t source = XmlDocument::k_none;
    for (std::size_t child : m_document.children_named(mapping, "packageSource")) {
        if (m_document.element(child).attribute("key") == key) {
            source = child;
        }
    }
    if (source == XmlDocument::k_none) {
        FEEDZ_TRY(insert_child(mapping, "<packageSource key=\"" + xml_escape(key) + "\" />"));
        mapping = section("packageSourceMapping");
        source = m_document.element(mapping).children.back();
    }
    return insert_child(source, "<package pattern=\"" + xml_escape(pattern) + "\" />");
}

Result<bool> NuGetConfig::remove_mapping(const std::string& key, const std::string& pattern) {
    std::size_t mapping = section("packageSourceMapping");
    if (mapping == XmlDocument::k_none) {
        return false;
    }
    for (std::size_t source : m_document.children_named(mapping, "packageSource")) {
        if (m_document.element(source).attribute("key") != key) {
            continue;
        }
        for (std::size_t package : m_document.children_named(source, "package")) {
            if (m_document.element(package).attribute("pattern") != pattern) {
                continue;
            }
            std::size_t source_begin = m_document.element(source).begin;
            FEEDZ_TRY(remove_element(package));
            // Offsets moved: find the <packageSource> again by where it starts.
            for (std::size_t index = 0; index < m_document.elements().size(); ++index) {
                const auto& element = m_document.element(index);
                if (element.begin == source_begin && element.name == "packageSource"
                    && element.children.empty()) {
                    FEEDZ_TRY(remove_element(index));
                    break;
                }
            }
            return true;
        }
    }
    return false;
}

Result<bool> NuGetConfig::remove_section_if_empty(const std::string& name) {
    std::size_t index = section(name);
    if (index == XmlDocument::k_none || !m_document.element(index).children.empty()) {
        return false;
    }
    FEEDZ_TRY(remove_element(index));
    return true;
}

std::size_t NuGetConfig::element_named(const std::string& name) const {
    return name == "configuration" ? m_document.root() : section(name);
}

std::optional<std::string> NuGetConfig::self_closing_text(const std::string& name) const {
    std::size_t index = element_named(name);
    if (index == XmlDocument::k_none || !m_document.element(index).self_closing) {
        return std::nullopt;
    }
    const auto& element = m_document.element(index);
    return m_document.text().substr(element.begin, element.end - element.begin);
}

Result<bool> NuGetConfig::restore_self_closing(const std::string& name, const std::string& text) {
    std::size_t index = element_named(name);
    if (index == XmlDocument::k_none) {
        return false;
    }
    const auto& element = m_document.element(index);
    if (element.self_closing || !element.children.empty()) {
        return false;
    }
    std::string_view content =
        std::string_view(m_document.text())
            .substr(element.start_tag_end, element.end_tag_begin - element.start_tag_end);
    if (content.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        return false; // a comment or text the user put there since
    }
    FEEDZ_TRY(replace(element.begin, element.end, text));
    return true;
}

Result<void> NuGetConfig::save() const {
    FEEDZ_TRY(make_directories(parent_directory(m_path), 0755));
    FEEDZ_TRY(check_replaceable(resolve_symlinks(m_path)));
    return write_file_atomically(m_path, m_document.text(), 0644);
}

} // namespace feedz
