// Two stores seen as one, so files can move from one to the other while the site runs
// (`imghost-admin migrate-store`): every write goes to the primary store (the one
// `store =` names); a read or a look-up that finds nothing there asks the fallback; a
// removal removes from both.  A name is only ever in one of them with one content
// (names are never reused and objects never change), so the order of the look-ups
// cannot change an answer, only its cost.
//
// nginx does the same for the files it serves: the local disk first, then the bucket
// (nginx/imghost-site.conf.in).
#pragma once

#include <memory>

#include "store/store.hpp"

namespace imghost::store {

class FallbackStore final : public Store {
 public:
  FallbackStore(std::unique_ptr<Store> primary, std::unique_ptr<Store> fallback);

  const Store& primary() const { return *primary_; }
  const Store& fallback() const { return *fallback_; }

  std::string location() const override;
  std::string where(Object object, std::string_view name) const override { return primary_->where(object, name); }
  std::string where_staged(std::string_view staged_name) const override { return primary_->where_staged(staged_name); }
  Staged stage(std::string_view bytes, bool durable = true) const override { return primary_->stage(bytes, durable); }
  StagedWriter stage_writer() const override { return primary_->stage_writer(); }
  std::optional<Staged> stage_link(const std::filesystem::path& file, bool durable) const override {
    return primary_->stage_link(file, durable);
  }
  void place(Staged& staged, std::string_view name) const override { primary_->place(staged, name); }
  // The primary links when `from` is there, and places a copy when it is not.
  void share(Staged& staged, std::string_view from, std::string_view name) const override {
    primary_->share(staged, from, name);
  }
  void put_thumbnail(std::string_view name, std::string_view bytes) const override {
    primary_->put_thumbnail(name, bytes);
  }
  // New originals are placed in the primary, so it can share its own copy.
  void put_original_as_thumbnail(std::string_view name, std::string_view bytes) const override {
    primary_->put_original_as_thumbnail(name, bytes);
  }
  std::optional<std::string> read(Object object, std::string_view name) const override;
  std::optional<Staged> local_copy(Object object, std::string_view name) const override;
  std::optional<std::time_t> mtime(Object object, std::string_view name) const override;
  // The primary first; the fallback even when the primary fails, then the first
  // failure is thrown (a delete that could not remove everything leaves the rest to
  // the repair check, as with one store).
  void remove(Object object, std::string_view name) const override;
  void remove_staged(std::string_view staged_name) const override { primary_->remove_staged(staged_name); }
  // Everything in both; staged files once (both stores stage into the same local
  // folder, and the primary reports them).
  void walk(const std::function<void(const Entry&)>& visit) const override;
  bool writable() const noexcept override { return primary_->writable(); }
  // Variants are made in the primary; removed from both (made there before a move).
  void put_variant(std::string_view key, std::string_view bytes) const override { primary_->put_variant(key, bytes); }
  std::optional<std::string> read_variant(std::string_view key) const override { return primary_->read_variant(key); }
  void remove_variant(std::string_view key) const override;
  void remove_variants(std::string_view name) const override;
  void walk_variants(const std::function<void(const VariantFile&)>& visit) const override {
    primary_->walk_variants(visit);
  }

 private:
  std::unique_ptr<Store> primary_;
  std::unique_ptr<Store> fallback_;
};

}  // namespace imghost::store
