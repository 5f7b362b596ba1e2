// SPDX-License-Identifier: MIT
#include "protocol_version.hpp"

#include <charconv>
#include <tuple>

namespace feedz::nuget {

namespace {

// A SemVer numeric identifier: digits, no leading zero (except "0").
std::optional<std::uint64_t> parse_number(std::string_view text) {
    if (text.empty() || (text.size() > 1 && text.front() == '0')) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

bool valid_label(std::string_view label) {
    if (label.empty()) {
        return false;
    }
    for (char c : label) {
        bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                  || c == '-' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return label.front() != '.' && label.back() != '.'
           && label.find("..") == std::string_view::npos;
}

} // namespace

std::strong_ordering ProtocolVersion::operator<=>(const ProtocolVersion& other) const {
    if (auto order =
            std::tie(major, minor, patch) <=> std::tie(other.major, other.minor, other.patch);
        order != 0) {
        return order;
    }
    if (prerelease.empty() || other.prerelease.empty()) {
        return prerelease.empty() <=> other.prerelease.empty();
    }
    return prerelease.compare(other.prerelease) <=> 0;
}

std::optional<ProtocolVersion> parse_protocol_version(std::string_view text) {
    if (auto plus = text.find('+'); plus != std::string_view::npos) {
        if (!valid_label(text.substr(plus + 1))) {
            return std::nullopt;
        }
        text = text.substr(0, plus);
    }
    ProtocolVersion version;
    if (auto dash = text.find('-'); dash != std::string_view::npos) {
        version.prerelease = std::string(text.substr(dash + 1));
        if (!valid_label(version.prerelease)) {
            return std::nullopt;
        }
        text = text.substr(0, dash);
    }
    std::uint64_t* parts[] = {&version.major, &version.minor, &version.patch};
    for (std::size_t i = 0; i < 3; ++i) {
        auto dot = text.find('.');
        if ((i < 2) == (dot == std::string_view::npos)) {
            return std::nullopt;
        }
        auto number = parse_number(text.substr(0, dot));
        if (!number) {
            return std::nullopt;
        }
        *parts[i] = *number;
        text = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    }
    return version;
}

std::optional<std::string> negotiate_protocol_version(std::string_view their_version,
                                                      std::string_view their_minimum) {
    auto theirs = parse_protocol_version(their_version);
    auto their_low = parse_protocol_version(their_minimum);
    auto ours = parse_protocol_version(k_current_protocol_version);
    auto our_low = parse_protocol_version(k_minimum_protocol_version);
    if (!theirs || !their_low || !ours || !our_low || *their_low > *theirs) {
        return std::nullopt;
    }
    if (*theirs < *our_low || *their_low > *ours) {
        return std::nullopt;
    }
    return *theirs < *ours ? std::string(their_version) : std::string(k_current_protocol_version);
}

} // namespace feedz::nuget
