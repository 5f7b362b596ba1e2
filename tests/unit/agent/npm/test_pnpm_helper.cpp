// SPDX-License-Identifier: MIT
#include <agent/npm/pnpm_helper.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace feedz;

namespace {

NpmFeedCredential credential(const std::string& root, Operation operation) {
    NpmFeedCredential result;
    result.feed = *parse_feed(root);
    result.operation = operation;
    return result;
}

} // namespace

TEST_CASE("exec names the level it chose per feed, and the token helper reads it back") {
    std::vector<NpmFeedCredential> credentials;
    credentials.push_back(credential("https://f.feedz.io/acme/pkgs/", Operation::write));
    credentials.push_back(credential("https://f.feedz.io/acme/other/", Operation::read));
    std::string variable = exec_access_variable(credentials);
    CHECK(variable
          == "FEEDZ_AGENT_EXEC_ACCESS=https://f.feedz.io/acme/pkgs/=write "
             "https://f.feedz.io/acme/other/=read");
    std::string value = variable.substr(variable.find('=') + 1);

    CHECK(exec_access_for(*parse_feed("acme/pkgs"), value) == Operation::write);
    CHECK(exec_access_for(*parse_feed("acme/other"), value) == Operation::read);
    // A feed exec did not name, or one whose root only starts the same, reads.
    CHECK(exec_access_for(*parse_feed("acme/pk"), value) == Operation::read);
    CHECK(exec_access_for(*parse_feed("acme/pkgs"), std::nullopt) == Operation::read);
    CHECK(exec_access_for(*parse_feed("acme/pkgs"), "https://f.feedz.io/acme/pkgs/=bogus")
          == Operation::read);
    CHECK(exec_access_variable({}) == "FEEDZ_AGENT_EXEC_ACCESS=");
}

TEST_CASE("the token helper prints a Basic header with the feedz user name") {
    // base64("feedz:T-abc")
    CHECK(pnpm_authorization("T-abc").view() == "Basic ZmVlZHo6VC1hYmM=");
}
