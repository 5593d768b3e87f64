#include "sim_file_cache.hpp"

#include <utility>

namespace qmi
{

SimFileCache::FetchId SimFileCache::begin(const Key &key)
{
    File &file = files_[key];
    file.fetch = next_fetch_++;
    file.fetching = true;
    return file.fetch;
}

SimFileCache::File *SimFileCache::current(FetchId id, const Key &key)
{
    auto it = files_.find(key);
    return it == files_.end() || it->second.fetch != id ? nullptr : &it->second;
}

void SimFileCache::put_info(FetchId id, const Key &key, std::optional<Info> info)
{
    if (File *file = current(id, key)) {
        file->have_info = true;
        file->info = info;
    }
}

void SimFileCache::put_data(FetchId id, const Key &key, Bytes data)
{
    if (File *file = current(id, key))
        file->data = std::move(data);
}

void SimFileCache::put_record(FetchId id, const Key &key, int record, Bytes data)
{
    if (File *file = current(id, key))
        file->records[record] = std::move(data);
}

void SimFileCache::finish(FetchId id, const Key &key)
{
    File *file = current(id, key);
    if (!file)
        return;
    file->fetching = false;
    auto waiters = std::move(file->waiters);
    file->waiters.clear();
    drop_if_spent(files_.find(key));
    wake(std::move(waiters));
}

bool SimFileCache::pending(const Key &key) const
{
    auto it = files_.find(key);
    return it != files_.end() && it->second.fetching;
}

void SimFileCache::when_settled(const Key &key, Waiter w)
{
    auto it = files_.find(key);
    if (it == files_.end() || !it->second.fetching)
        return w();
    it->second.waiters.push_back(std::move(w));
}

SimFileCache::InfoLookup SimFileCache::take_info(const Key &key, Info &info)
{
    auto it = files_.find(key);
    if (it == files_.end() || it->second.fetching || !it->second.have_info)
        return InfoLookup::Miss;
    File &file = it->second;
    file.have_info = false;
    const auto found = std::exchange(file.info, std::nullopt);
    if (found)
        info = *found;
    drop_if_spent(it);
    return found ? InfoLookup::Found : InfoLookup::NoSuchFile;
}

std::optional<SimFileCache::Bytes> SimFileCache::take_data(const Key &key, int start, int length)
{
    auto it = files_.find(key);
    if (it == files_.end() || it->second.fetching || !it->second.data || start < 0 || length < 0)
        return std::nullopt;
    File &file = it->second;
    const auto size = static_cast<int>(file.data->size());
    if (start > size)
        return std::nullopt;
    if (length == 0)
        length = size - start;
    if (length > size - start)
        return std::nullopt;
    Bytes slice(file.data->begin() + start, file.data->begin() + start + length);
    if (start + length == size) {
        file.data.reset();
        drop_if_spent(it);
    }
    return slice;
}

std::optional<SimFileCache::Bytes> SimFileCache::take_record(const Key &key, int record, int length)
{
    auto it = files_.find(key);
    if (it == files_.end() || it->second.fetching || length <= 0)
        return std::nullopt;
    File &file = it->second;
    auto rec = file.records.find(record);
    if (rec == file.records.end() || length > static_cast<int>(rec->second.size()))
        return std::nullopt;
    Bytes out(rec->second.begin(), rec->second.begin() + length);
    file.records.erase(rec);
    drop_if_spent(it);
    return out;
}

void SimFileCache::forget(const Key &key)
{
    auto it = files_.find(key);
    if (it == files_.end())
        return;
    auto waiters = std::move(it->second.waiters);
    files_.erase(it);
    wake(std::move(waiters));
}

void SimFileCache::clear()
{
    std::vector<Waiter> waiters;
    for (auto &[key, file] : files_)
        for (auto &w : file.waiters)
            waiters.push_back(std::move(w));
    files_.clear();
    wake(std::move(waiters));
}

void SimFileCache::drop_if_spent(std::map<Key, File>::iterator it)
{
    const File &file = it->second;
    if (!file.fetching && !file.have_info && !file.data && file.records.empty() &&
        file.waiters.empty())
        files_.erase(it);
}

void SimFileCache::wake(std::vector<Waiter> waiters)
{
    for (auto &w : waiters)
        w();
}

} // namespace qmi
