// SPDX-License-Identifier: MIT
#include "zip.hpp"

#include "error.hpp"

#include <Poco/Checksum.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>

#include <cstdint>
#include <sstream>

namespace feed {

namespace {

constexpr std::uint32_t k_local_header = 0x04034b50;
constexpr std::uint32_t k_central_header = 0x02014b50;
constexpr std::uint32_t k_end_of_central_directory = 0x06054b50;

std::uint32_t read_u16(std::string_view data, std::size_t offset) {
    if (offset + 2 > data.size()) {
        throw FeedError("not a zip archive (truncated)");
    }
    return static_cast<std::uint32_t>(static_cast<unsigned char>(data[offset]))
           | static_cast<std::uint32_t>(static_cast<unsigned char>(data[offset + 1])) << 8;
}

std::uint32_t read_u32(std::string_view data, std::size_t offset) {
    return read_u16(data, offset) | read_u16(data, offset + 2) << 16;
}

void put_u16(std::string& out, std::uint32_t value) {
    out += static_cast<char>(value & 0xff);
    out += static_cast<char>((value >> 8) & 0xff);
}

void put_u32(std::string& out, std::uint32_t value) {
    put_u16(out, value & 0xffff);
    put_u16(out, value >> 16);
}

struct CentralEntry {
    std::string name;
    std::uint32_t crc = 0;
    std::uint32_t method = 0;
    std::uint32_t compressed_size = 0;
    std::uint32_t size = 0;
    std::uint32_t local_offset = 0;
};

std::string inflate(std::string_view compressed, std::size_t max_size, const std::string& name) {
    std::istringstream in{std::string(compressed)};
    Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_ZIP);
    std::string content;
    char buffer[8192];
    while (inflater.read(buffer, sizeof(buffer)) || inflater.gcount() > 0) {
        content.append(buffer, static_cast<std::size_t>(inflater.gcount()));
        if (content.size() > max_size) {
            throw FeedError("zip entry " + name + " is too large");
        }
    }
    return content;
}

std::vector<CentralEntry> read_central_directory(std::string_view archive) {
    if (archive.size() < 22) {
        throw FeedError("not a zip archive (too short)");
    }
    std::size_t eocd = std::string_view::npos;
    std::size_t lowest = archive.size() > 22 + 0xffff ? archive.size() - 22 - 0xffff : 0;
    for (std::size_t i = archive.size() - 22 + 1; i-- > lowest;) {
        if (read_u32(archive, i) == k_end_of_central_directory) {
            eocd = i;
            break;
        }
    }
    if (eocd == std::string_view::npos) {
        throw FeedError("not a zip archive (no end of central directory)");
    }
    auto count = read_u16(archive, eocd + 10);
    std::size_t offset = read_u32(archive, eocd + 16);
    std::vector<CentralEntry> entries;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (read_u32(archive, offset) != k_central_header) {
            throw FeedError("corrupt zip archive (bad central directory)");
        }
        CentralEntry entry;
        entry.method = read_u16(archive, offset + 10);
        entry.crc = read_u32(archive, offset + 16);
        entry.compressed_size = read_u32(archive, offset + 20);
        entry.size = read_u32(archive, offset + 24);
        auto name_length = read_u16(archive, offset + 28);
        auto extra_length = read_u16(archive, offset + 30);
        auto comment_length = read_u16(archive, offset + 32);
        entry.local_offset = read_u32(archive, offset + 42);
        if (offset + 46 + name_length > archive.size()) {
            throw FeedError("corrupt zip archive (truncated central directory)");
        }
        entry.name = std::string(archive.substr(offset + 46, name_length));
        entries.push_back(std::move(entry));
        offset += 46 + name_length + extra_length + comment_length;
    }
    return entries;
}

} // namespace

std::vector<std::string> zip_entry_names(std::string_view archive) {
    std::vector<std::string> names;
    for (auto& entry : read_central_directory(archive)) {
        names.push_back(std::move(entry.name));
    }
    return names;
}

