// SPDX-License-Identifier: MIT
#include "plugin_messages.hpp"

#include <agent/util/json_parse.hpp>
#include <agent/util/json_wipe.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <random>

namespace feedz::nuget {

namespace {

// Json.NET writes enums as strings here but reads numbers too, in the declared order.
constexpr std::array<const char*, 5> k_type_names = {
    "Cancel", "Fault", "Progress", "Request", "Response"};

constexpr std::array<MessageType, 5> k_type_values = {MessageType::cancel,
                                                      MessageType::fault,
                                                      MessageType::progress,
                                                      MessageType::request,
                                                      MessageType::response};

constexpr std::array<const char*, 18> k_methods = {
    "None",
    "Close",
    "CopyFilesInPackage",
    "CopyNupkgFile",
    "GetCredentials",
    "GetFilesInPackage",
    "GetOperationClaims",
    "GetPackageHash",
    "GetPackageVersions",
    "GetServiceIndex",
    "Handshake",
    "Initialize",
    "Log",
    "MonitorNuGetProcessExit",
    "PrefetchPackage",
    "SetCredentials",
    "SetLogLevel",
    "GetAuthenticationCredentials",
};

constexpr std::array<const char*, 3> k_response_codes = {"Success", "Error", "NotFound"};

constexpr std::array<const char*, 6> k_log_levels = {
    "Debug", "Verbose", "Information", "Minimal", "Warning", "Error"};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
        };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

// The index of `value` in `names` when it is a string naming one (any case) or an integer in
// range.
template <std::size_t N>
std::optional<std::size_t> enum_index(const nlohmann::json& value,
                                      const std::array<const char*, N>& names) {
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        for (std::size_t i = 0; i < N; ++i) {
            if (equals_ignoring_case(text, names[i])) {
                return i;
            }
        }
    } else if (value.is_number_integer() && value.get<std::int64_t>() >= 0
               && value.get<std::uint64_t>() < N) {
        return static_cast<std::size_t>(value.get<std::uint64_t>());
    }
    return std::nullopt;
}

Error malformed(const char* why) {
    return make_error(Errc::protocol_error, std::string("not a plugin message: ") + why);
}

std::string dump(const OrderedJson& json) {
    return json.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

// The bytes `text` takes inside a JSON string literal, and the escaping itself.
std::size_t escaped_size(std::string_view text) {
    std::size_t size = 0;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        size += c == '"' || c == '\\' ? 2 : byte < 0x20 ? 6 : 1;
    }
    return size;
}

char* append_escaped(char* out, std::string_view text) {
    constexpr const char* k_hex = "0123456789abcdef";
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            *out++ = '\\';
            *out++ = c;
        } else if (byte < 0x20) {
            std::memcpy(out, "\\u00", 4);
            out[4] = k_hex[byte >> 4];
            out[5] = k_hex[byte & 0xf];
            out += 6;
        } else {
            *out++ = c;
        }
    }
    return out;
}

char* append(char* out, std::string_view text) {
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
}

} // namespace

const char* wire_name(MessageType type) {
    for (std::size_t i = 0; i < k_type_values.size(); ++i) {
        if (k_type_values[i] == type) {
            return k_type_names[i];
        }
    }
    return "Request";
}

const char* wire_name(Method method) {
    auto index = static_cast<std::size_t>(method);
    return index < k_methods.size() ? k_methods[index] : "None";
}

const char* wire_name(ResponseCode code) {
    return k_response_codes[static_cast<std::size_t>(code)];
}

const char* wire_name(LogLevel level) {
    return k_log_levels[static_cast<std::size_t>(level)];
}

std::optional<MessageType> message_type_from_wire(std::string_view text) {
    auto index = enum_index(nlohmann::json(text), k_type_names);
    return index ? std::optional<MessageType>(k_type_values[*index]) : std::nullopt;
}

Method method_from_wire(std::string_view text) {
    for (std::size_t i = 0; i < k_methods.size(); ++i) {
        if (equals_ignoring_case(text, k_methods[i])) {
            return static_cast<Method>(i);
        }
    }
    return Method::unknown;
}

std::optional<LogLevel> log_level_from_json(const nlohmann::json& value) {
    auto index = enum_index(value, k_log_levels);
    return index ? std::optional<LogLevel>(static_cast<LogLevel>(*index)) : std::nullopt;
}

std::optional<ResponseCode> response_code_from_json(const nlohmann::json& value) {
    auto index = enum_index(value, k_response_codes);
    return index ? std::optional<ResponseCode>(static_cast<ResponseCode>(*index)) : std::nullopt;
}

const nlohmann::json* find_member(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) {
        return nullptr;
    }
    // Exact spelling first: that is what NuGet sends.
    if (auto exact = object.find(key); exact != object.end()) {
        return &*exact;
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (equals_ignoring_case(it.key(), key)) {
            return &it.value();
        }
    }
    return nullptr;
}

