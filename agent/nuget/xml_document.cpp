// SPDX-License-Identifier: MIT
#include "xml_document.hpp"

#include <agent/util/text.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace feedz {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_name_start(char c) {
    auto byte = static_cast<unsigned char>(c);
    return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || byte == '_'
           || byte == ':' || byte >= 0x80;
}

bool is_name_char(char c) {
    auto byte = static_cast<unsigned char>(c);
    return is_name_start(c) || (byte >= '0' && byte <= '9') || byte == '-' || byte == '.';
}

void append_utf8(std::string& out, unsigned long code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

class Scanner {
public:
    Scanner(const std::string& text, const std::string& file_name)
        : m_text(text)
        , m_file(file_name) {}

    Result<void> run(std::vector<XmlDocument::Element>& elements, std::size_t& root);

private:
    Error error_at(std::size_t position, const std::string& what) const {
        std::size_t line = 1;
        std::size_t column = 1;
        for (std::size_t i = 0; i < position && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        return make_error(Errc::invalid_argument,
                          m_file + ":" + std::to_string(line) + ":" + std::to_string(column)
                              + ": not well-formed XML: " + what);
    }

    bool starts_with(std::size_t position, std::string_view prefix) const {
        return m_text.compare(position, prefix.size(), prefix) == 0;
    }

    // Resolves the references in `raw` (which starts at `position`).
    Result<std::string> unescape(std::string_view raw, std::size_t position) const;

    Result<std::size_t> skip_doctype(std::size_t position) const;

    const std::string& m_text;
    const std::string& m_file;
};

Result<std::string> Scanner::unescape(std::string_view raw, std::size_t position) const {
    // Nothing to resolve is the common case: copied at once. (Two find()s, not find_first_of,
    // which costs a call per character.)
    if (raw.find('&') == std::string_view::npos && raw.find('<') == std::string_view::npos) {
        return std::string(raw);
    }
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '<') {
            return error_at(position + i, "'<' in an attribute value");
        }
        if (raw[i] != '&') {
            out += raw[i];
            continue;
        }
        auto semicolon = raw.find(';', i);
        if (semicolon == std::string_view::npos) {
            return error_at(position + i, "'&' that does not start a reference (write &amp;)");
        }
        std::string_view name = raw.substr(i + 1, semicolon - i - 1);
        if (name == "lt") {
            out += '<';
        } else if (name == "gt") {
            out += '>';
        } else if (name == "amp") {
            out += '&';
        } else if (name == "quot") {
            out += '"';
        } else if (name == "apos") {
            out += '\'';
        } else if (name.size() > 1 && name[0] == '#') {
            bool hex = name[1] == 'x';
            std::string_view digits = name.substr(hex ? 2 : 1);
            unsigned long code = 0;
            auto [end, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
            if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()
                || code == 0 || code > 0x10FFFF) {
                return error_at(position + i,
                                "bad character reference &" + std::string(name) + ";");
            }
            append_utf8(out, code);
        } else {
            return error_at(position + i, "unknown entity &" + std::string(name) + ";");
        }
        i = semicolon;
    }
    return out;
}

