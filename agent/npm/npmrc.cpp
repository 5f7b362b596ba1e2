// SPDX-License-Identifier: MIT
#include "npmrc.hpp"

#include <agent/util/file.hpp>
#include <agent/util/system_error.hpp>
#include <agent/util/text.hpp>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace feedz {

namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";
constexpr std::string_view k_nbsp = "\xC2\xA0";

bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// JavaScript's trim() and \s cover more than ASCII; a BOM and a no-break space are the two a
// config file plausibly holds (a BOM-prefixed first key is read without the BOM).
std::size_t leading_space(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (is_ascii_space(text[i])) {
            ++i;
        } else if (text.substr(i).starts_with(k_bom)) {
            i += k_bom.size();
        } else if (text.substr(i).starts_with(k_nbsp)) {
            i += k_nbsp.size();
        } else {
            break;
        }
    }
    return i;
}

std::string_view trim(std::string_view text) {
    text.remove_prefix(leading_space(text));
    while (!text.empty()) {
        if (is_ascii_space(text.back())) {
            text.remove_suffix(1);
        } else if (text.ends_with(k_bom)) {
            text.remove_suffix(k_bom.size());
        } else if (text.ends_with(k_nbsp)) {
            text.remove_suffix(k_nbsp.size());
        } else {
            break;
        }
    }
    return text;
}

// JSON.parse() of `text` when it is a JSON string; String(value) for other JSON values.
std::optional<std::string> parse_json_text(std::string_view text) {
    auto json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (json.is_discarded()) {
        return std::nullopt;
    }
    if (json.is_string()) {
        return json.get<std::string>();
    }
    return json.dump();
}

// ini's unsafe(): the value or key npm reads from what was written.
std::string unsafe(std::string_view text) {
    std::string_view value = trim(text);
    bool double_quoted = value.starts_with('"') && value.ends_with('"');
    bool single_quoted = value.starts_with('\'') && value.ends_with('\'');
    if (double_quoted || single_quoted) {
        std::string_view inner = value;
        if (single_quoted) {
            inner = value.size() >= 2 ? value.substr(1, value.size() - 2) : std::string_view();
        }
        return parse_json_text(inner).value_or(std::string(inner));
    }
    std::string result;
    bool escaped = false;
    for (char c : value) {
        if (escaped) {
            if (c != '\\' && c != ';' && c != '#') {
                result += '\\';
            }
            result += c;
            escaped = false;
        } else if (c == ';' || c == '#') {
            break;
        } else if (c == '\\') {
            escaped = true;
        } else {
            result += c;
        }
    }
    if (escaped) {
        result += '\\';
    }
    return std::string(trim(result));
}

enum class LineKind { skipped, section, entry };

// One line as ini's decode() sees it. Fills `section` or `entry` accordingly.
LineKind parse_line(std::string_view line, std::optional<std::string>& section, NpmrcEntry& entry) {
    std::size_t space = leading_space(line);
    if (space == line.size() || line[space] == ';' || line[space] == '#') {
        return LineKind::skipped;
    }
    // ^\[([^\]]*)\]\s*$
    if (line.front() == '[') {
        auto close = line.find(']');
        if (close != std::string_view::npos
            && leading_space(line.substr(close + 1)) == line.size() - close - 1) {
            section = unsafe(line.substr(1, close - 1));
            return LineKind::section;
        }
    }
    // ^([^=]+)(=(.*))?$ where '.' stops at U+2028 and U+2029.
    auto equals = line.find('=');
    if (equals == 0) {
        return LineKind::skipped;
    }
    if (equals != std::string_view::npos) {
        std::string_view rest = line.substr(equals + 1);
        if (rest.find("\xE2\x80\xA8") != std::string_view::npos
            || rest.find("\xE2\x80\xA9") != std::string_view::npos) {
            return LineKind::skipped;
        }
    }
    std::string key = unsafe(line.substr(0, equals));
    entry.array = key.size() > 2 && key.ends_with("[]");
    if (entry.array) {
        key.resize(key.size() - 2);
    }
    if (key == "__proto__") {
        return LineKind::skipped;
    }
    entry.key = std::move(key);
    entry.section = section;
    entry.has_value = equals != std::string_view::npos;
    entry.raw = entry.has_value ? line.substr(equals + 1) : std::string_view();
    return LineKind::entry;
}

