// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// An XML file as text plus the byte positions of its elements, for edits that change only
// the bytes they must: comments, whitespace, attribute quoting, line endings, a BOM and the
// XML declaration all stay as they were. Not a general XML library: no namespaces, no DTD
// processing (a DOCTYPE is skipped, never expanded).
class XmlDocument {
public:
    static constexpr std::size_t k_none = static_cast<std::size_t>(-1);

    struct Attribute {
        std::string name;
        std::string value; // with entity references resolved
    };

    struct Element {
        std::string name;
        std::size_t begin = 0;         // the '<' of the start tag
        std::size_t start_tag_end = 0; // just past the start tag's '>'
        std::size_t end_tag_begin = 0; // the '<' of the end tag (== start_tag_end if empty)
        std::size_t end = 0;           // just past the element
        bool self_closing = false;
        std::size_t parent = k_none;
        std::vector<std::size_t> children;
        std::vector<Attribute> attributes;

        std::optional<std::string> attribute(std::string_view attribute_name) const;

        // The same with the name compared without ASCII case, as NuGet compares its own.
        std::optional<std::string> attribute_ignoring_case(std::string_view attribute_name) const;

        // The value itself (no copy), or nullptr: for scans over every element of a big file.
        const std::string* find_attribute_ignoring_case(std::string_view attribute_name) const;
    };

    // Scans `text`. A document that is not well-formed XML is an error naming `file_name`,
    // the line and the column, and what is wrong.
    static Result<XmlDocument> parse(std::string text, const std::string& file_name);

    const std::string& text() const { return m_text; }

    const std::vector<Element>& elements() const { return m_elements; }

    const Element& element(std::size_t index) const { return m_elements[index]; }

    std::size_t root() const { return m_root; }

    // The first child of `parent` named `name`, or k_none.
    std::size_t find_child(std::size_t parent, std::string_view name) const;

    // Every child of `parent` named `name`.
    std::vector<std::size_t> children_named(std::size_t parent, std::string_view name) const;

    // "\r\n" when the file uses it, else "\n".
    std::string line_ending() const;

    // The whitespace before `position` on its line, or nullopt when something else precedes it.
    std::optional<std::string> line_indent(std::size_t position) const;

    // One level of indentation as the file uses it (default two spaces).
    std::string indent_unit() const;

    // The 1-based line of a byte position, for messages.
    std::size_t line_of(std::size_t position) const;

private:
    std::string m_text;
    std::vector<Element> m_elements;
    std::vector<std::size_t> m_newlines; // positions of '\n', for line_of()
    std::size_t m_root = k_none;
};

// `text` escaped for an attribute value in double quotes.
std::string xml_escape(std::string_view text);

} // namespace feedz