Result<std::size_t> Scanner::skip_doctype(std::size_t position) const {
    int brackets = 0;
    char quote = 0;
    for (std::size_t i = position; i < m_text.size(); ++i) {
        char c = m_text[i];
        if (quote != 0) {
            quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[') {
            ++brackets;
        } else if (c == ']') {
            --brackets;
        } else if (c == '>' && brackets == 0) {
            return i + 1;
        }
    }
    return error_at(position, "unterminated <!DOCTYPE");
}

Result<void> Scanner::run(std::vector<XmlDocument::Element>& elements, std::size_t& root) {
    const std::size_t size = m_text.size();
    std::size_t position = 0;
    if (size >= 2
        && ((m_text[0] == '\xFF' && m_text[1] == '\xFE')
            || (m_text[0] == '\xFE' && m_text[1] == '\xFF'))) {
        return error_at(0, "UTF-16 is not supported; save the file as UTF-8");
    }
    if (starts_with(0, "\xEF\xBB\xBF")) {
        position = 3;
    }
    std::vector<std::size_t> open;
    while (position < size) {
        if (m_text[position] != '<') {
            std::size_t next = m_text.find('<', position);
            next = next == std::string::npos ? size : next;
            if (open.empty()) {
                for (std::size_t i = position; i < next; ++i) {
                    if (!is_space(m_text[i])) {
                        return error_at(i, "text outside the root element");
                    }
                }
            } else {
                auto text =
                    unescape(std::string_view(m_text).substr(position, next - position), position);
                if (!text) {
                    return text.error();
                }
            }
            position = next;
            continue;
        }
        if (starts_with(position, "<?")) {
            auto end = m_text.find("?>", position + 2);
            if (end == std::string::npos) {
                return error_at(position, "unterminated processing instruction");
            }
            position = end + 2;
        } else if (starts_with(position, "<!--")) {
            auto end = m_text.find("--", position + 4);
            if (end == std::string::npos) {
                return error_at(position, "unterminated comment");
            }
            if (end + 2 >= size || m_text[end + 2] != '>') {
                return error_at(end, "'--' inside a comment");
            }
            position = end + 3;
        } else if (starts_with(position, "<![CDATA[")) {
            if (open.empty()) {
                return error_at(position, "CDATA outside the root element");
            }
            auto end = m_text.find("]]>", position);
            if (end == std::string::npos) {
                return error_at(position, "unterminated CDATA section");
            }
            position = end + 3;
        } else if (starts_with(position, "<!DOCTYPE")) {
            if (root != XmlDocument::k_none) {
                return error_at(position, "DOCTYPE after the root element");
            }
            auto end = skip_doctype(position);
            if (!end) {
                return end.error();
            }
            position = *end;
        } else if (starts_with(position, "</")) {
            std::size_t name_begin = position + 2;
            std::size_t i = name_begin;
            while (i < size && is_name_char(m_text[i])) {
                ++i;
            }
            std::string name = m_text.substr(name_begin, i - name_begin);
            while (i < size && is_space(m_text[i])) {
                ++i;
            }
            if (i >= size || m_text[i] != '>') {
                return error_at(position, "malformed end tag");
            }
            if (open.empty()) {
                return error_at(position, "end tag </" + name + "> without a start tag");
            }
            auto& element = elements[open.back()];
            if (element.name != name) {
                return error_at(
                    position,
                    "</" + name + "> does not close <" + element.name + "> (line "
                        + std::to_string(
                            std::count(m_text.begin(),
                                       m_text.begin() + static_cast<std::ptrdiff_t>(element.begin),
                                       '\n')
                            + 1)
                        + ")");
            }
            element.end_tag_begin = position;
            element.end = i + 1;
            open.pop_back();
            position = i + 1;
        } else if (position + 1 < size && is_name_start(m_text[position + 1])) {
            if (open.empty() && root != XmlDocument::k_none) {
                return error_at(position, "a second root element");
            }
            XmlDocument::Element element;
            element.begin = position;
            std::size_t i = position + 1;
            while (i < size && is_name_char(m_text[i])) {
                ++i;
            }
            element.name = m_text.substr(position + 1, i - position - 1);
            bool closed = false;
            while (!closed) {
                bool had_space = false;
                while (i < size && is_space(m_text[i])) {
                    ++i;
                    had_space = true;
                }
                if (i >= size) {
                    return error_at(position, "unterminated start tag <" + element.name);
                }
                if (m_text[i] == '>') {
                    element.start_tag_end = i + 1;
                    closed = true;
                } else if (starts_with(i, "/>")) {
                    element.start_tag_end = i + 2;
                    element.self_closing = true;
                    closed = true;
                } else if (is_name_start(m_text[i]) && had_space) {
                    std::size_t name_begin = i;
                    while (i < size && is_name_char(m_text[i])) {
                        ++i;
                    }
                    std::string name = m_text.substr(name_begin, i - name_begin);
                    while (i < size && is_space(m_text[i])) {
                        ++i;
                    }
                    if (i >= size || m_text[i] != '=') {
                        return error_at(i, "attribute " + name + " without '='");
                    }
                    ++i;
                    while (i < size && is_space(m_text[i])) {
                        ++i;
                    }
                    if (i >= size || (m_text[i] != '"' && m_text[i] != '\'')) {
                        return error_at(i, "attribute " + name + " without a quoted value");
                    }
                    char quote = m_text[i];
                    std::size_t value_end = m_text.find(quote, i + 1);
                    if (value_end == std::string::npos) {
                        return error_at(i, "unterminated value of attribute " + name);
                    }
                    auto value =
                        unescape(std::string_view(m_text).substr(i + 1, value_end - i - 1), i + 1);
                    if (!value) {
                        return value.error();
                    }
                    for (const auto& earlier : element.attributes) {
                        if (earlier.name == name) {
                            return error_at(name_begin, "attribute " + name + " given twice");
                        }
                    }
                    element.attributes.push_back({std::move(name), std::move(*value)});
                    i = value_end + 1;
                } else {
                    return error_at(i, "unexpected character in <" + element.name + ">");
                }
            }
            std::size_t index = elements.size();
            if (!open.empty()) {
                element.parent = open.back();
                elements[open.back()].children.push_back(index);
            } else {
                root = index;
            }
            if (element.self_closing) {
                element.end_tag_begin = element.start_tag_end;
                element.end = element.start_tag_end;
            }
            bool self_closing = element.self_closing;
            elements.push_back(std::move(element));
            if (!self_closing) {
                open.push_back(index);
            }
            position = elements.back().start_tag_end;
        } else {
            return error_at(position, "'<' that starts no tag");
        }
    }
    if (!open.empty()) {
        return error_at(elements[open.back()].begin,
                        "<" + elements[open.back()].name + "> is never closed");
    }
    if (root == XmlDocument::k_none) {
        return error_at(size, "no root element");
    }
    return {};
}

} // namespace