nlohmann::json* find_member(nlohmann::json& object, std::string_view key) {
    const auto& constant = object;
    // The object is ours to change; the const overload only searches it.
    return const_cast<nlohmann::json*>(find_member(constant, key));
}

std::optional<std::string> string_member(const nlohmann::json& object, std::string_view key) {
    const auto* value = find_member(object, key);
    if (value == nullptr || !value->is_string()) {
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::optional<bool> bool_member(const nlohmann::json& object, std::string_view key) {
    const auto* value = find_member(object, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (value->is_boolean()) {
        return value->get<bool>();
    }
    if (value->is_string()) {
        const auto& text = value->get_ref<const std::string&>();
        if (equals_ignoring_case(text, "true")) {
            return true;
        }
        if (equals_ignoring_case(text, "false")) {
            return false;
        }
    }
    return std::nullopt;
}

Result<IncomingMessage> parse_message(std::string_view line) {
    auto parsed = parse_untrusted_json(line);
    if (!parsed) {
        return make_error(Errc::protocol_error, "not a plugin message: " + parsed.error().message);
    }
    nlohmann::json& json = *parsed;
    if (!json.is_object()) {
        wipe_json_strings(json);
        return malformed("not a JSON object");
    }
    IncomingMessage message;
    const auto* id = find_member(json, "RequestId");
    const auto* type = find_member(json, "Type");
    const auto* method = find_member(json, "Method");
    if (id == nullptr || !id->is_string() || id->get_ref<const std::string&>().empty()) {
        wipe_json_strings(json);
        return malformed("no RequestId");
    }
    auto type_index = type != nullptr ? enum_index(*type, k_type_names) : std::nullopt;
    if (!type_index) {
        wipe_json_strings(json);
        return malformed("no known Type");
    }
    if (method == nullptr) {
        wipe_json_strings(json);
        return malformed("no Method");
    }
    if (method->is_string()) {
        message.method_text = method->get<std::string>();
        message.method = method_from_wire(message.method_text);
        if (message.method != Method::unknown) {
            message.method_text = wire_name(message.method);
        }
    } else if (auto index = enum_index(*method, k_methods)) {
        message.method = static_cast<Method>(*index);
        message.method_text = wire_name(message.method);
    } else {
        wipe_json_strings(json);
        return malformed("no Method");
    }
    if (message.method_text.empty()) {
        wipe_json_strings(json);
        return malformed("an empty Method");
    }
    message.request_id = id->get<std::string>();
    message.type = k_type_values[*type_index];
    if (auto* payload = find_member(json, "Payload"); payload != nullptr) {
        message.payload = std::move(*payload);
    }
    wipe_json_strings(json);
    return message;
}

std::string format_message(std::string_view request_id,
                           MessageType type,
                           std::string_view method_text,
                           const std::optional<OrderedJson>& payload) {
    OrderedJson json;
    json["RequestId"] = request_id;
    json["Type"] = wire_name(type);
    json["Method"] = method_text;
    if (payload) {
        json["Payload"] = *payload;
    }
    return dump(json);
}

std::string
format_response_code(std::string_view request_id, std::string_view method_text, ResponseCode code) {
    return format_message(request_id,
                          MessageType::response,
                          method_text,
                          OrderedJson{{"ResponseCode", wire_name(code)}});
}

std::string json_quote(std::string_view text) {
    return dump(OrderedJson(text));
}

SecretString format_credentials_line(std::string_view request_id,
                                     std::string_view username,
                                     const SecretString& password) {
    const std::string head = "{\"RequestId\":" + json_quote(request_id)
                             + ",\"Type\":\"Response\",\"Method\":\"GetAuthenticationCredentials\""
                               ",\"Payload\":{\"Username\":"
                             + json_quote(username) + ",\"Password\":\"";
    constexpr std::string_view tail =
        "\",\"AuthenticationTypes\":[\"Basic\"],\"ResponseCode\":\"Success\"}}\n";
    SecretString line =
        SecretString::with_size(head.size() + escaped_size(password.view()) + tail.size());
    char* out = append(line.data(), head);
    out = append_escaped(out, password.view());
    append(out, tail);
    return line;
}

std::string new_request_id() {
    std::random_device random;
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 4) {
        auto word = random();
        for (std::size_t j = 0; j < 4; ++j) {
            bytes[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
        }
    }
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
    constexpr const char* k_hex = "0123456789abcdef";
    std::string id;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            id += '-';
        }
        id += k_hex[bytes[i] >> 4];
        id += k_hex[bytes[i] & 0xf];
    }
    return id;
}

} // namespace feedz::nuget
