// SPDX-License-Identifier: MIT
#include "plugin_session.hpp"

#include "protocol_version.hpp"
#include <agent/core/feed.hpp>
#include <agent/util/json_wipe.hpp>

#include <poll.h>

#include <algorithm>
#include <cerrno>

namespace feedz::nuget {

namespace {

using Clock = std::chrono::steady_clock;

// More Log messages than this before SetLogLevel are dropped (NuGet always sends it before it
// asks for credentials, so this only bounds a misbehaving peer).
constexpr std::size_t k_max_waiting_logs = 32;

const char* k_credentials_method = "GetAuthenticationCredentials";

std::string_view trim(std::string_view text) {
    constexpr std::string_view k_space = " \t\r\n\f\v";
    auto begin = text.find_first_not_of(k_space);
    if (begin == std::string_view::npos) {
        return {};
    }
    return text.substr(begin, text.find_last_not_of(k_space) - begin + 1);
}

// A process id as a JSON integer or a numeric string.
std::optional<long> process_id(const nlohmann::json& payload) {
    const auto* value = find_member(payload, "ProcessId");
    if (value == nullptr) {
        return std::nullopt;
    }
    if (value->is_number_integer()) {
        return value->get<long>();
    }
    if (value->is_string()) {
        const auto& text = value->get_ref<const std::string&>();
        char* end = nullptr;
        long pid = std::strtol(text.c_str(), &end, 10);
        if (!text.empty() && end != nullptr && *end == '\0') {
            return pid;
        }
    }
    return std::nullopt;
}

// GetOperationClaims asks about one package source when it names one; NuGet sends {} (both
// fields null and left out) for the source-agnostic question, the only one an authentication
// plugin answers with a claim.
bool source_agnostic(const nlohmann::json& payload) {
    const auto* repository = find_member(payload, "PackageSourceRepository");
    const auto* index = find_member(payload, "ServiceIndex");
    return (repository == nullptr || repository->is_null())
           && (index == nullptr || index->is_null());
}

} // namespace

const char* to_string(SessionEnd end) {
    switch (end) {
    case SessionEnd::close:
        return "close";
    case SessionEnd::end_of_input:
        return "end_of_input";
    case SessionEnd::nuget_exited:
        return "nuget_exited";
    case SessionEnd::output_closed:
        return "output_closed";
    }
    return "close";
}

PluginSession::PluginSession(int input_fd,
                             int output_fd,
                             CredentialSource& source,
                             const DiagnosticLog& log,
                             SessionOptions options)
    : m_input_fd(input_fd)
    , m_reader(input_fd, options.max_line_bytes)
    , m_writer(output_fd)
    , m_broker(source)
    , m_log(log)
    , m_options(options) {}

PluginSession::~PluginSession() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

SessionEnd PluginSession::run() {
    m_log.record({.event = "start"});
    // Our Handshake goes out before anything is read: NuGet does not finish connecting until
    // it has answered ours, and waits for it until the handshake timeout otherwise.
    m_handshake_id = new_request_id();
    m_writer.write_line(
        format_message(m_handshake_id,
                       MessageType::request,
                       wire_name(Method::handshake),
                       OrderedJson{{"ProtocolVersion", k_current_protocol_version},
                                   {"MinimumProtocolVersion", k_minimum_protocol_version}}));
    m_worker = std::thread(&PluginSession::lookup_loop, this);

    SessionEnd end = SessionEnd::end_of_input;
    std::vector<InputLine> lines;
    while (true) {
        if (m_writer.broken()) {
            end = SessionEnd::output_closed;
            break;
        }
        pollfd descriptors[2] = {{m_input_fd, POLLIN, 0}, {-1, POLLIN, 0}};
        if (m_monitor) {
            descriptors[1].fd = m_monitor->fd();
        }
        int ready = ::poll(descriptors, 2, poll_timeout_ms());
        if (ready < 0 && errno != EINTR) {
            end = SessionEnd::end_of_input;
            break;
        }
        if (m_monitor && m_monitor->exited()) {
            end = SessionEnd::nuget_exited;
            break;
        }
        if (ready > 0 && descriptors[0].revents != 0) {
            lines.clear();
            auto status = m_reader.read_available(lines);
            std::optional<SessionEnd> stop;
            for (auto& line : lines) {
                if (line.too_long) {
                    m_log.record({.event = "ignored",
                                  .detail = "an input line over "
                                            + std::to_string(m_options.max_line_bytes) + " bytes"});
                    continue;
                }
                stop = handle_line(line.text);
                if (stop) {
                    break;
                }
            }
            for (auto& line : lines) { // a line may carry a proxy password
                wipe_memory(line.text.data(), line.text.size());
            }
            if (stop) {
                end = *stop;
                break;
            }
            if (status == LineReader::Status::end) {
                end = SessionEnd::end_of_input;
                break;
            }
        }
        send_due_progress();
    }

    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_log.record({.event = "exit", .decision = to_string(end)});
    return end;
}

std::optional<SessionEnd> PluginSession::handle_line(std::string& line) {
    std::string_view text = trim(line);
    if (text.empty()) {
        return std::nullopt;
    }
    auto message = parse_message(text);
    if (!message) {
        // Never answered: without a RequestId there is nothing to answer, and a Fault would
        // make NuGet drop the plugin.
        m_log.record({.event = "ignored", .detail = message.error().message});
        return std::nullopt;
    }
    std::optional<SessionEnd> end;
    switch (message->type) {
    case MessageType::request:
        end = handle_request(*message);
        break;
    case MessageType::response:
        handle_response(*message);
        break;
    case MessageType::fault:
        handle_fault(*message);
        break;
    case MessageType::cancel:
        handle_cancel(*message);
        break;
    case MessageType::progress:
        break; // we send no request NuGet could report progress on
    }
    wipe_json_strings(message->payload);
    return end;
}

std::optional<SessionEnd> PluginSession::handle_request(IncomingMessage& message) {
    if (message.method != Method::get_authentication_credentials) {
        m_log.record({.event = "request", .method = message.method_text}); // that one: with its URL
    }
    switch (message.method) {
    case Method::handshake:
        answer_handshake(message);
        return std::nullopt;
    case Method::initialize:
        respond_code(message, ResponseCode::success);
        return std::nullopt;
    case Method::monitor_nuget_process_exit:
        return answer_monitor_process(message);
    case Method::get_operation_claims:
        answer_operation_claims(message);
        return std::nullopt;
    case Method::set_log_level:
        answer_set_log_level(message);
        return std::nullopt;
    case Method::set_credentials:
        // Proxy credentials: we talk to the agent over a Unix socket, never through a proxy.
        respond_code(message, ResponseCode::success);
        return std::nullopt;
    case Method::get_authentication_credentials:
        accept_credentials_request(message);
        return std::nullopt;
    case Method::close:
        // No answer: NuGet expects the process to exit.
        return SessionEnd::close;
    default:
        // Download operations and methods newer than this plugin: we claimed none of them.
        // Error, not Fault: a Fault makes NuGet terminate the plugin.
        respond_code(message, ResponseCode::error);
        return std::nullopt;
    }
}

void PluginSession::answer_handshake(const IncomingMessage& message) {
    auto version = string_member(message.payload, "ProtocolVersion");
    auto minimum = string_member(message.payload, "MinimumProtocolVersion");
    std::optional<std::string> negotiated;
    if (version && minimum) {
        negotiated = negotiate_protocol_version(*version, *minimum);
    }
    if (!negotiated) {
        // ProtocolVersion must be absent from an Error answer.
        respond_code(message, ResponseCode::error);
        m_log.record({.event = "answer",
                      .method = message.method_text,
                      .decision = "error",
                      .detail = "no protocol version in common with " + minimum.value_or("?")
                                + " - " + version.value_or("?")});
        return;
    }
    respond(message,
            OrderedJson{{"ResponseCode", wire_name(ResponseCode::success)},
                        {"ProtocolVersion", *negotiated}});
    m_log.record({.event = "answer",
                  .method = message.method_text,
                  .decision = "success",
                  .detail = "protocol " + *negotiated});
}

void PluginSession::answer_operation_claims(const IncomingMessage& message) {
    // Answering the source-agnostic question without Authentication would make NuGet skip
    // this plugin for 30 days (its plugin cache).
    bool agnostic = source_agnostic(message.payload);
    OrderedJson claims = OrderedJson::array();
    if (agnostic) {
        claims.push_back("Authentication");
    }
    respond(message, OrderedJson{{"Claims", claims}});
    m_log.record({.event = "answer",
                  .method = message.method_text,
                  .decision = agnostic ? "Authentication" : "none"});
}

void PluginSession::answer_set_log_level(const IncomingMessage& message) {
    const auto* value = find_member(message.payload, "LogLevel");
    auto level = value != nullptr ? log_level_from_json(*value) : std::nullopt;
    if (!level) {
        respond_code(message, ResponseCode::error);
        return;
    }
    respond_code(message, ResponseCode::success);
    std::lock_guard lock(m_mutex);
    m_log_level = level;
    auto waiting = std::move(m_waiting_logs);
    m_waiting_logs.clear();
    for (const auto& log : waiting) {
        post_log_locked(log);
    }
}

std::optional<SessionEnd> PluginSession::answer_monitor_process(const IncomingMessage& message) {
    auto pid = process_id(message.payload);
    if (!pid || *pid <= 0) {
        respond_code(message, ResponseCode::error);
        return std::nullopt;
    }
    respond_code(message, ResponseCode::success);
    m_monitor.emplace(static_cast<pid_t>(*pid));
    m_log.record({.event = "answer",
                  .method = message.method_text,
                  .decision = "success",
                  .detail = "watching pid " + std::to_string(*pid)});
    if (m_monitor->exited()) {
        return SessionEnd::nuget_exited;
    }
    return std::nullopt;
}

void PluginSession::accept_credentials_request(const IncomingMessage& message) {
    auto uri = string_member(message.payload, "Uri");
    if (!uri || uri->empty()) {
        respond_code(message, ResponseCode::not_found);
        m_log.record({.event = "answer",
                      .method = message.method_text,
                      .decision = "not_found",
                      .detail = "a request without Uri"});
        return;
    }
    bool is_retry = bool_member(message.payload, "IsRetry").value_or(false);
    m_log.record({.event = "request",
                  .method = message.method_text,
                  .url = without_user_info(*uri),
                  .detail = is_retry ? "IsRetry" : ""});
    {
        std::lock_guard lock(m_mutex);
        if (m_pending.contains(message.request_id)) {
            return; // a duplicate id: the first request gets the one answer
        }
        m_pending[message.request_id] = {Clock::now() + m_options.progress_interval, false};
        m_queue.push_back({message.request_id, *uri, is_retry});
    }
    m_wake.notify_all();
}

void PluginSession::handle_response(const IncomingMessage& message) {
    const auto* code_value = find_member(message.payload, "ResponseCode");
    auto code = code_value != nullptr ? response_code_from_json(*code_value) : std::nullopt;
    const char* code_text = code ? wire_name(*code) : "unknown";
    if (message.request_id == m_handshake_id) {
        m_log.record({.event = "handshake",
                      .decision = code_text,
                      .detail = "NuGet speaks protocol "
                                + string_member(message.payload, "ProtocolVersion").value_or("?")});
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        if (m_sent_logs.erase(message.request_id) == 0) {
            m_log.record({.event = "ignored",
                          .method = message.method_text,
                          .detail = "a response to no request of ours"});
        }
    }
    m_wake.notify_all();
}

void PluginSession::handle_fault(const IncomingMessage& message) {
    // NuGet answers a request it has no handler for with a Fault (a Log before its handler is
    // registered). Note it and carry on.
    auto text = string_member(message.payload, "Message").value_or("");
    {
        std::lock_guard lock(m_mutex);
        m_sent_logs.erase(message.request_id);
    }
    m_wake.notify_all();
    m_log.record({.event = "fault", .method = message.method_text, .detail = text});
}

void PluginSession::handle_cancel(const IncomingMessage& message) {
    cancel_request(message);
    m_wake.notify_all();
}

void PluginSession::cancel_request(const IncomingMessage& message) {
    std::lock_guard lock(m_mutex);
    auto pending = m_pending.find(message.request_id);
    if (pending == m_pending.end() || pending->second.answered) {
        // Too late (already answered) or not ours: a Cancel we were not asked for would kill
        // the connection, so nothing goes out.
        m_log.record({.event = "ignored",
                      .method = message.method_text,
                      .detail = "a Cancel for no running request"});
        return;
    }
    pending->second.answered = true;
    m_writer.write_line(format_message(
        message.request_id, MessageType::cancel, k_credentials_method, std::nullopt));
    m_log.record({.event = "answer", .method = k_credentials_method, .decision = "cancelled"});
}

void PluginSession::respond(const IncomingMessage& message, const OrderedJson& payload) {
    m_writer.write_line(
        format_message(message.request_id, MessageType::response, message.method_text, payload));
}

void PluginSession::respond_code(const IncomingMessage& message, ResponseCode code) {
    m_writer.write_line(format_response_code(message.request_id, message.method_text, code));
}

void PluginSession::lookup_loop() {
    while (true) {
        Lookup lookup;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_stopping) {
                return;
            }
            lookup = std::move(m_queue.front());
            m_queue.pop_front();
            auto pending = m_pending.find(lookup.request_id);
            if (pending != m_pending.end() && pending->second.answered) {
                m_pending.erase(pending); // cancelled while it waited
                continue;
            }
        }
        CredentialAnswer answer;
        try {
            answer = m_broker.answer(lookup.uri, lookup.is_retry);
        } catch (const std::exception& error) {
            // A bug or no memory: NotFound lets NuGet try other providers; an escaping
            // exception would end the process and, with it, NuGet's plugin.
            answer = CredentialAnswer();
            answer.decision = Decision::internal_error;
            answer.detail = error.what();
        }
        finish_lookup(lookup, answer);
    }
}

