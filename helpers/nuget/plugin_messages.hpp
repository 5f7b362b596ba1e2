// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

// The messages of NuGet's cross-platform plugin protocol 2.0.0: one JSON object per line,
// {"RequestId", "Type", "Method", "Payload"}. Strict out: exact PascalCase names and enum
// strings, because NuGet's System.Text.Json path (NUGET_USE_SYSTEM_TEXT_JSON_DESERIALIZATION)
// matches both case-sensitively. Lenient in: keys and enum strings in any case, unknown fields
// ignored, enums also as the numbers Json.NET accepts.
namespace feedz::nuget {

enum class MessageType { request, response, progress, fault, cancel };

enum class Method {
    none,
    close,
    copy_files_in_package,
    copy_nupkg_file,
    get_credentials,
    get_files_in_package,
    get_operation_claims,
    get_package_hash,
    get_package_versions,
    get_service_index,
    handshake,
    initialize,
    log,
    monitor_nuget_process_exit,
    prefetch_package,
    set_credentials,
    set_log_level,
    get_authentication_credentials,
    unknown, // a method this plugin does not know; its text is kept in IncomingMessage
};

enum class ResponseCode { success, error, not_found };

// NuGet's LogLevel, lowest first (the numbers are NuGet's).
enum class LogLevel {
    debug = 0,
    verbose = 1,
    information = 2,
    minimal = 3,
    warning = 4,
    error = 5
};

// The exact wire spellings ("Request", "GetAuthenticationCredentials", "NotFound", ...).
const char* wire_name(MessageType type);
const char* wire_name(Method method);
const char* wire_name(ResponseCode code);
const char* wire_name(LogLevel level);

// Case-insensitive inverses; Method::unknown and nullopt for anything else.
std::optional<MessageType> message_type_from_wire(std::string_view text);
Method method_from_wire(std::string_view text);

// A level as a string in any case or as Json.NET's number 0-5.
std::optional<LogLevel> log_level_from_json(const nlohmann::json& value);

std::optional<ResponseCode> response_code_from_json(const nlohmann::json& value);

// One message from NuGet.
struct IncomingMessage {
    std::string request_id;
    MessageType type = MessageType::request;
    Method method = Method::unknown;
    std::string method_text; // as received, to echo an unknown method
    nlohmann::json payload;  // an object, or null when absent
};

// Parses one line. A line that is not a JSON object with a non-empty string RequestId, a known
// Type and a string Method is an error (Errc::protocol_error); the message never quotes the
// line, which may hold a proxy password.
Result<IncomingMessage> parse_message(std::string_view line);

// The member `key` of `object` compared case-insensitively, or nullptr (also when `object` is
// not an object).
const nlohmann::json* find_member(const nlohmann::json& object, std::string_view key);
nlohmann::json* find_member(nlohmann::json& object, std::string_view key);

// A member that is a string, or nullopt.
std::optional<std::string> string_member(const nlohmann::json& object, std::string_view key);

// A member that is a JSON boolean or the string "true"/"false" in any case.
std::optional<bool> bool_member(const nlohmann::json& object, std::string_view key);

// --- Outgoing lines (no trailing newline) ---

using OrderedJson = nlohmann::ordered_json;

// {"RequestId":…,"Type":…,"Method":…[,"Payload":…]}; `method_text` is the method's wire name,
// or an unknown method's text as NuGet sent it.
std::string format_message(std::string_view request_id,
                           MessageType type,
                           std::string_view method_text,
                           const std::optional<OrderedJson>& payload);

// A Response whose payload is {"ResponseCode": code}.
std::string
format_response_code(std::string_view request_id, std::string_view method_text, ResponseCode code);

// The Success answer to GetAuthenticationCredentials, with `newline` appended, built in a
// SecretString so that the token is never copied into memory that is freed without wiping:
// {"RequestId":…,"Type":"Response","Method":"GetAuthenticationCredentials","Payload":
//  {"Username":"feedz","Password":TOKEN,"AuthenticationTypes":["Basic"],"ResponseCode":"Success"}}
SecretString format_credentials_line(std::string_view request_id,
                                     std::string_view username,
                                     const SecretString& password);

// `text` as a JSON string literal with quotes, escaping what JSON requires.
std::string json_quote(std::string_view text);

// A random version 4 UUID, for the ids of the plugin's own requests.
std::string new_request_id();

} // namespace feedz::nuget
