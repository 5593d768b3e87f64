// The read-ahead store behind the UIM backend (atoms/sim_file_cache.hpp).
#include "atoms/sim_file_cache.hpp"

#include <catch2/catch.hpp>

using namespace qmi;
using Key = SimFileCache::Key;
using Bytes = SimFileCache::Bytes;

namespace
{
const Key kSst{0x6F38, {0x00, 0x3F, 0xFF, 0x7F}};
const Key kMsisdn{0x6F40, {0x00, 0x3F, 0xFF, 0x7F}};

SimFileCache::Info info(int size, int structure = 0, int record_size = 0)
{
    SimFileCache::Info i;
    i.size = size;
    i.structure = structure;
    i.record_size = record_size;
    i.access = {0x14, 0x00, 0x44};
    return i;
}
} // namespace

TEST_CASE("a read of a file being read ahead waits, then is answered once", "[sim-cache]")
{
    SimFileCache cache;
    const auto id = cache.begin(kSst);
    CHECK(cache.pending(kSst));
    int woken = 0;
    cache.when_settled(kSst, [&] { woken++; });
    cache.put_info(id, kSst, info(4));
    cache.put_data(id, kSst, Bytes{1, 2, 3, 4});
    CHECK(woken == 0);
    cache.finish(id, kSst);
    CHECK(woken == 1);
    CHECK_FALSE(cache.pending(kSst));

    SimFileCache::Info got;
    REQUIRE(cache.take_info(kSst, got) == SimFileCache::InfoLookup::Found);
    CHECK(got.size == 4);
    CHECK(got.access[0] == 0x14);
    // Handed out once: a second info query goes to the card.
    CHECK(cache.take_info(kSst, got) == SimFileCache::InfoLookup::Miss);

    // Reads in blocks; the contents go once read to their end.
    CHECK(cache.take_data(kSst, 0, 2) == Bytes{1, 2});
    CHECK(cache.take_data(kSst, 2, 3) == std::nullopt); // beyond the end: the card says
    CHECK(cache.take_data(kSst, 2, 2) == Bytes{3, 4});
    CHECK(cache.take_data(kSst, 0, 4) == std::nullopt);
    CHECK(cache.empty());
}

TEST_CASE("a file the card does not have is answered as such, once", "[sim-cache]")
{
    SimFileCache cache;
    const auto id = cache.begin(kSst);
    cache.put_info(id, kSst, std::nullopt);
    cache.finish(id, kSst);
    SimFileCache::Info got;
    CHECK(cache.take_info(kSst, got) == SimFileCache::InfoLookup::NoSuchFile);
    CHECK(cache.take_info(kSst, got) == SimFileCache::InfoLookup::Miss);
}

TEST_CASE("nothing kept for a failed read: the read goes to the card", "[sim-cache]")
{
    SimFileCache cache;
    const auto id = cache.begin(kSst);
    cache.finish(id, kSst); // neither attributes nor contents arrived
    SimFileCache::Info got;
    CHECK(cache.take_info(kSst, got) == SimFileCache::InfoLookup::Miss);
    CHECK(cache.take_data(kSst, 0, 1) == std::nullopt);
    // A file never read ahead does not wait.
    bool ran = false;
    cache.when_settled(kMsisdn, [&] { ran = true; });
    CHECK(ran);
}

TEST_CASE("records: each answered once, only as long as the card's record", "[sim-cache]")
{
    SimFileCache cache;
    const auto id = cache.begin(kMsisdn);
    cache.put_info(id, kMsisdn, info(56, 1, 28));
    cache.put_record(id, kMsisdn, 1, Bytes(28, 0xAA));
    cache.put_record(id, kMsisdn, 2, Bytes(28, 0xBB));
    cache.finish(id, kMsisdn);
    CHECK(cache.take_record(kMsisdn, 2, 29) == std::nullopt);
    CHECK(cache.take_record(kMsisdn, 2, 28) == Bytes(28, 0xBB));
    CHECK(cache.take_record(kMsisdn, 2, 28) == std::nullopt);
    CHECK(cache.take_record(kMsisdn, 3, 28) == std::nullopt);
    CHECK(cache.take_record(kMsisdn, 1, 10) == Bytes(10, 0xAA));
}

TEST_CASE("a write or a card change drops what was read ahead and wakes the waiters", "[sim-cache]")
{
    SimFileCache cache;
    auto id = cache.begin(kSst);
    int woken = 0;
    cache.when_settled(kSst, [&] { woken++; });
    cache.forget(kSst); // written while its read-ahead was in flight
    CHECK(woken == 1);
    // The late answer of the dropped read-ahead is not kept.
    cache.put_data(id, kSst, Bytes{9});
    cache.finish(id, kSst);
    CHECK(cache.take_data(kSst, 0, 1) == std::nullopt);
    CHECK(cache.empty());

    id = cache.begin(kSst);
    const auto id2 = cache.begin(kMsisdn);
    cache.when_settled(kSst, [&] { woken++; });
    cache.when_settled(kMsisdn, [&] { woken++; });
    cache.clear();
    CHECK(woken == 3);
    cache.put_info(id, kSst, info(1));
    cache.put_record(id2, kMsisdn, 1, Bytes{1});
    cache.finish(id, kSst);
    cache.finish(id2, kMsisdn);
    SimFileCache::Info got;
    CHECK(cache.take_info(kSst, got) == SimFileCache::InfoLookup::Miss);
    CHECK(cache.empty());
}

TEST_CASE("a waiter that reads again from inside its wake-up sees the settled file", "[sim-cache]")
{
    SimFileCache cache;
    const auto id = cache.begin(kSst);
    std::optional<Bytes> seen;
    cache.when_settled(kSst, [&] { seen = cache.take_data(kSst, 0, 0); });
    cache.put_data(id, kSst, Bytes{5, 6});
    cache.finish(id, kSst);
    CHECK(seen == Bytes{5, 6});
}
