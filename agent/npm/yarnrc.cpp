// SPDX-License-Identifier: MIT
#include <agent/npm/yarnrc.hpp>
#include <agent/util/file.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace feedz {

namespace {

// A UTF-8 byte order mark that starts the file: kept in the text, skipped when reading keys.
std::string_view without_bom(std::string_view line) {
    constexpr std::string_view k_bom = "\xEF\xBB\xBF";
    return line.starts_with(k_bom) ? line.substr(k_bom.size()) : line;
}

std::size_t indent_of(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ') {
        ++i;
    }
    return i;
}

// A line with nothing for YAML: blank, or only a comment.
bool is_blank(std::string_view line) {
    std::size_t i = line.find_first_not_of(" \t");
    return i == std::string_view::npos || line[i] == '#';
}

std::string_view trim(std::string_view text) {
    std::size_t begin = text.find_first_not_of(" \t");
    if (begin == std::string_view::npos) {
        return {};
    }
    std::size_t end = text.find_last_not_of(" \t");
    return text.substr(begin, end - begin + 1);
}

// The value of a double- or single-quoted scalar starting at text[0]; `consumed` is its length.
std::optional<std::string> unquote(std::string_view text, std::size_t& consumed) {
    char quote = text[0];
    std::string value;
    for (std::size_t i = 1; i < text.size(); ++i) {
        char c = text[i];
        if (quote == '\'' && c == '\'') {
            if (i + 1 < text.size() && text[i + 1] == '\'') {
                value += '\'';
                ++i;
                continue;
            }
            consumed = i + 1;
            return value;
        }
        if (quote == '"' && c == '"') {
            consumed = i + 1;
            return value;
        }
        if (quote == '"' && c == '\\' && i + 1 < text.size()) {
            char escaped = text[++i];
            switch (escaped) {
            case 'n':
                value += '\n';
                break;
            case 't':
                value += '\t';
                break;
            case '0':
                value += '\0';
                break;
            default:
                value += escaped;
                break; // \" \\ \/ and the rare rest, as written
            }
            continue;
        }
        value += c;
    }
    return std::nullopt; // unterminated (a multi-line scalar): not a key we know
}

struct KeyLine {
    std::string key;
    std::string_view rest; // the text after the ':', trimmed
};

// `key: rest` from a line without its indentation; nullopt for anything else (a sequence item,
// a scalar continuation).
std::optional<KeyLine> parse_key_line(std::string_view text) {
    if (text.empty() || text[0] == '-' || text[0] == '#') {
        return std::nullopt;
    }
    KeyLine result;
    std::size_t after = 0;
    if (text[0] == '"' || text[0] == '\'') {
        std::size_t consumed = 0;
        auto key = unquote(text, consumed);
        if (!key) {
            return std::nullopt;
        }
        result.key = *key;
        after = consumed;
        while (after < text.size() && text[after] == ' ') {
            ++after;
        }
        if (after >= text.size() || text[after] != ':') {
            return std::nullopt;
        }
    } else {
        // A plain key ends at the first ':' followed by a space or the end of the line.
        std::size_t colon = 0;
        while (true) {
            colon = text.find(':', colon);
            if (colon == std::string_view::npos) {
                return std::nullopt;
            }
            if (colon + 1 == text.size() || text[colon + 1] == ' ' || text[colon + 1] == '\t') {
                break;
            }
            ++colon;
        }
        result.key = std::string(trim(text.substr(0, colon)));
        after = colon;
    }
    std::string_view rest = trim(text.substr(after + 1));
    result.rest = rest.starts_with('#') ? std::string_view() : rest;
    return result;
}

// The value of a scalar as written after `key: ` (quotes removed, a trailing comment dropped).
std::string scalar_value(std::string_view rest) {
    if (rest.empty()) {
        return {};
    }
    if (rest[0] == '"' || rest[0] == '\'') {
        std::size_t consumed = 0;
        if (auto value = unquote(rest, consumed)) {
            return *value;
        }
        return std::string(rest);
    }
    std::size_t comment = rest.find(" #");
    return std::string(trim(rest.substr(0, comment)));
}

