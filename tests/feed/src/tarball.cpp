// SPDX-License-Identifier: MIT
#include "tarball.hpp"

#include "error.hpp"

#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>

#include <cstdio>
#include <cstring>
#include <sstream>

namespace feed {

namespace {

constexpr std::size_t k_block = 512;

std::string gunzip(std::string_view tgz, std::size_t max_size) {
    if (tgz.size() < 2 || static_cast<unsigned char>(tgz[0]) != 0x1f
        || static_cast<unsigned char>(tgz[1]) != 0x8b) {
        throw FeedError("not a gzip file");
    }
    try {
        std::istringstream in{std::string(tgz)};
        Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
        std::string out;
        char buffer[8192];
        while (inflater.read(buffer, sizeof(buffer)) || inflater.gcount() > 0) {
            out.append(buffer, static_cast<std::size_t>(inflater.gcount()));
            if (out.size() > max_size) {
                throw FeedError("tarball unpacks to more than the size limit");
            }
        }
        return out;
    } catch (const Poco::Exception& e) {
        throw FeedError("corrupt gzip data: " + e.displayText());
    }
}

std::size_t parse_octal(std::string_view field) {
    std::size_t value = 0;
    for (char c : field) {
        if (c == '\0' || c == ' ') {
            if (value > 0 || c == '\0') {
                break;
            }
            continue;
        }
        if (c < '0' || c > '7') {
            throw FeedError("corrupt tar header");
        }
        value = value * 8 + static_cast<std::size_t>(c - '0');
    }
    return value;
}

std::string field(std::string_view block, std::size_t offset, std::size_t length) {
    auto text = block.substr(offset, length);
    return std::string(text.substr(0, text.find('\0')));
}

void put_octal(char* field, std::size_t width, std::size_t value) {
    std::snprintf(field, width, "%0*zo", static_cast<int>(width - 1), value);
}

} // namespace

std::optional<std::string>
tgz_read_file(std::string_view tgz, std::string_view name, std::size_t max_size) {
    auto tar = gunzip(tgz, max_size);
    std::size_t offset = 0;
    bool any_header = false;
    while (offset + k_block <= tar.size()) {
        std::string_view header(tar.data() + offset, k_block);
        if (header.find_first_not_of('\0') == std::string_view::npos) {
            break;
        }
        if (field(header, 257, 5) != "ustar") {
            throw FeedError("not a tar archive");
        }
        any_header = true;
        auto size = parse_octal(header.substr(124, 12));
        char type = header[156];
        auto prefix = field(header, 345, 155);
        auto entry = prefix.empty() ? field(header, 0, 100) : prefix + "/" + field(header, 0, 100);
        offset += k_block;
        if (size > tar.size() - offset) {
            throw FeedError("truncated tar archive");
        }
        if ((type == '0' || type == '\0') && entry == name) {
            return tar.substr(offset, size);
        }
        offset += (size + k_block - 1) / k_block * k_block;
    }
    if (!any_header) {
        throw FeedError("empty tar archive");
    }
    return std::nullopt;
}

std::string tgz_create(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string tar;
    for (const auto& [name, content] : files) {
        if (name.size() >= 100) {
            throw FeedError("tar entry name too long: " + name);
        }
        char header[k_block] = {};
        std::memcpy(header, name.data(), name.size());
        put_octal(header + 100, 8, 0644);
        put_octal(header + 108, 8, 0);
        put_octal(header + 116, 8, 0);
        put_octal(header + 124, 12, content.size());
        put_octal(header + 136, 12, 499162500); // 1985-10-26, as npm pack does
        std::memset(header + 148, ' ', 8);
        header[156] = '0';
        std::memcpy(header + 257,
                    "ustar\0"
                    "00",
                    8);
        unsigned checksum = 0;
        for (char c : header) {
            checksum += static_cast<unsigned char>(c);
        }
        std::snprintf(header + 148, 8, "%06o", checksum);
        header[155] = ' ';
        tar.append(header, k_block);
        tar += content;
        tar.append((k_block - content.size() % k_block) % k_block, '\0');
    }
    tar.append(2 * k_block, '\0');

    std::ostringstream out;
    Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflater.write(tar.data(), static_cast<std::streamsize>(tar.size()));
    deflater.close();
    return out.str();
}

} // namespace feed
