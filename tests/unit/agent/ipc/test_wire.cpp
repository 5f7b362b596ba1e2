// SPDX-License-Identifier: MIT
#include <agent/ipc/protocol.hpp>
#include <agent/ipc/wire.hpp>

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

using namespace feedz;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

// Generous idle time and a short transfer time, so that tests for the transfer timeout are
// quick and cannot pass because of the idle timeout.
const MessageChannel::Timeouts k_timeouts{milliseconds(3000), milliseconds(150)};

struct SocketPair {
    Fd left;
    Fd right;
};

SocketPair make_socket_pair() {
    std::array<int, 2> fds{};
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds.data()) == 0);
    return {Fd(fds[0]), Fd(fds[1])};
}

// Sends every byte of `bytes`; false when the peer is gone. Safe to call from another thread
// (no Catch assertions).
bool send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

void send_raw(int fd, std::string_view bytes) {
    REQUIRE(send_all(fd, bytes));
}

// Everything the peer sent until it closed.
std::string receive_all(int fd) {
    std::string received;
    std::array<char, 4096> buffer{};
    while (true) {
        ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (n <= 0) {
            break;
        }
        received.append(buffer.data(), static_cast<std::size_t>(n));
    }
    return received;
}

Message read_message(MessageChannel& channel) {
    auto message = channel.read();
    if (!message) {
        INFO("error: " << message.error().message);
        REQUIRE(message.has_value());
    }
    REQUIRE(message->has_value());
    return std::move(**message);
}

Error read_error(MessageChannel& channel) {
    auto message = channel.read();
    REQUIRE_FALSE(message.has_value());
    return message.error();
}

// A header line of exactly `size` bytes (without the newline).
std::string header_of_size(std::size_t size) {
    const std::string empty = R"({"x":""})";
    REQUIRE(size >= empty.size());
    std::string line = R"({"x":")" + std::string(size - empty.size(), 'a') + R"("})";
    REQUIRE(line.size() == size);
    return line;
}

std::string secret_bytes(std::size_t size) {
    std::string secret(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        secret[i] = static_cast<char>(i * 7 % 256);
    }
    return secret;
}

} // namespace

// --- Round trips ---

TEST_CASE("MessageChannel: a header travels as one JSON line and arrives intact", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel writer(std::move(left), k_timeouts);
    MessageChannel reader(std::move(right), k_timeouts);
    json header = {{"op", "get"},
                   {"url", "https://f.feedz.io/acme/pkgs/npm/left-pad"},
                   {"operation", "read"},
                   {"nested", {{"list", {1, 2, 3}}, {"unicode", "caf\xC3\xA9 \xE2\x80\xA6"}}}};
    REQUIRE(writer.write(header).has_value());
    Message message = read_message(reader);
    CHECK(message.header == header);
    CHECK(message.secret.empty());

    // And the other way.
    REQUIRE(reader.write({{"ok", true}}).has_value());
    CHECK(read_message(writer).header == json{{"ok", true}});
}

TEST_CASE("MessageChannel: a secret travels after the header and arrives byte for byte",
          "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel writer(std::move(left), k_timeouts);
    MessageChannel reader(std::move(right), k_timeouts);
    // Bytes that would break a line-based or JSON-based transport.
    const std::string secret_text = std::string("T-\n{\"x\"}\0\r\xff tail", 16);
    SecretString secret(secret_text);
    json header = {{"op", "store"}, {"secret_length", secret.size()}};
    REQUIRE(writer.write(header, &secret).has_value());
    Message message = read_message(reader);
    CHECK(message.header == header);
    CHECK(message.secret.view() == secret_text);
    CHECK(message.header.dump().find("T-") == std::string::npos);
}