std::optional<std::string> XmlDocument::Element::attribute(std::string_view attribute_name) const {
    for (const auto& item : attributes) {
        if (item.name == attribute_name) {
            return item.value;
        }
    }
    return std::nullopt;
}

std::optional<std::string>
XmlDocument::Element::attribute_ignoring_case(std::string_view attribute_name) const {
    if (const std::string* value = find_attribute_ignoring_case(attribute_name)) {
        return *value;
    }
    return std::nullopt;
}

const std::string*
XmlDocument::Element::find_attribute_ignoring_case(std::string_view attribute_name) const {
    for (const auto& item : attributes) {
        if (iequals(item.name, attribute_name)) {
            return &item.value;
        }
    }
    return nullptr;
}

Result<XmlDocument> XmlDocument::parse(std::string text, const std::string& file_name) {
    XmlDocument document;
    document.m_text = std::move(text);
    // A big file's element table would otherwise be moved a dozen times as it grows. (Capped:
    // a file of nothing but '<' must not reserve memory for millions of elements.)
    auto tags =
        static_cast<std::size_t>(std::count(document.m_text.begin(), document.m_text.end(), '<'));
    document.m_elements.reserve(std::min(tags, document.m_text.size() / 16));
    Scanner scanner(document.m_text, file_name);
    FEEDZ_TRY(scanner.run(document.m_elements, document.m_root));
    // line_of() is called per source when listing them: a search, not a count from the start.
    for (std::size_t i = 0; i < document.m_text.size(); ++i) {
        if (document.m_text[i] == '\n') {
            document.m_newlines.push_back(i);
        }
    }
    return document;
}

std::size_t XmlDocument::find_child(std::size_t parent, std::string_view name) const {
    for (std::size_t child : m_elements[parent].children) {
        if (m_elements[child].name == name) {
            return child;
        }
    }
    return k_none;
}

std::vector<std::size_t> XmlDocument::children_named(std::size_t parent,
                                                     std::string_view name) const {
    std::vector<std::size_t> found;
    for (std::size_t child : m_elements[parent].children) {
        if (m_elements[child].name == name) {
            found.push_back(child);
        }
    }
    return found;
}

std::string XmlDocument::line_ending() const {
    return m_text.find("\r\n") != std::string::npos ? "\r\n" : "\n";
}

std::optional<std::string> XmlDocument::line_indent(std::size_t position) const {
    // Walks back over spaces and tabs only, never over the whole line: with every element on
    // one line, a look-up per element would otherwise cost the line's length each time.
    std::size_t line_start = position;
    while (line_start > 0 && (m_text[line_start - 1] == ' ' || m_text[line_start - 1] == '\t')) {
        --line_start;
    }
    bool at_line_start = line_start == 0 || m_text[line_start - 1] == '\n'
                         || (line_start == 3 && m_text.starts_with("\xEF\xBB\xBF"));
    if (!at_line_start) {
        return std::nullopt;
    }
    return m_text.substr(line_start, position - line_start);
}

std::string XmlDocument::indent_unit() const {
    for (const auto& element : m_elements) {
        if (element.parent == k_none) {
            continue;
        }
        auto child = line_indent(element.begin);
        auto parent = line_indent(m_elements[element.parent].begin);
        if (child && parent && child->size() > parent->size() && child->starts_with(*parent)) {
            return child->substr(parent->size());
        }
    }
    return "  ";
}

std::size_t XmlDocument::line_of(std::size_t position) const {
    auto after = std::upper_bound(m_newlines.begin(), m_newlines.end(), position);
    return static_cast<std::size_t>(after - m_newlines.begin()) + 1;
}

std::string xml_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace feedz