bool plain_key(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-' || c == '.';
    });
}

Error yaml_error(const std::string& path, std::size_t line, const std::string& what) {
    return make_error(Errc::invalid_argument,
                      path + ":" + std::to_string(line) + ": " + what
                          + "; feedz-agent left the file as it was");
}

} // namespace

const std::string* YarnEntry::field(std::string_view name) const {
    for (const auto& f : fields) {
        if (f.name == name) {
            return &f.value;
        }
    }
    return nullptr;
}

Result<YarnRc> YarnRc::parse(std::string_view text, std::string path) {
    YarnRc config;
    config.m_path = std::move(path);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        std::string eol = end == std::string_view::npos ? "" : "\n";
        if (end == std::string_view::npos) {
            end = text.size();
        } else if (end > start && text[end - 1] == '\r') {
            --end;
            eol = "\r\n";
        }
        config.m_lines.push_back({SecretString(text.substr(start, end - start)), eol});
        start = end + eol.size();
    }
    bool content_seen = false;
    for (std::size_t i = 0; i < config.m_lines.size(); ++i) {
        std::string_view line = without_bom(config.m_lines[i].content.view());
        if (line.find('\0') != std::string_view::npos) {
            return yaml_error(config.m_path, i + 1, "a NUL byte: this is not a YAML file");
        }
        if (is_blank(line)) {
            continue;
        }
        std::size_t indent = indent_of(line);
        if (indent < line.size() && line[indent] == '\t') {
            return yaml_error(config.m_path, i + 1, "a tab in the indentation, which YAML forbids");
        }
        bool marker = line.starts_with("---") || line.starts_with("...");
        if (marker && (content_seen || line.starts_with("..."))) {
            return yaml_error(config.m_path, i + 1, "more than one YAML document");
        }
        content_seen = true;
    }
    return config;
}

Result<YarnRc> YarnRc::load(const std::string& path) {
    auto text = read_secret_file(resolve_symlinks(path));
    if (!text) {
        return text.error();
    }
    auto config = parse(*text ? (*text)->view() : std::string_view(), path);
    if (config) {
        config->m_exists = text->has_value();
    }
    return config;
}

std::optional<YarnRc::Section> YarnRc::find_section(std::string_view section) const {
    std::optional<Section> found;
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        std::string_view line = without_bom(m_lines[i].content.view());
        if (is_blank(line)) {
            continue;
        }
        bool top = indent_of(line) == 0;
        if (found && !top) {
            found->end = i + 1;
            continue;
        }
        if (found) {
            break; // the next top-level key ends the section
        }
        if (top) {
            auto key = parse_key_line(line);
            if (key && key->key == section) {
                found = Section{i, i + 1, !key->rest.empty()};
            }
        }
    }
    return found;
}

std::optional<YarnRc::Block> YarnRc::find_block(const Section& section,
                                                const std::string& key) const {
    std::optional<std::size_t> child_indent;
    std::optional<Block> found;
    for (std::size_t i = section.header + 1; i < section.end; ++i) {
        std::string_view line = m_lines[i].content.view();
        if (is_blank(line)) {
            continue;
        }
        std::size_t indent = indent_of(line);
        if (!child_indent) {
            child_indent = indent;
        }
        if (indent > *child_indent) {
            if (found) {
                found->end = i + 1;
            }
            continue;
        }
        if (found) {
            break;
        }
        auto parsed = parse_key_line(line.substr(indent));
        if (indent == *child_indent && parsed && parsed->key == key) {
            found = Block{i, i + 1};
        }
    }
    return found;
}