TEST_CASE("MessageChannel: on the wire the secret is never inside the JSON line", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    int raw = right.get();
    {
        MessageChannel writer(std::move(left), k_timeouts);
        SecretString secret("T-Qx7Vb2Kp9Lm3Nz4Rt8Wy");
        REQUIRE(
            writer.write({{"ok", true}, {"secret_length", secret.size()}}, &secret).has_value());
    }
    std::string wire = receive_all(raw);
    auto newline = wire.find('\n');
    REQUIRE(newline != std::string::npos);
    std::string line = wire.substr(0, newline);
    CHECK(json::parse(line) == json{{"ok", true}, {"secret_length", 22}});
    CHECK(line.find("Qx7Vb2") == std::string::npos);
    CHECK(wire.substr(newline + 1) == "T-Qx7Vb2Kp9Lm3Nz4Rt8Wy\n");
}

TEST_CASE("MessageChannel: several messages sent in one write are read one by one", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), k_timeouts);
    send_raw(left.get(),
             "{\"n\":1}\n"
             "{\"n\":2,\"secret_length\":3}\nabc\n"
             "{\"n\":3}\n"
             "{\"n\":4,\"secret_length\":1}\n\n\n");
    left.reset();
    Message first = read_message(reader);
    CHECK(first.header["n"] == 1);
    CHECK(first.secret.empty());
    Message second = read_message(reader);
    CHECK(second.header["n"] == 2);
    CHECK(second.secret.view() == "abc");
    Message third = read_message(reader);
    CHECK(third.header["n"] == 3);
    CHECK(third.secret.empty());
    Message fourth = read_message(reader);
    CHECK(fourth.header["n"] == 4);
    CHECK(fourth.secret.view() == "\n");
    auto end = reader.read();
    REQUIRE(end.has_value());
    CHECK_FALSE(end->has_value());
}

TEST_CASE("MessageChannel: a long pipelined stream of maximum-size secrets is read intact",
          "[ipc][wire]") {
    // More than the channel's buffer holds, so unread bytes must be moved to make room.
    auto [left, right] = make_socket_pair();
    // Declared before the reader: if the reader fails early, it closes its end first, which
    // unblocks the sender before the sender is joined.
    std::jthread sender;
    MessageChannel reader(std::move(right), k_timeouts);
    constexpr int k_messages = 60;
    std::string stream;
    for (int i = 0; i < k_messages; ++i) {
        std::string secret = secret_bytes(k_max_secret_bytes - static_cast<std::size_t>(i));
        secret[0] = static_cast<char>('A' + i % 26);
        stream += json{{"n", i}, {"secret_length", secret.size()}}.dump() + "\n" + secret + "\n";
    }
    sender = std::jthread([fd = left.get(), stream] { send_all(fd, stream); });
    for (int i = 0; i < k_messages; ++i) {
        Message message = read_message(reader);
        std::string expected = secret_bytes(k_max_secret_bytes - static_cast<std::size_t>(i));
        expected[0] = static_cast<char>('A' + i % 26);
        if (message.header["n"] != i || message.secret.view() != expected) {
            FAIL("message " << i << " arrived damaged");
        }
    }
}

TEST_CASE("MessageChannel: many messages written before the first read all arrive in order",
          "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel writer(std::move(left), k_timeouts);
    MessageChannel reader(std::move(right), k_timeouts);
    for (int i = 0; i < 200; ++i) {
        SecretString secret("T-secret-number-" + std::to_string(i));
        REQUIRE(writer.write({{"n", i}, {"secret_length", secret.size()}}, &secret).has_value());
    }
    for (int i = 0; i < 200; ++i) {
        Message message = read_message(reader);
        if (message.header["n"] != i
            || message.secret.view() != "T-secret-number-" + std::to_string(i)) {
            FAIL("message " << i << " out of order or damaged");
        }
    }
}