bool is_section_line(std::string_view line) {
    std::optional<std::string> section;
    NpmrcEntry entry;
    return parse_line(line, section, entry) == LineKind::section;
}

bool is_blank_or_comment(std::string_view line) {
    std::size_t space = leading_space(line);
    return space == line.size() || line[space] == ';' || line[space] == '#';
}

SecretString concatenate(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (auto part : parts) {
        size += part.size();
    }
    SecretString joined = SecretString::with_size(size);
    char* out = joined.data();
    for (auto part : parts) {
        if (!part.empty()) {
            std::memcpy(out, part.data(), part.size());
            out += part.size();
        }
    }
    return joined;
}

Error io_error(const std::string& what, const std::string& path, int error_number) {
    return make_error(Errc::io_error, what + " " + path + ": " + errno_text(error_number));
}

constexpr char k_base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

} // namespace

Npmrc Npmrc::parse(std::string_view text, std::string path) {
    Npmrc config;
    config.m_path = std::move(path);
    // npm splits lines on /[\r\n]+/: a lone CR ends a line as LF and CRLF do. Splitting the
    // same way keeps every edit to one line as npm reads it; the ending is kept for the bytes.
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = start;
        while (end < text.size() && text[end] != '\r' && text[end] != '\n') {
            ++end;
        }
        if (end == text.size()) {
            config.m_lines.push_back({SecretString(text.substr(start)), ""});
            break;
        }
        std::string eol(text.substr(end).starts_with("\r\n") ? "\r\n" : text.substr(end, 1));
        config.m_lines.push_back({SecretString(text.substr(start, end - start)), eol});
        start = end + eol.size();
    }
    return config;
}

Result<Npmrc> Npmrc::load(const std::string& path) {
    auto text = read_secret_file(resolve_symlinks(path));
    if (!text) {
        return text.error();
    }
    Npmrc config = *text ? parse((*text)->view()) : Npmrc();
    config.m_path = path;
    config.m_exists = text->has_value();
    for (std::size_t i = 0; i < config.m_lines.size(); ++i) {
        if (config.m_lines[i].content.view().find('\0') != std::string_view::npos) {
            return make_error(Errc::io_error,
                              path + ":" + std::to_string(i + 1)
                                  + ": a NUL byte: this is not an npm config file (npm reads "
                                    "text); it was left as it was");
        }
    }
    return config;
}

std::vector<NpmrcEntry> Npmrc::entries() const {
    std::vector<NpmrcEntry> result;
    std::optional<std::string> section;
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        NpmrcEntry entry;
        if (parse_line(m_lines[i].content.view(), section, entry) == LineKind::entry) {
            entry.line = i + 1;
            result.push_back(std::move(entry));
        }
    }
    return result;
}

std::optional<NpmrcEntry> Npmrc::find(std::string_view key) const {
    std::optional<NpmrcEntry> found;
    for (auto& entry : entries()) {
        if (entry.top_level() && !entry.array && entry.key == key) {
            found = std::move(entry);
        }
    }
    return found;
}

std::optional<std::size_t> Npmrc::find_line(std::string_view key) const {
    std::optional<std::size_t> found;
    std::optional<std::string> section;
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        NpmrcEntry entry;
        if (parse_line(m_lines[i].content.view(), section, entry) == LineKind::entry
            && entry.top_level() && !entry.array && entry.key == key) {
            found = i;
        }
    }
    return found;
}

std::string Npmrc::dominant_eol() const {
    std::size_t crlf = 0;
    std::size_t lf = 0;
    std::size_t cr = 0;
    for (const auto& line : m_lines) {
        crlf += line.eol == "\r\n" ? 1U : 0U;
        lf += line.eol == "\n" ? 1U : 0U;
        cr += line.eol == "\r" ? 1U : 0U;
    }
    if (cr > crlf && cr > lf) {
        return "\r";
    }
    return crlf > lf ? "\r\n" : "\n";
}

std::size_t Npmrc::insertion_point() const {
    auto first_section = std::find_if(m_lines.begin(), m_lines.end(), [](const Line& line) {
        return is_section_line(line.content.view());
    });
    if (first_section == m_lines.end()) {
        return m_lines.size();
    }
    // After the last top-level setting, so that a comment heading the section stays with it.
    std::size_t point = 0;
    for (auto it = m_lines.begin(); it != first_section; ++it) {
        if (!is_blank_or_comment(it->content.view())) {
            point = static_cast<std::size_t>(it - m_lines.begin()) + 1;
        }
    }
    return point;
}

