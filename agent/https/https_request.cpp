// SPDX-License-Identifier: MIT
#include "https_request.hpp"

#include <agent/core/environment.hpp>
#include <agent/core/feed.hpp>
#include <agent/https/proxy.hpp>

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>

namespace feedz {

namespace {

// A request whose Authorization header is written straight from the secret, so no copy of
// the token is left in Poco's header collection.
class BasicAuthRequest : public Poco::Net::HTTPRequest {
public:
    BasicAuthRequest(const std::string& path, const SecretString& token)
        : HTTPRequest(HTTPRequest::HTTP_GET, path, HTTPMessage::HTTP_1_1)
        , m_token(token) {}

    void write(std::ostream& ostr) const override {
        // HTTPRequest::write ends with the blank line; write ours, then the header block.
        std::ostringstream head;
        HTTPRequest::write(head);
        std::string text = head.str();
        auto end_of_headers = text.rfind("\r\n\r\n");
        ostr.write(text.data(), static_cast<std::streamsize>(end_of_headers + 2));
        ostr << "Authorization: Basic ";
        {
            Poco::Base64Encoder encoder(ostr);
            encoder.rdbuf()->setLineLength(0);
            encoder << "feedz:";
            encoder.write(m_token.view().data(), static_cast<std::streamsize>(m_token.size()));
            encoder.close();
        }
        ostr << "\r\n\r\n";
    }

private:
    const SecretString& m_token;
};

// Client TLS: the system's CAs, the peer verified, and a certificate problem an error rather
// than Poco's default of asking on the console.
Poco::Net::Context::Ptr client_context() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        context = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_STRICT, 9, true);
        Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
            new Poco::Net::RejectCertificateHandler(false);
        Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, context);
    });
    return context;
}

} // namespace

Result<ProbeAnswer> https_get_with_token(const std::string& url,
                                         const SecretString& token,
                                         std::chrono::seconds timeout) {
    auto normalized = normalize_url(url);
    if (!normalized) {
        return normalized.error();
    }
    try {
        Poco::URI uri(normalized->text);
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https") {
            session = std::make_unique<Poco::Net::HTTPSClientSession>(
                uri.getHost(), uri.getPort(), client_context());
        } else {
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        }
        session->setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
        // Plain http is for loopback feeds only, and never goes through a proxy: the token
        // would cross to it unencrypted.
        auto proxy = uri.getScheme() == "https"
                         ? proxy_for(uri.getScheme(), uri.getHost(), get_env)
                         : Result<std::optional<ProxySettings>>(std::optional<ProxySettings>());
        if (!proxy) {
            return proxy.error();
        }
        if (*proxy) {
            session->setProxy((*proxy)->host, (*proxy)->port);
            if (!(*proxy)->username.empty()) {
                session->setProxyCredentials((*proxy)->username, (*proxy)->password);
            }
        }
        BasicAuthRequest request(uri.getPathAndQuery(), token);
        request.set("User-Agent", "feedz-agent");
        request.set("Accept", "application/json");
        session->sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& body = session->receiveResponse(response);
        Poco::NullOutputStream discard;
        Poco::StreamCopier::copyStream(body, discard);
        ProbeAnswer answer{static_cast<int>(response.getStatus()), response.getReason(), {}};
        if (response.has("Date")) {
            try {
                answer.date = std::chrono::system_clock::time_point(
                    std::chrono::microseconds(response.getDate().epochMicroseconds()));
            } catch (const Poco::Exception&) {
                // A malformed Date header only means no clock check.
            }
        }
        return answer;
    } catch (const Poco::Net::SSLException& error) {
        return make_error(Errc::io_error,
                          "TLS with " + normalized->origin + " failed (" + error.displayText()
                              + "); if the feed uses a private CA, add it to the system's CAs "
                                "or point SSL_CERT_FILE at a bundle that has it");
    } catch (const Poco::Exception& error) {
        return make_error(Errc::io_error,
                          "cannot reach " + normalized->origin + " (" + error.displayText() + ")");
    } catch (const std::exception& error) {
        return make_error(Errc::io_error,
                          "cannot reach " + normalized->origin + " (" + error.what() + ")");
    }
}

} // namespace feedz
