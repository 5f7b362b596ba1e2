// SPDX-License-Identifier: MIT
#include "server.hpp"

#include "error.hpp"
#include "files.hpp"
#include "owner_watch.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/ThreadPool.h>

#include <pthread.h>

#include <csignal>
#include <iostream>
#include <optional>

namespace feed {

namespace {

class FeedRequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    FeedRequestHandler(FeedService& service, std::chrono::seconds clock_offset)
        : m_service(service)
        , m_clock_offset(clock_offset) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        if (m_clock_offset.count() != 0) {
            response.setDate(Poco::Timestamp()
                             + Poco::Timespan(static_cast<long>(m_clock_offset.count()), 0));
        }
        m_service.handle(request, response);
    }

private:
    FeedService& m_service;
    std::chrono::seconds m_clock_offset;
};

// Always returns a handler: a null handler would make Poco answer 501 behind our back.
class FeedRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    FeedRequestHandlerFactory(FeedService& service, std::chrono::seconds clock_offset)
        : m_service(service)
        , m_clock_offset(clock_offset) {}

    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new FeedRequestHandler(m_service, m_clock_offset);
    }

private:
    FeedService& m_service;
    std::chrono::seconds m_clock_offset;
};

struct SslLibrary {
    SslLibrary() { Poco::Net::initializeSSL(); }

    ~SslLibrary() { Poco::Net::uninitializeSSL(); }

    SslLibrary(const SslLibrary&) = delete;
    SslLibrary& operator=(const SslLibrary&) = delete;
};

sigset_t block_stop_signals() {
    // A shell starts background jobs with SIGINT ignored; take the defaults back first.
    for (int signal : {SIGTERM, SIGINT, SIGHUP}) {
        std::signal(signal, SIG_DFL);
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    return signals;
}

} // namespace

int serve(const ServeOptions& options) {
    // Before any thread exists, so that every thread inherits the mask and sigwait gets them.
    auto signals = block_stop_signals();
    SslLibrary ssl;

    Poco::Net::Context::Ptr context;
    try {
        context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE,
                                         options.key.string(),
                                         options.cert.string(),
                                         "",
                                         Poco::Net::Context::VERIFY_NONE);
    } catch (const Poco::Exception& e) {
        throw FeedError("cannot load certificate " + options.cert.string() + " and key "
                        + options.key.string() + ": " + e.displayText());
    }

    std::filesystem::create_directories(options.data);
    FeedService service(DataDir(options.data), options.settings);

    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 128, context);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setMaxKeepAliveRequests(1000);
    params->setMaxQueued(512);
    params->setMaxThreads(96);
    params->setTimeout(Poco::Timespan(60, 0));
    Poco::ThreadPool pool(2, 96, 30);
    Poco::Net::HTTPServer server(
        new FeedRequestHandlerFactory(service, options.settings.clock_offset),
        pool,
        socket,
        params);
    server.start();

    auto port = socket.address().port();
    write_file_atomic(options.port_file, std::to_string(port) + "\n");
    std::cerr << "feedz-test-feed: serving https://127.0.0.1:" << port << "/ from "
              << options.data.string() << " (revocation delay "
              << options.settings.revocation_delay.count() << " s)\n";

    std::optional<OwnerWatch> owner_watch;
    if (options.owner > 0) {
        owner_watch.emplace(options.owner);
    }
    int signal = 0;
    sigwait(&signals, &signal);
    std::cerr << "feedz-test-feed: stopping on signal " << signal << "\n";
    server.stopAll(true);
    pool.joinAll();
    return 0;
}

} // namespace feed