TEST_CASE("MessageChannel: a header of exactly 64 KiB with a maximum secret is accepted",
          "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    // Declared before the reader: if the reader fails early, it closes its end first, which
    // unblocks the sender before the sender is joined.
    std::jthread sender;
    MessageChannel reader(std::move(right), k_timeouts);
    std::string line = header_of_size(k_max_header_bytes);
    json header = json::parse(line);
    header["secret_length"] = k_max_secret_bytes;
    // Keep the line at exactly the limit: shorten the padding by what secret_length adds.
    std::string padded = header.dump();
    std::string& text = header["x"].get_ref<std::string&>();
    text.resize(text.size() - (padded.size() - k_max_header_bytes));
    line = header.dump();
    REQUIRE(line.size() == k_max_header_bytes);
    std::string secret = secret_bytes(k_max_secret_bytes);
    // A small message first, so the big one does not start at the front of the buffer.
    std::string stream = "{\"first\":true}\n" + line + "\n" + secret + "\n";
    sender = std::jthread([fd = left.get(), stream] { send_all(fd, stream); });
    CHECK(read_message(reader).header == json{{"first", true}});
    Message big = read_message(reader);
    CHECK(big.header == header);
    CHECK(big.secret.view() == secret);
}

// --- Malformed input ---

TEST_CASE("MessageChannel: a header over 64 KiB is a protocol error", "[ipc][wire]") {
    auto size = GENERATE(k_max_header_bytes + 1, k_max_header_bytes + 1000, std::size_t(200'000));
    auto [left, right] = make_socket_pair();
    // Declared before the reader: if the reader fails early, it closes its end first, which
    // unblocks the sender before the sender is joined.
    std::jthread sender;
    MessageChannel reader(std::move(right), k_timeouts);
    std::string stream = header_of_size(size) + "\n";
    sender = std::jthread([fd = left.get(), stream] { send_all(fd, stream); });
    Error error = read_error(reader);
    CHECK(error.code == Errc::protocol_error);
    CHECK_THAT(error.message, Catch::Contains("65536"));
}

TEST_CASE("MessageChannel: a header over 64 KiB that never ends is a protocol error, not a "
          "timeout",
          "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    // Declared before the reader: if the reader fails early, it closes its end first, which
    // unblocks the sender before the sender is joined.
    std::jthread sender;
    MessageChannel reader(std::move(right), k_timeouts);
    std::string stream(k_max_header_bytes + 4096, 'x');
    sender = std::jthread([fd = left.get(), stream] { send_all(fd, stream); });
    Error error = read_error(reader);
    CHECK(error.code == Errc::protocol_error);
}

TEST_CASE("MessageChannel: a bad secret_length is a protocol error", "[ipc][wire]") {
    auto length = GENERATE(as<std::string>{},
                           "0",
                           "4097",
                           "1000000",
                           "-1",
                           "1.5",
                           "3.0",
                           "\"3\"",
                           "\"abc\"",
                           "null",
                           "true",
                           "[3]",
                           "{}");
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), k_timeouts);
    send_raw(left.get(), "{\"op\":\"store\",\"secret_length\":" + length + "}\nabc\n");
    INFO("secret_length: " << length);
    Error error = read_error(reader);
    CHECK(error.code == Errc::protocol_error);
    CHECK_THAT(error.message, Catch::Contains("secret_length must be between 1 and 4096"));
}

TEST_CASE("MessageChannel: a secret not followed by a newline is a protocol error", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), k_timeouts);
    send_raw(left.get(), "{\"secret_length\":5}\nabcdefg\n");
    Error error = read_error(reader);
    CHECK(error.code == Errc::protocol_error);
    CHECK_THAT(error.message, Catch::Contains("not followed by a newline"));
}

TEST_CASE("MessageChannel: a line that is not a JSON object is a protocol error", "[ipc][wire]") {
    auto line = GENERATE(as<std::string>{},
                         "",
                         " ",
                         "not json",
                         "[1,2]",
                         "[{\"op\":\"get\"}]",
                         "\"text\"",
                         "42",
                         "null",
                         "true",
                         "{\"op\":\"get\"",
                         "{\"op\":\"get\"} {}",
                         "{\"op\":\"get\"}x",
                         "{op:\"get\"}",
                         "{'op':'get'}",
                         "{\"op\":\"\xff\"}",
                         "{\"op\":\"get\",}");
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), k_timeouts);
    send_raw(left.get(), line + "\n");
    INFO("line: " << line);
    Error error = read_error(reader);
    CHECK(error.code == Errc::protocol_error);
    CHECK_THAT(error.message, Catch::StartsWith("message is not a JSON object"));
}

