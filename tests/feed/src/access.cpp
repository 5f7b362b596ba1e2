// SPDX-License-Identifier: MIT
#include "access.hpp"

namespace feed {

std::optional<AccessLevel> parse_access_level(std::string_view text) {
    if (text == "read") {
        return AccessLevel::read;
    }
    if (text == "read-write") {
        return AccessLevel::read_write;
    }
    if (text == "full") {
        return AccessLevel::full;
    }
    return std::nullopt;
}

std::string_view to_string(AccessLevel level) {
    switch (level) {
    case AccessLevel::read:
        return "read";
    case AccessLevel::read_write:
        return "read-write";
    case AccessLevel::full:
        return "full";
    }
    return "read";
}

std::string_view display_name(AccessLevel level) {
    switch (level) {
    case AccessLevel::read:
        return "Read";
    case AccessLevel::read_write:
        return "Read/Write";
    case AccessLevel::full:
        return "Full";
    }
    return "Read";
}

AccessLevel required_level(Operation operation) {
    switch (operation) {
    case Operation::read:
        return AccessLevel::read;
    case Operation::write:
        return AccessLevel::read_write;
    case Operation::remove:
        return AccessLevel::full;
    }
    return AccessLevel::full;
}

bool allows(AccessLevel level, Operation operation) {
    return static_cast<int>(level) >= static_cast<int>(required_level(operation));
}

std::string_view verb(Operation operation) {
    switch (operation) {
    case Operation::read:
        return "download";
    case Operation::write:
        return "publish";
    case Operation::remove:
        return "delete";
    }
    return "do this";
}

} // namespace feed
