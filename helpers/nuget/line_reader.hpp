// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace feedz::nuget {

// One line of input, without its "\n" or "\r\n".
struct InputLine {
    std::string text;
    bool too_long = false; // longer than the limit: `text` is empty, the line was dropped
};

// Splits what arrives on a file descriptor into lines. A UTF-8 byte order mark at the very start
// is dropped (NuGet writes none, but a BOM must not make the first message unreadable), and a
// line longer than the limit is dropped as it streams in, so input can never grow memory beyond
// the limit. Buffers that held input are wiped: a line may carry a proxy password.
class LineReader {
public:
    LineReader(int fd, std::size_t max_line_bytes);
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;
    ~LineReader();

    enum class Status { open, end };

    // One read(2) (call it when the descriptor is readable); complete lines are appended to
    // `lines`. `end` once the input is closed or fails; a last line without "\n" is returned
    // then.
    Status read_available(std::vector<InputLine>& lines);

private:
    void take_lines(std::vector<InputLine>& lines);
    void finish_last_line(std::vector<InputLine>& lines);

    int m_fd;
    std::size_t m_max_line_bytes;
    std::string m_pending;     // the start of the current line
    bool m_discarding = false; // inside a line that is already too long
    bool m_at_start = true;    // nothing read yet: a BOM may follow
};

} // namespace feedz::nuget
