// The website and team commands of the CLI: `website list|delete`, `member add|remove`, their
// output and exit codes, and a running server honouring a member removed from the CLI.
#include <httplib.h>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;

namespace {

class WebsiteCli : public ::testing::Test {
protected:
    WebsiteCli() {
        run({"account", "create", "--email", "owner@example.com"});
        run({"account", "create", "--email", "guest@example.com"});
        m_site = trimmed(
            run({"website", "create", "--owner", "owner@example.com", "--domain", "shop.com"}).out);
    }

    Result run(std::vector<std::string> args) {
        args.push_back("--data-dir");
        args.push_back((m_dir.path() / "data").string());
        return run_cli({std::move(args), {}, "", m_dir.path()});
    }
    static std::string trimmed(std::string text) {
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
            text.pop_back();
        }
        return text;
    }
    Result add_guest(const std::string& role) {
        return run(
            {"member", "add", "--website", m_site, "--email", "guest@example.com", "--role", role});
    }

    TempDir m_dir;
    std::string m_site;
};

TEST_F(WebsiteCli, ListPrintsIdDomainAndRoleTabSeparated) {
    auto list = run({"website", "list", "--email", "owner@example.com"});
    EXPECT_EQ(list.code, 0) << list.err;
    EXPECT_EQ(list.out, m_site + "\tshop.com\towner\n");
}

TEST_F(WebsiteCli, ListOfAnAccountWithoutWebsitesPrintsNothing) {
    auto list = run({"website", "list", "--email", "guest@example.com"});
    EXPECT_EQ(list.code, 0) << list.err;
    EXPECT_EQ(list.out, "");
}

TEST_F(WebsiteCli, ListOfAnUnknownAccountExits1) {
    EXPECT_EQ(run({"website", "list", "--email", "nobody@example.com"}).code, 1);
}

TEST_F(WebsiteCli, MemberAddGivesTheRole) {
    auto add = add_guest("member");
    EXPECT_EQ(add.code, 0) << add.err;
    EXPECT_EQ(add.out, "");
    EXPECT_EQ(run({"website", "list", "--email", "guest@example.com"}).out,
              m_site + "\tshop.com\tmember\n");
}

TEST_F(WebsiteCli, MemberAddDefaultsToViewer) {
    auto add = run({"member", "add", "--website", m_site, "--email", "guest@example.com"});
    EXPECT_EQ(add.code, 0) << add.err;
    EXPECT_EQ(run({"website", "list", "--email", "guest@example.com"}).out,
              m_site + "\tshop.com\tviewer\n");
}

TEST_F(WebsiteCli, MemberAddAsOwnerIsAUsageError) {
    EXPECT_EQ(add_guest("owner").code, 2);
}

TEST_F(WebsiteCli, MemberAddWithAMalformedWebsiteIdIsAUsageError) {
    EXPECT_EQ(run({"member", "add", "--website", "shop.com", "--email", "guest@example.com"}).code,
              2);
}

TEST_F(WebsiteCli, MemberAddTwiceExits1) {
    ASSERT_EQ(add_guest("viewer").code, 0);
    EXPECT_EQ(add_guest("member").code, 1);
}

TEST_F(WebsiteCli, MemberAddOfAnUnknownAccountExits1) {
    EXPECT_EQ(run({"member", "add", "--website", m_site, "--email", "nobody@example.com"}).code, 1);
}

TEST_F(WebsiteCli, MemberAddToAnUnknownWebsiteExits1) {
    EXPECT_EQ(run({"member", "add", "--website", "0123456789abcdef01234567", "--email",
                   "guest@example.com"})
                  .code,
              1);
}

TEST_F(WebsiteCli, MemberRemoveTakesTheWebsiteAway) {
    ASSERT_EQ(add_guest("member").code, 0);
    auto remove = run({"member", "remove", "--website", m_site, "--email", "guest@example.com"});
    EXPECT_EQ(remove.code, 0) << remove.err;
    EXPECT_EQ(run({"website", "list", "--email", "guest@example.com"}).out, "");
}

TEST_F(WebsiteCli, MemberRemoveOfANonMemberExits1) {
    EXPECT_EQ(run({"member", "remove", "--website", m_site, "--email", "guest@example.com"}).code,
              1);
}

TEST_F(WebsiteCli, MemberRemoveOfTheOwnerExits1AndKeepsThem) {
    EXPECT_EQ(run({"member", "remove", "--website", m_site, "--email", "owner@example.com"}).code,
              1);
    EXPECT_EQ(run({"website", "list", "--email", "owner@example.com"}).out,
              m_site + "\tshop.com\towner\n");
}

TEST_F(WebsiteCli, WebsiteDeleteRemovesItForEveryMember) {
    ASSERT_EQ(add_guest("viewer").code, 0);
    auto del = run({"website", "delete", "--id", m_site});
    EXPECT_EQ(del.code, 0) << del.err;
    EXPECT_EQ(run({"website", "list", "--email", "owner@example.com"}).out, "");
    EXPECT_EQ(run({"website", "list", "--email", "guest@example.com"}).out, "");
}

TEST_F(WebsiteCli, WebsiteDeleteOfAnUnknownIdExits1) {
    ASSERT_EQ(run({"website", "delete", "--id", m_site}).code, 0);
    EXPECT_EQ(run({"website", "delete", "--id", m_site}).code, 1);
}

TEST_F(WebsiteCli, WebsiteDeleteWithAMalformedIdIsAUsageError) {
    EXPECT_EQ(run({"website", "delete", "--id", "shop.com"}).code, 2);
}

TEST_F(WebsiteCli, MemberRemovedWhileTheServerRunsIsRefusedAtOnce) {
    ASSERT_EQ(add_guest("member").code, 0);
    std::string token = trimmed(run({"token", "create", "--email", "guest@example.com"}).out);
    ServerProcess server(
        {{"serve", "--listen", "127.0.0.1:0", "--data-dir", (m_dir.path() / "data").string()},
         {},
         "",
         m_dir.path()},
        m_dir.path() / "serve.log");
    httplib::Client client("127.0.0.1", server.port());
    httplib::Headers auth{{"Authorization", "Bearer " + token}};
    auto before = client.Get(("/api/v1/admin/websites/" + m_site).c_str(), auth);
    ASSERT_TRUE(before);
    EXPECT_EQ(before->status, 200);
    ASSERT_EQ(run({"member", "remove", "--website", m_site, "--email", "guest@example.com"}).code,
              0);
    auto after = client.Get(("/api/v1/admin/websites/" + m_site).c_str(), auth);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 403);
}

} // namespace