bool Npmrc::set(std::string_view key, std::string_view value) {
    SecretString content = concatenate({key, "=", value});
    if (auto index = find_line(key)) {
        Line& line = m_lines[*index];
        if (line.content == content) {
            return false;
        }
        line.content = std::move(content);
        m_changed = true;
        return true;
    }
    std::string eol = dominant_eol();
    std::size_t point = insertion_point();
    if (point == m_lines.size() && !m_lines.empty() && m_lines.back().eol.empty()) {
        // The file ends without a newline: keep it that way, so that erase() restores it.
        m_lines.back().eol = std::exchange(eol, "");
    }
    m_lines.insert(m_lines.begin() + static_cast<std::ptrdiff_t>(point),
                   Line{std::move(content), std::move(eol)});
    m_changed = true;
    return true;
}

bool Npmrc::erase(std::string_view key) {
    auto index = find_line(key);
    if (!index) {
        return false;
    }
    if (*index + 1 == m_lines.size() && m_lines[*index].eol.empty() && *index > 0) {
        m_lines[*index - 1].eol.clear();
    }
    m_lines.erase(m_lines.begin() + static_cast<std::ptrdiff_t>(*index));
    m_changed = true;
    return true;
}

std::optional<std::string> Npmrc::line_digest(std::string_view key) const {
    auto index = find_line(key);
    if (!index) {
        return std::nullopt;
    }
    std::string_view line = m_lines[*index].content.view();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(line.data(), line.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
        return std::string(); // matches nothing recorded: the line is left alone
    }
    static const char* const k_hex = "0123456789abcdef";
    std::string text = "sha256:";
    for (unsigned int i = 0; i < length; ++i) {
        text += k_hex[digest[i] >> 4];
        text += k_hex[digest[i] & 0x0f];
    }
    return text;
}

SecretString Npmrc::text() const {
    return join_lines(m_lines);
}

Result<void>
Npmrc::write_in_chunks(const std::function<Result<void>(std::string_view)>& sink) const {
    // Lines are gathered into 64 KiB, so that a large file costs a few writes rather than two
    // a line; the buffer is wiped when it goes, as it may hold tokens.
    constexpr std::size_t k_chunk_size = 64 * 1024;
    SecretString chunk = SecretString::with_size(k_chunk_size);
    std::size_t used = 0;
    for (const auto& line : m_lines) {
        for (std::string_view part : {line.content.view(), std::string_view(line.eol)}) {
            if (part.size() > k_chunk_size - used && used > 0) {
                FEEDZ_TRY(sink(chunk.view().substr(0, used)));
                used = 0;
            }
            if (part.size() >= k_chunk_size) {
                FEEDZ_TRY(sink(part));
            } else if (!part.empty()) {
                std::memcpy(chunk.data() + used, part.data(), part.size());
                used += part.size();
            }
        }
    }
    if (used > 0) {
        FEEDZ_TRY(sink(chunk.view().substr(0, used)));
    }
    return {};
}

Result<void> Npmrc::write_to(int fd) const {
    return write_in_chunks([&](std::string_view data) { return write_all(fd, data, m_path); });
}

Result<void> Npmrc::save() {
    if (!m_changed) {
        return {};
    }
    std::string target = resolve_symlinks(m_path);
    FEEDZ_TRY(make_directories(parent_directory(target), 0700));

    FEEDZ_TRY(check_replaceable(target)); // before the chmod below makes it writable

    struct stat st {};

    if (::stat(target.c_str(), &st) == 0 && (st.st_mode & 07777) != 0600
        && ::chmod(target.c_str(), 0600) != 0) {
        return io_error("cannot make private (mode 0600)", target, errno);
    }
    auto file = AtomicFile::open(target, 0600);
    if (!file) {
        return file.error();
    }
    FEEDZ_TRY(write_in_chunks([&](std::string_view data) { return file->write(data); }));
    FEEDZ_TRY(file->commit());
    m_changed = false;
    m_exists = true;
    return {};
}

std::string npm_value(std::string_view raw) {
    return unsafe(raw);
}

