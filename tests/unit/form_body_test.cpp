// application/x-www-form-urlencoded parsing for POST /api/v1/introspect (RFC 7662 §2.1).
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "http/form_body.hpp"

using namespace tokend::http;

namespace {
void expect_invalid(std::string_view body) {
    try {
        parse_form(body);
        ADD_FAILURE() << "accepted: " << body;
    } catch (const tokend::core::Error& error) {
        EXPECT_EQ(error.code(), tokend::core::ErrorCode::InvalidInput);
        EXPECT_EQ(std::string(error.what()).find(std::string(body)), std::string::npos);
    }
}
} // namespace

TEST(FormBody, ReadsPairsInOrder) {
    FormFields expected = {{"token", "dft_abc"}, {"token_type_hint", "access_token"}};
    EXPECT_EQ(parse_form("token=dft_abc&token_type_hint=access_token"), expected);
}

TEST(FormBody, DecodesPercentEscapesAndPlus) {
    FormFields expected = {{"a b", "x+y/z&=%"}};
    EXPECT_EQ(parse_form("a+b=x%2By%2fz%26%3D%25"), expected);
}

TEST(FormBody, SkipsEmptyPiecesAndReadsBareNames) {
    FormFields expected = {{"a", "1"}, {"flag", ""}, {"b", ""}};
    EXPECT_EQ(parse_form("&a=1&&flag&b=&"), expected);
    EXPECT_TRUE(parse_form("").empty());
}

TEST(FormBody, KeepsEqualsSignsInTheValue) {
    FormFields expected = {{"a", "b=c"}};
    EXPECT_EQ(parse_form("a=b=c"), expected);
}

TEST(FormBody, RefusesMalformedEscapesWithoutQuotingTheBody) {
    for (const char* body : {"token=%", "token=%4", "token=%zz", "token=dft_%g1", "%=1"}) {
        expect_invalid(body);
    }
}

TEST(FormBody, SingleFieldIsAbsentOnceOrRefusedWhenRepeated) {
    FormFields fields = parse_form("token=a&other=b&token=c");
    EXPECT_EQ(single_form_field(fields, "other"), "b");
    EXPECT_EQ(single_form_field(fields, "missing"), std::nullopt);
    EXPECT_THROW(single_form_field(fields, "token"), tokend::core::Error);
}

TEST(FormBody, RecognisesTheFormContentType) {
    EXPECT_TRUE(is_form_content_type("application/x-www-form-urlencoded"));
    EXPECT_TRUE(is_form_content_type("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
    EXPECT_FALSE(is_form_content_type("application/json"));
    EXPECT_FALSE(is_form_content_type("multipart/form-data; boundary=x"));
    EXPECT_FALSE(is_form_content_type(""));
}
