// SPDX-License-Identifier: MIT
#include "json_parse.hpp"

#include <agent/util/json_wipe.hpp>

#include <string>

namespace feedz {

namespace {

using DomBuilder = nlohmann::detail::json_sax_dom_parser<nlohmann::json>;

// nlohmann's own document builder, with a depth count in front: returning false from a
// start_* event stops the parser at once.
class DepthLimitedBuilder {
public:
    explicit DepthLimitedBuilder(nlohmann::json& root)
        : m_builder(root, false) {}

    bool too_deep() const { return m_too_deep; }

    bool null() { return m_builder.null(); }

    bool boolean(bool value) { return m_builder.boolean(value); }

    bool number_integer(nlohmann::json::number_integer_t value) {
        return m_builder.number_integer(value);
    }

    bool number_unsigned(nlohmann::json::number_unsigned_t value) {
        return m_builder.number_unsigned(value);
    }

    bool number_float(nlohmann::json::number_float_t value, const std::string& text) {
        return m_builder.number_float(value, text);
    }

    bool string(std::string& value) { return m_builder.string(value); }

    bool binary(nlohmann::json::binary_t& value) { return m_builder.binary(value); }

    bool start_object(std::size_t size) { return enter() && m_builder.start_object(size); }

    bool key(std::string& value) { return m_builder.key(value); }

    bool end_object() {
        --m_depth;
        return m_builder.end_object();
    }

    bool start_array(std::size_t size) { return enter() && m_builder.start_array(size); }

    bool end_array() {
        --m_depth;
        return m_builder.end_array();
    }

    template <typename Exception>
    bool parse_error(std::size_t position, const std::string& token, const Exception& error) {
        return m_builder.parse_error(position, token, error);
    }

private:
    bool enter() {
        if (++m_depth > k_max_json_depth) {
            m_too_deep = true;
            return false;
        }
        return true;
    }

    DomBuilder m_builder;
    std::size_t m_depth = 0;
    bool m_too_deep = false;
};

} // namespace

Result<nlohmann::json> parse_untrusted_json(std::string_view text) {
    nlohmann::json json;
    DepthLimitedBuilder builder(json);
    bool parsed = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
    if (parsed) {
        return json;
    }
    wipe_json_strings(json);
    if (builder.too_deep()) {
        return make_error(Errc::protocol_error,
                          "JSON nested deeper than " + std::to_string(k_max_json_depth)
                              + " levels");
    }
    return make_error(Errc::protocol_error, "invalid JSON");
}

} // namespace feedz
