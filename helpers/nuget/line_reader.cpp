// SPDX-License-Identifier: MIT
#include "line_reader.hpp"

#include <agent/util/secret_string.hpp>

#include <unistd.h>

#include <array>
#include <cerrno>
#include <string_view>

namespace feedz::nuget {

namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

void wipe(std::string& text) {
    wipe_memory(text.data(), text.size());
    text.clear();
}

} // namespace

LineReader::LineReader(int fd, std::size_t max_line_bytes)
    : m_fd(fd)
    , m_max_line_bytes(max_line_bytes) {}

LineReader::~LineReader() {
    wipe(m_pending);
}

LineReader::Status LineReader::read_available(std::vector<InputLine>& lines) {
    std::array<char, 65536> buffer;
    ssize_t n = 0;
    do {
        n = ::read(m_fd, buffer.data(), buffer.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return Status::open;
    }
    if (n <= 0) {
        if (m_discarding) {
            lines.push_back({{}, true});
        } else if (!m_pending.empty()) {
            finish_last_line(lines);
        }
        m_discarding = false;
        return Status::end;
    }
    m_pending.append(buffer.data(), static_cast<std::size_t>(n));
    wipe_memory(buffer.data(), static_cast<std::size_t>(n));
    take_lines(lines);
    return Status::open;
}

void LineReader::take_lines(std::vector<InputLine>& lines) {
    if (m_at_start) {
        if (m_pending.size() < k_utf8_bom.size()
            && k_utf8_bom.starts_with(std::string_view(m_pending))) {
            return; // perhaps the start of a BOM: wait for more
        }
        if (std::string_view(m_pending).starts_with(k_utf8_bom)) {
            m_pending.erase(0, k_utf8_bom.size());
        }
        m_at_start = false;
    }
    std::size_t begin = 0;
    while (true) {
        auto newline = m_pending.find('\n', begin);
        if (newline == std::string::npos) {
            break;
        }
        if (m_discarding) {
            lines.push_back({{}, true});
            m_discarding = false;
        } else {
            std::string line = m_pending.substr(begin, newline - begin);
            if (line.size() > m_max_line_bytes) {
                lines.push_back({{}, true});
                wipe(line);
            } else {
                if (!line.empty() && line.back() == '\r') {
                    line.pop_back();
                }
                lines.push_back({std::move(line), false});
            }
        }
        begin = newline + 1;
    }
    wipe_memory(m_pending.data(), begin);
    m_pending.erase(0, begin);
    if (!m_discarding && m_pending.size() > m_max_line_bytes) {
        m_discarding = true;
    }
    if (m_discarding) {
        wipe(m_pending);
    }
}

void LineReader::finish_last_line(std::vector<InputLine>& lines) {
    std::string line = m_pending;
    wipe(m_pending);
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    if (line.size() > m_max_line_bytes) {
        wipe(line);
        lines.push_back({{}, true});
        return;
    }
    lines.push_back({std::move(line), false});
}

} // namespace feedz::nuget
