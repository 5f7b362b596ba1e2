// SPDX-License-Identifier: MIT
#include "base64.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>

#include <sstream>

namespace feed {

std::optional<std::string> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    auto padding = text.find('=');
    if (padding != std::string_view::npos
        && (padding + 2 < text.size()
            || text.substr(padding).find_first_not_of('=') != std::string_view::npos)) {
        return std::nullopt;
    }
    for (char c : text.substr(0, padding)) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                  || c == '+' || c == '/';
        if (!ok) {
            return std::nullopt;
        }
    }
    try {
        std::istringstream in{std::string(text)};
        Poco::Base64Decoder decoder(in);
        std::ostringstream out;
        out << decoder.rdbuf();
        return out.str();
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::string encode_base64(std::string_view data) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(data.data(), static_cast<std::streamsize>(data.size()));
    encoder.close();
    return out.str();
}

} // namespace feed
