// The exactly-once contract of OfonoCallback and the Lifetime guard.
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"

#include <catch2/catch.hpp>

namespace {
struct Record {
    int calls = 0;
    int last_type = -1;
    std::string value = "unset";
};

void query_cb(const struct ofono_error *e, const char *value, void *data)
{
    auto *r = static_cast<Record *>(data);
    r->calls++;
    r->last_type = e->type;
    r->value = value ? value : "(null)";
}

void plain_cb(const struct ofono_error *e, void *data)
{
    auto *r = static_cast<Record *>(data);
    r->calls++;
    r->last_type = e->type;
}

using QueryCb = void (*)(const struct ofono_error *, const char *, void *);

void spin()
{
    while (g_main_context_iteration(nullptr, FALSE)) {
    }
}
} // namespace

TEST_CASE("succeed calls once with the value", "[callback]")
{
    qmi::Lifetime life;
    Record r;
    {
        auto cb = qmi::callback(life, static_cast<QueryCb>(query_cb), &r);
        cb.succeed("EG25");
        CHECK_FALSE(cb.pending());
    }
    CHECK(r.calls == 1);
    CHECK(r.last_type == OFONO_ERROR_TYPE_NO_ERROR);
    CHECK(r.value == "EG25");
}

TEST_CASE("fail passes empty values", "[callback]")
{
    qmi::Lifetime life;
    Record r;
    auto cb = qmi::callback(life, static_cast<QueryCb>(query_cb), &r);
    cb.fail({OFONO_ERROR_TYPE_CME, 16});
    CHECK(r.calls == 1);
    CHECK(r.last_type == OFONO_ERROR_TYPE_CME);
    CHECK(r.value == "(null)");
}

TEST_CASE("an uncalled callback fails when destroyed while its owner lives", "[callback]")
{
    qmi::Lifetime life;
    Record r;
    { auto cb = qmi::callback(life, plain_cb, &r); }
    CHECK(r.calls == 1);
    CHECK(r.last_type == OFONO_ERROR_TYPE_FAILURE);
}

TEST_CASE("after the owner's lifetime ended nothing is called", "[callback]")
{
    Record r;
    {
        qmi::Lifetime life;
        auto cb = qmi::callback(life, plain_cb, &r);
        life.end();
        cb.succeed();
    }
    CHECK(r.calls == 0);
}

TEST_CASE("dismiss forgets the callback", "[callback]")
{
    qmi::Lifetime life;
    Record r;
    {
        auto cb = qmi::callback(life, plain_cb, &r);
        cb.dismiss();
    }
    CHECK(r.calls == 0);
}

TEST_CASE("moving transfers the obligation", "[callback]")
{
    qmi::Lifetime life;
    Record r;
    auto a = qmi::callback(life, plain_cb, &r);
    auto b = std::move(a);
    CHECK_FALSE(a.pending());
    CHECK(b.pending());
    b.succeed();
    CHECK(r.calls == 1);
}

TEST_CASE("deferred work runs from the main loop only while alive", "[lifetime]")
{
    qmi::Lifetime life;
    int ran = 0;
    life.defer([&] { ran++; });
    CHECK(ran == 0); // never from inside the caller
    spin();
    CHECK(ran == 1);

    life.defer([&] { ran++; });
    life.end();
    spin();
    CHECK(ran == 1);
}

TEST_CASE("a deferred callback dropped after end() does not call oFono", "[lifetime]")
{
    Record r;
    {
        qmi::Lifetime life;
        auto cb = qmi::callback(life, plain_cb, &r);
        life.defer([cb = std::move(cb)]() mutable { cb.succeed(); });
        life.end();
        spin();
    }
    CHECK(r.calls == 0);
}
