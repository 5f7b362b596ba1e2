// SPDX-License-Identifier: MIT
#pragma once

#include <stdexcept>
#include <string>

namespace feed {

// A failure with a message meant for the user of an admin command or the log; never holds a token.
class FeedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A request handler gives up with an HTTP status and a short message for the client.
class HttpError : public std::runtime_error {
public:
    HttpError(int status, const std::string& message)
        : std::runtime_error(message)
        , m_status(status) {}

    int status() const { return m_status; }

private:
    int m_status;
};

} // namespace feed