void PluginSession::finish_lookup(const Lookup& lookup, CredentialAnswer& answer) {
    bool delivered = false;
    std::string_view decision = to_string(answer.decision);
    {
        std::unique_lock lock(m_mutex);
        auto cancelled = [&] {
            auto pending = m_pending.find(lookup.request_id);
            return pending == m_pending.end() || pending->second.answered;
        };
        if (!m_stopping && !cancelled()) {
            // The Log requests first, and their acknowledgements awaited: NuGet prints a Log
            // message when it gets round to it, which can be after it has acted on the response
            // (`dotnet nuget push` fails and exits at once), and the message would be lost.
            std::vector<std::string> sent;
            for (const auto& message : answer.messages) {
                if (auto id = post_log_locked(message)) {
                    sent.push_back(std::move(*id));
                }
            }
            m_wake.wait_for(lock, m_options.log_answer_timeout, [&] {
                return m_stopping || cancelled()
                       || std::none_of(sent.begin(), sent.end(), [this](const std::string& id) {
                              return m_sent_logs.contains(id);
                          });
            });
        }
        if (m_stopping) {
            return;
        }
        bool was_cancelled = cancelled();
        if (was_cancelled) {
            decision = "cancelled";
        }
        // Logged before the answer goes out: NuGet may close us the moment it has it.
        m_log.record({.event = "answer",
                      .method = k_credentials_method,
                      .url = without_user_info(lookup.uri),
                      .decision = decision,
                      .token_prefix = answer.token && !was_cancelled
                                          ? std::string_view(answer.token->prefix)
                                          : std::string_view(),
                      .detail = answer.detail});
        if (was_cancelled) {
            // The Cancel was echoed already; no answer follows.
        } else if (answer.token) {
            SecretString line =
                format_credentials_line(lookup.request_id, k_username, answer.secret);
            delivered = m_writer.write_raw(line.view());
        } else {
            m_writer.write_line(format_response_code(
                lookup.request_id, k_credentials_method, ResponseCode::not_found));
        }
        m_pending.erase(lookup.request_id);
    }
    if (delivered) {
        m_broker.delivered(answer);
    }
}