std::string
npm_expand(std::string_view text,
           const std::function<std::optional<std::string_view>(std::string_view)>& lookup) {
    std::string result;
    std::size_t copied = 0;
    std::size_t position = 0;
    while ((position = text.find("${", position)) != std::string_view::npos) {
        std::size_t name_end = text.find_first_of("${}?", position + 2);
        bool optional = name_end != std::string_view::npos && text[name_end] == '?';
        std::size_t close = optional ? name_end + 1 : name_end;
        if (name_end == std::string_view::npos || name_end == position + 2 || close >= text.size()
            || text[close] != '}') {
            position += 2;
            continue;
        }
        std::size_t backslashes = 0;
        while (backslashes < position && text[position - backslashes - 1] == '\\') {
            ++backslashes;
        }
        std::size_t match_begin = position - backslashes;
        result.append(text.substr(copied, match_begin - copied));
        // Each pair of backslashes stands for one; an odd one out escapes the placeholder.
        result.append(backslashes / 2, '\\');
        std::string_view placeholder = text.substr(position, close + 1 - position);
        if (backslashes % 2 == 1) {
            result.append(placeholder);
        } else if (auto value = lookup(text.substr(position + 2, name_end - position - 2))) {
            result.append(*value);
        } else if (!optional) {
            result.append(placeholder);
        }
        position = close + 1;
        copied = position;
    }
    result.append(text.substr(copied));
    return result;
}

std::vector<NpmPlaceholder> npm_placeholders(std::string_view text) {
    // npm's /(?<!\\)(\\*)\$\{([^${}?]+)(\?)?\}/g: an odd number of backslashes escapes.
    std::vector<NpmPlaceholder> found;
    std::size_t position = 0;
    while ((position = text.find("${", position)) != std::string_view::npos) {
        std::size_t backslashes = 0;
        while (backslashes < position && text[position - backslashes - 1] == '\\') {
            ++backslashes;
        }
        std::size_t name_end = text.find_first_of("${}?", position + 2);
        if (name_end == std::string_view::npos || name_end == position + 2) {
            position += 2;
            continue;
        }
        bool optional = text[name_end] == '?';
        std::size_t close = optional ? name_end + 1 : name_end;
        if (close >= text.size() || text[close] != '}') {
            position += 2;
            continue;
        }
        if (backslashes % 2 == 0) {
            found.push_back(
                {std::string(text.substr(position + 2, name_end - position - 2)), optional});
        }
        position = close + 1;
    }
    return found;
}

std::optional<std::string> npm_nerf_dart(std::string_view url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::nullopt;
    }
    std::string scheme = to_lower(url.substr(0, scheme_end));
    if (scheme != "http" && scheme != "https") {
        return std::nullopt;
    }
    std::string_view rest = url.substr(scheme_end + 3);
    auto authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);
    }
    std::string host = to_lower(authority);
    std::string default_port = scheme == "https" ? ":443" : ":80";
    if (host.ends_with(default_port)) {
        host.resize(host.size() - default_port.size());
    }
    if (host.empty()) {
        return std::nullopt;
    }
    std::string_view path;
    if (authority_end != std::string_view::npos && rest[authority_end] == '/') {
        path = rest.substr(authority_end);
        path = path.substr(0, path.find_first_of("?#"));
    }
    std::string directory(path.substr(0, path.rfind('/') + 1));
    if (directory.empty()) {
        directory = "/";
    }
    return "//" + host + directory;
}

SecretString npm_base64(std::string_view data) {
    SecretString encoded = SecretString::with_size((data.size() + 2) / 3 * 4);
    char* out = encoded.data();
    std::size_t i = 0;
    auto byte = [&](std::size_t index) {
        return index < data.size() ? static_cast<unsigned char>(data[index]) : 0U;
    };
    for (; i < data.size(); i += 3) {
        unsigned int group = (byte(i) << 16U) | (byte(i + 1) << 8U) | byte(i + 2);
        *out++ = k_base64_alphabet[(group >> 18U) & 63U];
        *out++ = k_base64_alphabet[(group >> 12U) & 63U];
        *out++ = i + 1 < data.size() ? k_base64_alphabet[(group >> 6U) & 63U] : '=';
        *out++ = i + 2 < data.size() ? k_base64_alphabet[group & 63U] : '=';
    }
    return encoded;
}

SecretString npm_basic_auth(std::string_view token) {
    SecretString credentials = concatenate({"feedz:", token});
    return npm_base64(credentials.view());
}

} // namespace feedz
