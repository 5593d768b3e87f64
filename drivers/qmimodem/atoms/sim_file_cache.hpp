// The SIM files read ahead for oFono's core. At every start-up oFono reads
// about fifteen elementary files one after another (file info, then the
// contents), each waiting for the previous: ~30 sequential round trips to
// the modem. The UIM backend instead asks the modem for all of them at once
// when the card (and later its application) is ready, keeps the answers
// here, and answers oFono's reads from them.
//
// Rules that keep it correct:
// - a file being read ahead makes oFono's read wait for it (when_settled),
//   never race it;
// - each answer is handed out once: oFono's core reads a file once at
//   start-up, and any later read (after a SIM refresh, say) goes to the card;
// - a write to a file forgets it; a card change forgets everything;
// - only what the card answered is kept: a failed read is simply not here,
//   and the read then goes to the card as usual.
//
// No I/O: test/unit/test_sim_file_cache.cpp covers it.
#pragma once

#include "core/move_function.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace qmi
{

class SimFileCache
{
  public:
    struct Key {
        int fileid = 0;
        std::vector<std::uint8_t> path; // QMI order, as sent to the modem
        auto operator<=>(const Key &) const = default;
    };
    // What oFono's read_file_info callback takes.
    struct Info {
        int size = 0;
        int structure = 0; // enum ofono_sim_file_structure
        int record_size = 0;
        std::array<unsigned char, 3> access{};
    };
    using Bytes = std::vector<std::uint8_t>;
    using Waiter = MoveFunction<void()>;
    using FetchId = std::uint64_t;

    // A read-ahead of one file. The put_* calls carry its id and are ignored
    // once the file was forgotten meanwhile; finish() wakes the waiters.
    FetchId begin(const Key &key);
    // nullopt: the card has no such file (or refuses its attributes).
    void put_info(FetchId id, const Key &key, std::optional<Info> info);
    void put_data(FetchId id, const Key &key, Bytes data);
    void put_record(FetchId id, const Key &key, int record, Bytes data);
    void finish(FetchId id, const Key &key);

    // Whether a read of this file must wait for its read-ahead.
    bool pending(const Key &key) const;
    // Runs w once the file's read-ahead has settled (or it was forgotten).
    void when_settled(const Key &key, Waiter w);

    enum class InfoLookup { Miss, Found, NoSuchFile };
    // The file's attributes (Found), or that the card has no such file
    // (NoSuchFile), handed out once; Miss: ask the card.
    InfoLookup take_info(const Key &key, Info &info);
    // Bytes [start, start + length) of a transparent file (length 0: to its
    // end); the contents are let go once read to their end.
    std::optional<Bytes> take_data(const Key &key, int start, int length);
    // Record `record` (1-based), its first `length` bytes.
    std::optional<Bytes> take_record(const Key &key, int record, int length);

    // The file changes (written): drop what is kept, wake its waiters.
    void forget(const Key &key);
    // The card changed or went away: drop everything, wake every waiter.
    void clear();

    bool empty() const { return files_.empty(); }

  private:
    struct File {
        FetchId fetch = 0;
        bool fetching = false;
        bool have_info = false;
        std::optional<Info> info;
        std::optional<Bytes> data;
        std::map<int, Bytes> records;
        std::vector<Waiter> waiters;
    };
    File *current(FetchId id, const Key &key);
    void drop_if_spent(std::map<Key, File>::iterator it);
    static void wake(std::vector<Waiter> waiters);

    std::map<Key, File> files_;
    FetchId next_fetch_ = 1;
};

} // namespace qmi