std::optional<std::string>
zip_read_entry(std::string_view archive, std::string_view name, std::size_t max_size) {
    for (const auto& entry : read_central_directory(archive)) {
        if (entry.name != name) {
            continue;
        }
        if (entry.size > max_size) {
            throw FeedError("zip entry " + entry.name + " is too large");
        }
        std::size_t local = entry.local_offset;
        if (read_u32(archive, local) != k_local_header) {
            throw FeedError("corrupt zip archive (bad local header)");
        }
        std::size_t data =
            local + 30 + read_u16(archive, local + 26) + read_u16(archive, local + 28);
        if (data + entry.compressed_size > archive.size()) {
            throw FeedError("corrupt zip archive (truncated entry " + entry.name + ")");
        }
        auto compressed = archive.substr(data, entry.compressed_size);
        std::string content;
        if (entry.method == 0) {
            content = std::string(compressed);
        } else if (entry.method == 8) {
            try {
                content = inflate(compressed, max_size, entry.name);
            } catch (const Poco::Exception& e) {
                throw FeedError("corrupt zip archive (" + entry.name + ": " + e.displayText()
                                + ")");
            }
        } else {
            throw FeedError("unsupported compression in zip entry " + entry.name);
        }
        if (content.size() != entry.size) {
            throw FeedError("corrupt zip archive (size mismatch in " + entry.name + ")");
        }
        Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
        crc.update(content.data(), static_cast<unsigned>(content.size()));
        if (crc.checksum() != entry.crc) {
            throw FeedError("corrupt zip archive (CRC mismatch in " + entry.name + ")");
        }
        return content;
    }
    return std::nullopt;
}

std::string zip_create(const std::vector<std::pair<std::string, std::string>>& entries) {
    constexpr std::uint32_t k_dos_date_1980_01_01 = 0x0021;
    std::string out;
    std::string central;
    for (const auto& [name, content] : entries) {
        Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
        crc.update(content.data(), static_cast<unsigned>(content.size()));
        auto offset = static_cast<std::uint32_t>(out.size());
        auto size = static_cast<std::uint32_t>(content.size());
        auto name_length = static_cast<std::uint32_t>(name.size());

        put_u32(out, k_local_header);
        put_u16(out, 20); // version needed
        put_u16(out, 0);  // flags
        put_u16(out, 0);  // stored
        put_u16(out, 0);  // time
        put_u16(out, k_dos_date_1980_01_01);
        put_u32(out, crc.checksum());
        put_u32(out, size);
        put_u32(out, size);
        put_u16(out, name_length);
        put_u16(out, 0);
        out += name;
        out += content;

        put_u32(central, k_central_header);
        put_u16(central, 20); // version made by
        put_u16(central, 20); // version needed
        put_u16(central, 0);
        put_u16(central, 0);
        put_u16(central, 0);
        put_u16(central, k_dos_date_1980_01_01);
        put_u32(central, crc.checksum());
        put_u32(central, size);
        put_u32(central, size);
        put_u16(central, name_length);
        put_u16(central, 0); // extra
        put_u16(central, 0); // comment
        put_u16(central, 0); // disk
        put_u16(central, 0); // internal attributes
        put_u32(central, 0); // external attributes
        put_u32(central, offset);
        central += name;
    }
    auto central_offset = static_cast<std::uint32_t>(out.size());
    out += central;
    put_u32(out, k_end_of_central_directory);
    put_u16(out, 0);
    put_u16(out, 0);
    put_u16(out, static_cast<std::uint32_t>(entries.size()));
    put_u16(out, static_cast<std::uint32_t>(entries.size()));
    put_u32(out, static_cast<std::uint32_t>(central.size()));
    put_u32(out, central_offset);
    put_u16(out, 0);
    return out;
}

} // namespace feed
