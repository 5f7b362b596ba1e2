// SPDX-License-Identifier: MIT
#include "secret_input.hpp"

#include <agent/core/token.hpp>
#include <agent/util/fd.hpp>
#include <agent/util/system_error.hpp>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace feedz::cli {

namespace {

// For the signal handler: the terminal to restore if Ctrl-C arrives at the prompt.
int g_prompt_tty = -1;
termios g_prompt_saved{};

extern "C" void restore_terminal_and_die(int signal_number) {
    if (g_prompt_tty >= 0) {
        ::tcsetattr(g_prompt_tty, TCSAFLUSH, &g_prompt_saved);
        [[maybe_unused]] auto written = ::write(g_prompt_tty, "\n", 1);
    }
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
}

// Reads up to `limit` bytes from `fd` until EOF (or, when `stop_at_newline`, a newline).
Result<SecretString> read_bounded(int fd, bool stop_at_newline) {
    constexpr std::size_t limit = k_max_token_length + 2;
    SecretString buffer = SecretString::with_size(limit + 1);
    std::size_t length = 0;
    while (length <= limit) {
        ssize_t n = ::read(fd, buffer.data() + length, stop_at_newline ? 1 : limit + 1 - length);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return make_error(Errc::io_error, "cannot read the token: " + errno_text(errno));
        }
        if (n == 0) {
            break;
        }
        length += static_cast<std::size_t>(n);
        if (stop_at_newline && buffer.data()[length - 1] == '\n') {
            break;
        }
    }
    if (length > limit) {
        return make_error(Errc::invalid_argument,
                          "the token is longer than " + std::to_string(k_max_token_length)
                              + " characters; is this really a Feedz personal access token?");
    }
    if (length > 0 && buffer.data()[length - 1] == '\n') {
        --length;
        if (length > 0 && buffer.data()[length - 1] == '\r') {
            --length;
        }
    }
    return SecretString(buffer.view().substr(0, length));
}

} // namespace

Result<SecretString> prompt_secret(const std::string& prompt) {
    Fd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
    termios original{};
    if (!tty || ::tcgetattr(tty.get(), &original) != 0) {
        return make_error(Errc::invalid_argument,
                          "no terminal to ask for the token on; give it on standard input: "
                          "printf '%s' \"$TOKEN\" | feedz-agent login --pat-stdin ...");
    }
    termios silent = original;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    silent.c_lflag |= ECHONL;
    // Ctrl-C at the prompt must not leave the terminal without echo.
    g_prompt_tty = tty.get();
    g_prompt_saved = original;
    auto previous_int = ::signal(SIGINT, restore_terminal_and_die);
    auto previous_term = ::signal(SIGTERM, restore_terminal_and_die);
    [[maybe_unused]] auto written = ::write(tty.get(), prompt.data(), prompt.size());
    ::tcsetattr(tty.get(), TCSAFLUSH, &silent);
    auto secret = read_bounded(tty.get(), true);
    ::tcsetattr(tty.get(), TCSAFLUSH, &original);
    ::signal(SIGINT, previous_int);
    ::signal(SIGTERM, previous_term);
    g_prompt_tty = -1;
    return secret;
}

Result<SecretString> read_secret_from_stdin() {
    return read_bounded(STDIN_FILENO, false);
}

} // namespace feedz::cli
