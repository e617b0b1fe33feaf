// ObjectIds (SPEC §2): 24 hex digits, big-endian seconds first, then 5 random bytes and a counter.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/object_id.hpp"

using namespace tokend::core;

namespace {
std::uint32_t now_seconds() {
    return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}
} // namespace

TEST(ObjectId, IsTwentyFourLowerCaseHexDigits) {
    ObjectIdGenerator generator({1, 2, 3, 4, 5}, 0);
    std::string id = generator.next();
    ASSERT_EQ(id.size(), 24u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    EXPECT_TRUE(is_object_id(id));
}

TEST(ObjectId, StartsWithCurrentSecondsBigEndian) {
    std::uint32_t before = now_seconds();
    std::string id = ObjectIdGenerator({0, 0, 0, 0, 0}, 0).next();
    std::uint32_t after = now_seconds();
    auto seconds = static_cast<std::uint32_t>(std::stoul(id.substr(0, 8), nullptr, 16));
    EXPECT_GE(seconds, before);
    EXPECT_LE(seconds, after);
}

TEST(ObjectId, CarriesTheProcessRandomBytes) {
    std::string id = ObjectIdGenerator({0xde, 0xad, 0xbe, 0xef, 0x01}, 0).next();
    EXPECT_EQ(id.substr(8, 10), "deadbeef01");
}

TEST(ObjectId, CounterIncrementsFromItsStart) {
    ObjectIdGenerator generator({0, 0, 0, 0, 0}, 0x0000ff);
    EXPECT_EQ(generator.next().substr(18), "0000ff");
    EXPECT_EQ(generator.next().substr(18), "000100");
}

TEST(ObjectId, CounterWrapsWithinThreeBytes) {
    ObjectIdGenerator generator({0, 0, 0, 0, 0}, 0xffffff);
    EXPECT_EQ(generator.next().substr(18), "ffffff");
    EXPECT_EQ(generator.next().substr(18), "000000");
}

TEST(ObjectId, ConsecutiveIdsDiffer) {
    ObjectIdGenerator generator({9, 9, 9, 9, 9}, 7);
    EXPECT_NE(generator.next(), generator.next());
}

TEST(IsObjectId, RejectsWrongLengthAndAlphabet) {
    EXPECT_FALSE(is_object_id(""));
    EXPECT_FALSE(is_object_id(std::string(23, 'a')));
    EXPECT_FALSE(is_object_id(std::string(25, 'a')));
    EXPECT_FALSE(is_object_id("aaaaaaaaaaaaaaaaaaaaaaag"));
    EXPECT_FALSE(is_object_id("aaaaaaaaaaaaaaaaaaaaaaa "));
    EXPECT_FALSE(is_object_id("dft_aaaaaaaaaaaaaaaaaaaa"));
    EXPECT_TRUE(is_object_id("0123456789abcdef01234567"));
}
