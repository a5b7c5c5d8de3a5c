#include "store/fallback_store.hpp"

#include <exception>

namespace imghost::store {

FallbackStore::FallbackStore(std::unique_ptr<Store> primary, std::unique_ptr<Store> fallback)
    : primary_(std::move(primary)), fallback_(std::move(fallback)) {}

std::string FallbackStore::location() const {
  return primary_->location() + " (and, for files not moved yet, " + fallback_->location() + ")";
}

std::optional<std::string> FallbackStore::read(Object object, std::string_view name) const {
  if (auto bytes = primary_->read(object, name)) return bytes;
  return fallback_->read(object, name);
}

std::optional<Staged> FallbackStore::local_copy(Object object, std::string_view name) const {
  if (auto copy = primary_->local_copy(object, name)) return copy;
  return fallback_->local_copy(object, name);
}

std::optional<std::time_t> FallbackStore::mtime(Object object, std::string_view name) const {
  if (auto t = primary_->mtime(object, name)) return t;
  return fallback_->mtime(object, name);
}

void FallbackStore::remove(Object object, std::string_view name) const {
  std::exception_ptr first;
  try {
    primary_->remove(object, name);
  } catch (...) { first = std::current_exception(); }
  try {
    fallback_->remove(object, name);
  } catch (...) {
    if (!first) first = std::current_exception();
  }
  if (first) std::rethrow_exception(first);
}

namespace {
// Runs `op` on both stores, the second even when the first fails; throws the first failure.
template <typename Op>
void on_both(const Store& a, const Store& b, Op&& op) {
  std::exception_ptr first;
  try {
    op(a);
  } catch (...) { first = std::current_exception(); }
  try {
    op(b);
  } catch (...) {
    if (!first) first = std::current_exception();
  }
  if (first) std::rethrow_exception(first);
}
}  // namespace

void FallbackStore::remove_variant(std::string_view key) const {
  on_both(*primary_, *fallback_, [&](const Store& s) { s.remove_variant(key); });
}

void FallbackStore::remove_variants(std::string_view name) const {
  on_both(*primary_, *fallback_, [&](const Store& s) { s.remove_variants(name); });
}

void FallbackStore::walk(const std::function<void(const Entry&)>& visit) const {
  primary_->walk(visit);
  fallback_->walk([&](const Entry& e) {
    if (e.kind != Entry::Kind::staged) visit(e);
  });
}

}  // namespace imghost::store
