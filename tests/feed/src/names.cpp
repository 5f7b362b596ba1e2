// SPDX-License-Identifier: MIT
#include "names.hpp"

#include <cctype>
#include <utility>
#include <vector>

namespace feed {

namespace {

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool all_of(std::string_view text, bool (*predicate)(char)) {
    for (char c : text) {
        if (!predicate(c)) {
            return false;
        }
    }
    return true;
}

bool is_digits(std::string_view text) {
    return !text.empty() && all_of(text, [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

// Dot-separated identifiers of [0-9A-Za-z-], none empty.
bool is_label(std::string_view text) {
    for (auto part : split(text, '.')) {
        if (part.empty() || !all_of(part, [](char c) { return is_alnum(c) || c == '-'; })) {
            return false;
        }
    }
    return true;
}

bool is_npm_part(std::string_view part) {
    if (part.empty() || part.front() == '.' || part.front() == '_') {
        return false;
    }
    return all_of(
        part, [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '~' || c == '-'; });
}

} // namespace

bool is_valid_repo_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || !is_alnum(name.front())) {
        return false;
    }
    if (name.find("..") != std::string_view::npos) {
        return false;
    }
    return all_of(name, [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool is_valid_nuget_id(std::string_view id) {
    if (id.empty() || id.size() > 100 || !(is_alnum(id.front()) || id.front() == '_')) {
        return false;
    }
    if (id.find("..") != std::string_view::npos || id.back() == '.') {
        return false;
    }
    return all_of(id, [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

std::optional<std::string> normalize_nuget_version(std::string_view version) {
    if (version.empty() || version.size() > 64) {
        return std::nullopt;
    }
    auto plus = version.find('+');
    if (plus != std::string_view::npos && !is_label(version.substr(plus + 1))) {
        return std::nullopt;
    }
    auto core = version.substr(0, plus);
    std::string_view release;
    auto dash = core.find('-');
    if (dash != std::string_view::npos) {
        release = core.substr(dash + 1);
        core = core.substr(0, dash);
        if (!is_label(release)) {
            return std::nullopt;
        }
    }
    auto numbers = split(core, '.');
    if (numbers.size() < 2 || numbers.size() > 4) {
        return std::nullopt;
    }
    std::vector<std::string> normalized;
    for (auto number : numbers) {
        if (!is_digits(number) || number.size() > 9) {
            return std::nullopt;
        }
        auto first = number.find_first_not_of('0');
        normalized.emplace_back(first == std::string_view::npos ? "0" : number.substr(first));
    }
    while (normalized.size() < 3) {
        normalized.emplace_back("0");
    }
    if (normalized.size() == 4 && normalized[3] == "0") {
        normalized.pop_back();
    }
    std::string result;
    for (const auto& number : normalized) {
        result += (result.empty() ? "" : ".") + number;
    }
    if (!release.empty()) {
        result += "-" + to_lower(release);
    }
    return result;
}

bool is_valid_npm_name(std::string_view name) {
    if (name.empty() || name.size() > 214) {
        return false;
    }
    if (name.front() == '@') {
        auto slash = name.find('/');
        if (slash == std::string_view::npos) {
            return false;
        }
        return is_npm_part(name.substr(1, slash - 1)) && is_npm_part(name.substr(slash + 1));
    }
    return is_npm_part(name);
}

bool is_valid_semver(std::string_view version) {
    if (version.empty() || version.size() > 256) {
        return false;
    }
    auto plus = version.find('+');
    if (plus != std::string_view::npos && !is_label(version.substr(plus + 1))) {
        return false;
    }
    auto core = version.substr(0, plus);
    auto dash = core.find('-');
    if (dash != std::string_view::npos) {
        if (!is_label(core.substr(dash + 1))) {
            return false;
        }
        core = core.substr(0, dash);
    }
    auto numbers = split(core, '.');
    if (numbers.size() != 3) {
        return false;
    }
    for (auto number : numbers) {
        if (!is_digits(number) || (number.size() > 1 && number.front() == '0')) {
            return false;
        }
    }
    return true;
}

bool semver_less(std::string_view a, std::string_view b) {
    auto split_version = [](std::string_view version) {
        version = version.substr(0, version.find('+'));
        auto dash = version.find('-');
        auto release =
            dash == std::string_view::npos ? std::string_view{} : version.substr(dash + 1);
        return std::pair{split(version.substr(0, dash), '.'),
                         release.empty() ? std::vector<std::string_view>{} : split(release, '.')};
    };
    auto numeric_less = [](std::string_view x, std::string_view y) {
        return x.size() != y.size() ? x.size() < y.size() : x < y;
    };
    auto [core_a, release_a] = split_version(a);
    auto [core_b, release_b] = split_version(b);
    for (std::size_t i = 0; i < core_a.size() && i < core_b.size(); ++i) {
        if (core_a[i] != core_b[i]) {
            return numeric_less(core_a[i], core_b[i]);
        }
    }
    if (release_a.empty() || release_b.empty()) {
        return !release_a.empty() && release_b.empty();
    }
    for (std::size_t i = 0; i < release_a.size() && i < release_b.size(); ++i) {
        if (release_a[i] == release_b[i]) {
            continue;
        }
        bool digits_a = is_digits(release_a[i]);
        bool digits_b = is_digits(release_b[i]);
        if (digits_a && digits_b) {
            return numeric_less(release_a[i], release_b[i]);
        }
        if (digits_a != digits_b) {
            return digits_a;
        }
        return release_a[i] < release_b[i];
    }
    return release_a.size() < release_b.size();
}

bool is_valid_dist_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 64 || is_valid_semver(tag) || tag.front() == '.') {
        return false;
    }
    return all_of(tag, [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

std::string to_lower(std::string_view text) {
    std::string lower(text);
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return lower;
}

} // namespace feed