// The parser does not recurse, but code that walks or copies a parsed header does.
TEST_CASE("MessageChannel: a header nested deeper than the JSON limit is a protocol error",
          "[ipc][wire]") {
    const std::size_t depth = 30000; // fits the 64 KiB header limit
    std::string line =
        "{\"op\":\"get\",\"x\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), k_timeouts);
    send_raw(left.get(), line + "\n");
    Error error = read_error(reader);
    CHECK(error.code == Errc::protocol_error);
    CHECK(error.message == "message is not a JSON object (JSON nested deeper than 32 levels)");
}

// RFC 8259 §8.1: JSON text exchanged between systems must not start with a byte order mark;
// PROTOCOL.md says each message is a JSON object on one line.
TEST_CASE("MessageChannel: a line starting with a byte order mark is a protocol error",
          "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), k_timeouts);
    send_raw(left.get(), "\xEF\xBB\xBF{\"op\":\"get\"}\n");
    auto message = reader.read();
    REQUIRE_FALSE(message.has_value());
    CHECK(message.error().code == Errc::protocol_error);
}

// The JSON parser treats a NUL byte as the end of its input, so without a check of its own the
// channel accepts a line with anything after a NUL.
TEST_CASE("MessageChannel: a NUL byte inside the header line is a protocol error", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), k_timeouts);
    send_raw(left.get(), std::string("{\"op\":\"get\"}\0not json at all\n", 29));
    auto message = reader.read();
    REQUIRE_FALSE(message.has_value());
    CHECK(message.error().code == Errc::protocol_error);
}

// A header may carry text the agent did not parse itself (a socket path from the environment,
// a path in an io_error message). nlohmann's dump() throws on invalid UTF-8 unless told
// otherwise, and the agent's connection threads do not catch.
TEST_CASE("MessageChannel: writing a header with invalid UTF-8 does not throw", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel writer(std::move(left), k_timeouts);
    MessageChannel reader(std::move(right), k_timeouts);
    std::optional<Result<void>> written;
    CHECK_NOTHROW(
        written.emplace(writer.write({{"ok", true}, {"socket", "/run/\xff\xfe/agent.sock"}})));
    if (written && written->has_value()) {
        Message message = read_message(reader);
        CHECK(message.header["ok"] == true);
    }
}

// --- Closed and silent peers ---

TEST_CASE("MessageChannel: a peer that closes between messages ends the stream", "[ipc][wire]") {
    SECTION("before any message") {
        auto [left, right] = make_socket_pair();
        MessageChannel reader(std::move(right), k_timeouts);
        left.reset();
        auto message = reader.read();
        REQUIRE(message.has_value());
        CHECK_FALSE(message->has_value());
    }
    SECTION("after a message") {
        auto [left, right] = make_socket_pair();
        MessageChannel reader(std::move(right), k_timeouts);
        send_raw(left.get(), "{\"op\":\"status\"}\n{\"op\":\"list\"}\n");
        left.reset();
        CHECK(read_message(reader).header["op"] == "status");
        CHECK(read_message(reader).header["op"] == "list");
        auto message = reader.read();
        REQUIRE(message.has_value());
        CHECK_FALSE(message->has_value());
    }
    SECTION("after shutting down only its sending side") {
        auto [left, right] = make_socket_pair();
        MessageChannel reader(std::move(right), k_timeouts);
        send_raw(left.get(), "{\"op\":\"status\"}\n");
        REQUIRE(::shutdown(left.get(), SHUT_WR) == 0);
        CHECK(read_message(reader).header["op"] == "status");
        auto message = reader.read();
        REQUIRE(message.has_value());
        CHECK_FALSE(message->has_value());
    }
}

TEST_CASE("MessageChannel: a peer that closes in the middle of a message is a protocol error",
          "[ipc][wire]") {
    auto partial = GENERATE(as<std::string>{},
                            "{\"op\":\"ge",
                            "{\"op\":\"get\"}",
                            "{\"secret_length\":10}\n",
                            "{\"secret_length\":10}\nabc",
                            "{\"secret_length\":3}\nabc");
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), k_timeouts);
    send_raw(left.get(), partial);
    left.reset();
    INFO("sent: " << partial);
    Error error = read_error(reader);
    CHECK(error.code == Errc::protocol_error);
    CHECK_THAT(error.message, Catch::Contains("connection closed in the middle of"));
}

