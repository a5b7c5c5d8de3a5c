#include "core/incoming_file.hpp"

namespace imghost {

void IncomingFile::write(const App& app, std::string_view bytes) {
  if (!writer_) writer_.emplace(app.store().stage_writer());
  writer_->write(bytes);
  hash_.update(bytes);
}

void IncomingFile::finish() {
  if (writer_) {
    staged_ = writer_->finish(false);  // synced when placed, if it is new
    writer_.reset();
  }
  sha256_ = hash_.finish();
}

}  // namespace imghost