std::vector<YarnEntry> YarnRc::entries(std::string_view section) const {
    std::vector<YarnEntry> result;
    auto found = find_section(section);
    if (!found || found->flow) {
        return result;
    }
    std::optional<std::size_t> child_indent;
    std::size_t field_indent = 0; // 0: not known yet for this entry
    for (std::size_t i = found->header + 1; i < found->end; ++i) {
        std::string_view line = m_lines[i].content.view();
        if (is_blank(line)) {
            continue;
        }
        std::size_t indent = indent_of(line);
        auto parsed = parse_key_line(line.substr(indent));
        if (!child_indent) {
            child_indent = indent;
        }
        if (indent == *child_indent) {
            field_indent = 0;
            if (parsed) {
                result.push_back({parsed->key, i + 1, {}});
            }
            continue;
        }
        if (indent < *child_indent || result.empty() || !parsed) {
            continue;
        }
        if (field_indent == 0) {
            field_indent = indent;
        }
        if (indent == field_indent) {
            result.back().fields.push_back({parsed->key, scalar_value(parsed->rest)});
        }
    }
    return result;
}

std::optional<std::string> YarnRc::top_level(std::string_view name) const {
    std::optional<std::string> found;
    for (const auto& line : m_lines) {
        std::string_view text = without_bom(line.content.view());
        if (is_blank(text) || indent_of(text) != 0) {
            continue;
        }
        auto key = parse_key_line(text);
        if (key && key->key == name && !key->rest.empty()) {
            found = scalar_value(key->rest);
        }
    }
    return found;
}

bool YarnRc::has_section(std::string_view section) const {
    return find_section(section).has_value();
}

std::string YarnRc::block_text(const Block& block) const {
    std::string text;
    for (std::size_t i = block.begin; i < block.end; ++i) {
        text += m_lines[i].content.view();
        text += m_lines[i].eol;
    }
    return text;
}

std::string YarnRc::dominant_eol() const {
    std::size_t crlf = 0;
    std::size_t lf = 0;
    for (const auto& line : m_lines) {
        if (line.eol == "\r\n") {
            ++crlf;
        } else if (line.eol == "\n") {
            ++lf;
        }
    }
    return crlf > lf ? "\r\n" : "\n";
}

Result<std::optional<std::string>> YarnRc::add(std::string_view section,
                                               const std::string& key,
                                               const std::vector<YarnField>& fields) {
    auto found = find_section(section);
    std::size_t child_indent = 2;
    std::size_t step = 2;
    if (found) {
        std::size_t line = found->header + 1;
        if (found->flow) {
            return yaml_error(m_path,
                              line,
                              std::string(section)
                                  + " is written on one line (flow style), which feedz-agent "
                                    "does not edit. Write it as a block (one entry a line)");
        }
        if (find_block(*found, key)) {
            return std::optional<std::string>();
        }
        // Follow the file's own indentation.
        std::optional<std::size_t> first_child;
        for (std::size_t i = found->header + 1; i < found->end; ++i) {
            std::string_view text = m_lines[i].content.view();
            if (is_blank(text)) {
                continue;
            }
            std::size_t indent = indent_of(text);
            if (!first_child) {
                if (text.substr(indent).starts_with('-')) {
                    return yaml_error(m_path,
                                      i + 1,
                                      std::string(section)
                                          + " is a list, where yarn expects a map");
                }
                first_child = indent;
                child_indent = indent;
            } else if (indent > *first_child) {
                step = indent - *first_child;
                break;
            }
        }
    }

    std::string eol = dominant_eol();
    std::vector<Line> added;
    if (!found) {
        added.push_back({SecretString(std::string(section) + ":"), eol});
    }
    std::string key_text = plain_key(key) ? key : yaml_quote(key);
    added.push_back({SecretString(std::string(child_indent, ' ') + key_text + ":"), eol});
    for (const auto& field : fields) {
        added.push_back(
            {SecretString(std::string(child_indent + step, ' ') + field.name + ": " + field.value),
             eol});
    }
    std::size_t at = found ? found->end : m_lines.size();
    if (at > 0 && m_lines[at - 1].eol.empty()) {
        // A last line without a line ending gets one; the new last line goes without.
        m_lines[at - 1].eol = eol;
        added.back().eol.clear();
    }
    std::string written;
    for (std::size_t i = found ? 0 : 1; i < added.size(); ++i) {
        written += added[i].content.view();
        written += added[i].eol;
    }
    m_lines.insert(m_lines.begin() + static_cast<std::ptrdiff_t>(at),
                   std::make_move_iterator(added.begin()),
                   std::make_move_iterator(added.end()));
    m_changed = true;
    return std::optional<std::string>(written);
}