TEST_CASE("MessageChannel: a half-sent message times out within the transfer timeout",
          "[ipc][wire]") {
    auto partial = GENERATE(as<std::string>{},
                            "{",
                            "{\"op\":\"get\",\"url\":",
                            "{\"secret_length\":10}\n",
                            "{\"secret_length\":10}\nabc",
                            "{\"secret_length\":3}\nabc");
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), k_timeouts);
    send_raw(left.get(), partial);
    INFO("sent: " << partial);
    auto start = std::chrono::steady_clock::now();
    Error error = read_error(reader);
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(error.code == Errc::timeout);
    CHECK(elapsed >= k_timeouts.transfer - milliseconds(10));
    CHECK(elapsed < k_timeouts.idle);
}

TEST_CASE("MessageChannel: a silent peer times out after the idle timeout", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), {milliseconds(80), milliseconds(3000)});
    auto start = std::chrono::steady_clock::now();
    Error error = read_error(reader);
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(error.code == Errc::timeout);
    CHECK(elapsed >= milliseconds(70));
    CHECK(elapsed < milliseconds(3000));
}

TEST_CASE("MessageChannel: a message sent in slow pieces within the transfer timeout is read",
          "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    // Declared before the reader: if the reader fails early, it closes its end first, which
    // unblocks the sender before the sender is joined.
    std::jthread sender;
    MessageChannel reader(std::move(right), {milliseconds(3000), milliseconds(1500)});
    sender = std::jthread([fd = left.get()] {
        for (std::string_view piece :
             {"{\"op\":", "\"store\",\"secret_", "length\":4}\nab", "cd\n"}) {
            send_all(fd, piece);
            std::this_thread::sleep_for(milliseconds(20));
        }
    });
    Message message = read_message(reader);
    CHECK(message.header == json{{"op", "store"}, {"secret_length", 4}});
    CHECK(message.secret.view() == "abcd");
}

TEST_CASE("MessageChannel: set_timeouts takes effect for the next read", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel reader(std::move(right), {milliseconds(60'000), milliseconds(60'000)});
    reader.set_timeouts({milliseconds(50), milliseconds(50)});
    auto start = std::chrono::steady_clock::now();
    Error error = read_error(reader);
    CHECK(error.code == Errc::timeout);
    CHECK(std::chrono::steady_clock::now() - start < milliseconds(5000));
}

TEST_CASE("MessageChannel: writing to a closed peer is an io_error, not a SIGPIPE", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel writer(std::move(left), k_timeouts);
    right.reset();
    SecretString secret("T-abc123456789xyz");
    auto written = writer.write({{"ok", true}, {"secret_length", secret.size()}}, &secret);
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error().code == Errc::io_error);
    CHECK_THAT(written.error().message, !Catch::Contains("abc123456789"));
}

TEST_CASE("MessageChannel: close releases the descriptor", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel channel(std::move(left), k_timeouts);
    CHECK(channel.fd() >= 0);
    channel.close();
    CHECK(channel.fd() == -1);
    // The peer sees the end of the stream.
    MessageChannel peer(std::move(right), k_timeouts);
    auto message = peer.read();
    REQUIRE(message.has_value());
    CHECK_FALSE(message->has_value());
}

// --- Error replies ---

TEST_CASE("error_reply: travels through a channel like any header", "[ipc][wire]") {
    auto [left, right] = make_socket_pair();
    MessageChannel writer(std::move(left), k_timeouts);
    MessageChannel reader(std::move(right), k_timeouts);
    REQUIRE(writer.write(error_reply(make_error(Errc::store_locked, "unlock the keyring")))
                .has_value());
    auto error = reply_error(read_message(reader).header);
    REQUIRE(error.has_value());
    CHECK(error->code == Errc::store_locked);
    CHECK(error->message == "unlock the keyring");
}
