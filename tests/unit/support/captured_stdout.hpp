// SPDX-License-Identifier: MIT
#pragma once

#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

// What `body` writes to standard output (through stdio or fd 1).
inline std::string captured_stdout(const std::function<void()>& body) {
    std::fflush(stdout);
    std::FILE* file = std::tmpfile();
    int saved = ::dup(1);
    ::dup2(::fileno(file), 1);
    body();
    std::fflush(stdout);
    ::dup2(saved, 1);
    ::close(saved);
    std::string text;
    std::rewind(file);
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file)) > 0;) {
        text.append(buffer, n);
    }
    std::fclose(file);
    return text;
}