bool YarnRc::remove(std::string_view section,
                    const std::string& key,
                    std::string_view written,
                    bool drop_empty_section) {
    auto found = find_section(section);
    if (!found || found->flow) {
        return false;
    }
    auto block = find_block(*found, key);
    if (!block || block_text(*block) != written) {
        return false;
    }
    bool was_last_without_eol = block->end == m_lines.size() && m_lines.back().eol.empty();
    m_lines.erase(m_lines.begin() + static_cast<std::ptrdiff_t>(block->begin),
                  m_lines.begin() + static_cast<std::ptrdiff_t>(block->end));
    if (drop_empty_section) {
        auto rest = find_section(section);
        if (rest && rest->end == rest->header + 1
            && m_lines[rest->header].content.view() == std::string(section) + ":") {
            m_lines.erase(m_lines.begin() + static_cast<std::ptrdiff_t>(rest->header));
        }
    }
    if (was_last_without_eol && !m_lines.empty()) {
        m_lines.back().eol.clear();
    }
    m_changed = true;
    return true;
}

SecretString YarnRc::text() const {
    return join_lines(m_lines);
}

Result<void> YarnRc::save() {
    if (!m_changed) {
        return {};
    }
    std::string target = resolve_symlinks(m_path);
    FEEDZ_TRY(make_directories(parent_directory(target), 0700));
    FEEDZ_TRY(check_replaceable(target));
    SecretString content = text();
    FEEDZ_TRY(write_file_atomically(target, content.view(), 0644));
    m_changed = false;
    m_exists = true;
    return {};
}

std::string yaml_quote(std::string_view value) {
    std::string quoted = "\"";
    for (char raw : value) {
        auto c = static_cast<unsigned char>(raw);
        if (c == '"' || c == '\\') {
            quoted += '\\';
            quoted += static_cast<char>(c);
        } else if (c < 0x20) {
            static const char* hex = "0123456789abcdef";
            quoted += "\\x";
            quoted += hex[c >> 4];
            quoted += hex[c & 15];
        } else {
            quoted += static_cast<char>(c);
        }
    }
    return quoted + "\"";
}

std::string yarn_registry_key(std::string_view url) {
    std::size_t colon = url.find(':');
    if (colon != std::string_view::npos && url.substr(colon).starts_with("://")
        && std::all_of(url.begin(),
                       url.begin() + static_cast<std::ptrdiff_t>(colon),
                       [](unsigned char c) { return std::isalpha(c); })) {
        url.remove_prefix(colon + 1);
    }
    while (url.ends_with('/') && url.size() > 2) {
        url.remove_suffix(1);
    }
    return std::string(url);
}

std::optional<std::string> yarn_variable(std::string_view value) {
    if (!value.starts_with("${") || !value.ends_with('}')) {
        return std::nullopt;
    }
    std::string_view inner = value.substr(2, value.size() - 3);
    std::size_t end = 0;
    while (end < inner.size()
           && (std::isalnum(static_cast<unsigned char>(inner[end])) || inner[end] == '_')) {
        ++end;
    }
    if (end == 0 || std::isdigit(static_cast<unsigned char>(inner[0]))) {
        return std::nullopt;
    }
    std::string_view rest = inner.substr(end);
    if (!rest.empty() && !rest.starts_with('-') && !rest.starts_with(":-")) {
        return std::nullopt;
    }
    if (rest.find('}') != std::string_view::npos || rest.find("${") != std::string_view::npos) {
        return std::nullopt; // more than one expansion
    }
    return std::string(inner.substr(0, end));
}

} // namespace feedz
