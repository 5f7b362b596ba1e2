// SPDX-License-Identifier: MIT
#include <helpers/nuget/line_reader.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

using namespace feedz::nuget;

namespace {

// Feeds `chunks` to a LineReader one write at a time and collects what it returns.
std::vector<InputLine> read_chunks(const std::vector<std::string>& chunks,
                                   std::size_t limit = 1024) {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    LineReader reader(fds[0], limit);
    std::vector<InputLine> lines;
    for (const auto& chunk : chunks) {
        REQUIRE(::write(fds[1], chunk.data(), chunk.size()) == static_cast<ssize_t>(chunk.size()));
        REQUIRE(reader.read_available(lines) == LineReader::Status::open);
    }
    ::close(fds[1]);
    CHECK(reader.read_available(lines) == LineReader::Status::end);
    ::close(fds[0]);
    return lines;
}

std::vector<std::string> texts(const std::vector<InputLine>& lines) {
    std::vector<std::string> result;
    for (const auto& line : lines) {
        result.push_back(line.too_long ? "<too long>" : line.text);
    }
    return result;
}

} // namespace

TEST_CASE("LineReader: lines split across reads, LF and CRLF", "[nuget][reader]") {
    CHECK(texts(read_chunks({"ab", "c\nde", "f\r\n\n", "g"}))
          == std::vector<std::string>{"abc", "def", "", "g"});
}

TEST_CASE("LineReader: a BOM is dropped from the start only", "[nuget][reader]") {
    CHECK(texts(read_chunks({"\xEF\xBB\xBFone\n\xEF\xBB\xBFtwo\n"}))
          == std::vector<std::string>{"one", "\xEF\xBB\xBFtwo"});
    CHECK(texts(read_chunks({"\xEF", "\xBB", "\xBFx\n"})) == std::vector<std::string>{"x"});
    CHECK(texts(read_chunks({"\xEFz\n"})) == std::vector<std::string>{"\xEFz"});
}

TEST_CASE("LineReader: lines over the limit are dropped whole", "[nuget][reader]") {
    std::string long_line(100, 'x');
    CHECK(texts(read_chunks({long_line + "\nshort\n"}, 50))
          == std::vector<std::string>{"<too long>", "short"});
    // Streamed in pieces, longer than the limit before its end arrives.
    CHECK(texts(read_chunks(
              {std::string(40, 'a'), std::string(40, 'b'), std::string(40, 'c'), "\nok\n"}, 50))
          == std::vector<std::string>{"<too long>", "ok"});
    // Cut off by EOF.
    CHECK(texts(read_chunks({std::string(120, 'a')}, 50))
          == std::vector<std::string>{"<too long>"});
    // Exactly the limit is fine.
    CHECK(texts(read_chunks({std::string(50, 'a') + "\n"}, 50))
          == std::vector<std::string>{std::string(50, 'a')});
}
