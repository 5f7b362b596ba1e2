// SPDX-License-Identifier: MIT
#include "request_path.hpp"

namespace feed {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::optional<std::string> decode_segment(std::string_view raw) {
    std::string decoded;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '%') {
            if (i + 2 >= raw.size()) {
                return std::nullopt;
            }
            int high = hex_value(raw[i + 1]);
            int low = hex_value(raw[i + 2]);
            if (high < 0 || low < 0) {
                return std::nullopt;
            }
            c = static_cast<char>(high * 16 + low);
            i += 2;
        }
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') {
            return std::nullopt;
        }
        decoded += c;
    }
    // A decoded %2f must not smuggle in a "." or ".." component either.
    std::size_t start = 0;
    while (true) {
        auto end = decoded.find('/', start);
        auto part = std::string_view(decoded).substr(start, end - start);
        if (part == "." || part == "..") {
            return std::nullopt;
        }
        if (end == std::string::npos) {
            return decoded;
        }
        start = end + 1;
    }
}

} // namespace

std::optional<std::vector<std::string>> split_request_path(std::string_view path) {
    if (path.empty() || path.front() != '/') {
        return std::nullopt;
    }
    path.remove_prefix(1);
    if (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    std::vector<std::string> segments;
    if (path.empty()) {
        return segments;
    }
    std::size_t start = 0;
    while (true) {
        auto end = path.find('/', start);
        auto raw = path.substr(start, end == std::string_view::npos ? end : end - start);
        if (raw.empty()) {
            return std::nullopt;
        }
        auto decoded = decode_segment(raw);
        if (!decoded) {
            return std::nullopt;
        }
        segments.push_back(std::move(*decoded));
        if (end == std::string_view::npos) {
            return segments;
        }
        start = end + 1;
    }
}

std::string_view path_of(std::string_view uri) {
    return uri.substr(0, uri.find_first_of("?#"));
}

} // namespace feed