std::optional<std::string> PluginSession::post_log_locked(const UserMessage& message) {
    if (!m_log_level) {
        if (m_waiting_logs.size() < k_max_waiting_logs) {
            m_waiting_logs.push_back(message);
        }
        return std::nullopt;
    }
    if (message.level < *m_log_level) {
        m_log.record({.event = "log", .decision = "below the log level", .detail = message.text});
        return std::nullopt;
    }
    std::string id = new_request_id();
    m_sent_logs.insert(id);
    m_writer.write_line(format_message(
        id,
        MessageType::request,
        wire_name(Method::log),
        OrderedJson{{"LogLevel", wire_name(message.level)}, {"Message", message.text}}));
    m_log.record({.event = "log", .decision = wire_name(message.level), .detail = message.text});
    return id;
}

void PluginSession::send_due_progress() {
    std::lock_guard lock(m_mutex);
    auto now = Clock::now();
    for (auto& [id, pending] : m_pending) {
        if (pending.answered || now < pending.next_progress) {
            continue;
        }
        m_writer.write_line(
            format_message(id, MessageType::progress, k_credentials_method, OrderedJson::object()));
        pending.next_progress = now + m_options.progress_interval;
    }
}

int PluginSession::poll_timeout_ms() const {
    std::optional<Clock::duration> wait;
    if (m_monitor && m_monitor->fd() < 0) {
        wait = m_options.pid_poll_interval;
    }
    {
        std::lock_guard lock(m_mutex);
        auto now = Clock::now();
        for (const auto& [id, pending] : m_pending) {
            if (!pending.answered) {
                auto left = std::max(Clock::duration::zero(), pending.next_progress - now);
                wait = wait ? std::min(*wait, left) : left;
            }
        }
    }
    if (!wait) {
        return -1;
    }
    // Round up, so that the wake-up is not a millisecond early and the poll spins.
    auto millis = std::chrono::ceil<std::chrono::milliseconds>(*wait).count();
    return static_cast<int>(std::min<long long>(millis, 60'000));
}

} // namespace feedz::nuget
